"""`status --goals`: one row per goal (its status, its score, its worst target and why), as data
and as one line per goal laid out to the width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from smartgoals.engine.evaluation import SEVERITY, Evaluation, GoalStatus, TargetStatus
from smartgoals.rendering import Display, fold
from smartgoals.rendering.ansi import Painted, cut, paint
from smartgoals.rendering.cells import (
    STYLES,
    condition_text,
    declared_text,
    disagreement_mark,
    due_short,
    qualifier_forms,
    status_word,
    summary_line,
    value_text,
    waiting_text,
)
from smartgoals.rendering.data import declared_data, json_number, metric_value, rung_data
from smartgoals.rendering.layout import Column, display_width, layout_table, render_lines

COLUMNS = (
    Column("Status", priority=0, droppable=False),
    Column("Score", "right", priority=2, short_header="%"),
    # the worst target's numbers matter more than the whole of a goal's title
    Column("Goal", priority=3, min_width=18, ideal_width=24, truncate=True, droppable=False),
    Column("Worst target and why", priority=1, min_width=20, truncate=True, short_header="Worst"),
)


class GoalRow(NamedTuple):
    goal: GoalStatus
    worst: TargetStatus | None  # None: every target reached, or the goal has none
    why: tuple[str, ...]  # the worst target and why, longest form first


def worst_target(goal: GoalStatus) -> TargetStatus | None:
    """The target with the worst status (engine.SEVERITY), the least progress among equals;
    None when none is worse than on track."""
    ranked = [t for t in goal.targets if t.status in SEVERITY and t.status != "on_track"]
    if not ranked:
        return None
    order = [str(s) for s in SEVERITY]
    return min(ranked, key=lambda t: (order.index(t.status), t.progress or 0.0))


def why_forms(
    goal: GoalStatus, worst: TargetStatus | None, plain: bool, ascii: bool = False
) -> tuple[str, ...]:
    """The worst target in words, longest first: `Messages per day 118,197 of ≥ 1M Q4'26
    (11% done, 48% expected)`; a goal with no such target says how its targets stand. A goal's
    declared state follows (`; declared done, computed at risk`), the first words to give way;
    a disagreement then shows as a mark in front (`≠ declared; ...`) while that fits whole, as
    the worst target's numbers matter more."""
    forms = _worst_forms(goal, worst, plain)
    if goal.declared is None:
        return forms
    declared = [f"{form}; {declared_text(goal)}" for form in forms]
    if goal.disagreement is None:
        return tuple(dict.fromkeys((*declared, *forms)))
    mark = disagreement_mark(ascii)
    return tuple(dict.fromkeys((*declared, *(f"{mark}; {form}" for form in forms), *forms)))


def _worst_forms(goal: GoalStatus, worst: TargetStatus | None, plain: bool) -> tuple[str, ...]:
    if worst is None:
        waiting = waiting_text(goal)
        reached = sum(t.status in ("achieved", "achieved_late") for t in goal.targets)
        counted = f"{reached} of {len(goal.targets)} targets reached"
        return (f"{waiting}; {counted}", waiting) if waiting else (counted,)
    metric = worst.metric
    value = "no value" if worst.current is None else value_text(metric, worst.current)
    if worst.judged_value is not None and worst.judged_date is not None:
        value = value_text(metric, worst.judged_value)
    heads = []
    for qualifier in qualifier_forms(worst):
        due = due_short(worst.rung.due_text)
        aim = " ".join(part for part in (condition_text(worst, plain), qualifier, due) if part)
        heads.append(f"{metric.name}: {value} of {aim}")
    pace = ""
    if worst.progress is not None and worst.expected is not None:
        pace = f" ({worst.progress * 100:.0f}% done, {worst.expected * 100:.0f}% expected)"
    elif worst.reason:
        pace = f" ({worst.reason})"
    return tuple(dict.fromkeys((heads[0] + pace, *heads)))


def goal_rows(evaluation: Evaluation, plain: bool = True, ascii: bool = False) -> list[GoalRow]:
    rows = []
    for goal in evaluation.goals:
        worst = worst_target(goal)
        rows.append(GoalRow(goal, worst, why_forms(goal, worst, plain, ascii)))
    return rows


def goals_data(evaluation: Evaluation) -> dict[str, Any]:
    """`status --goals --format json`: the same rows as data."""
    goals = []
    for row in goal_rows(evaluation):
        goal, worst = row.goal, row.worst
        goals.append(
            {
                "id": goal.goal.id,
                "title": goal.goal.title,
                "area": goal.goal.area,
                "status": goal.status,
                "score": json_number(goal.score, 4),
                "worst": None
                if worst is None
                else {
                    "metric": worst.metric.id,
                    "metric_name": worst.metric.name,
                    "status": worst.status,
                    "value": metric_value(worst.metric, worst.current),
                    **rung_data(worst.metric, worst.rung),
                    "progress": json_number(worst.progress, 4),
                    "expected": json_number(worst.expected, 4),
                },
                "declared": declared_data(goal),
                "why": row.why[0],
            }
        )
    return {"as_of": evaluation.as_of.isoformat(), "goals": goals}


def _cells(row: GoalRow, plain: bool) -> list[str | tuple[str, ...]]:
    score = "-" if row.goal.score is None else f"{row.goal.score * 100:.0f}%"
    return [status_word(row.goal.status, plain), score, row.goal.goal.title, row.why]


def goals_lines(evaluation: Evaluation, display: Display, plain: bool = True) -> list[str]:
    """One line per goal, laid out to the width (natural widths when piped)."""
    rows = [_cells(row, plain) for row in goal_rows(evaluation, plain, display.ascii)]
    layout = layout_table(COLUMNS, rows, display.width, wide=display.wide, ascii=display.ascii)
    return [*render_lines(layout), summary_line(evaluation)]


def goals_painted(evaluation: Evaluation, display: Display) -> Painted:
    """The same lines, the status word in its colour and the titles bold."""
    data = goal_rows(evaluation, plain=False, ascii=display.ascii)
    rows: Sequence[Sequence[str | tuple[str, ...]]] = [_cells(row, False) for row in data]
    layout = layout_table(COLUMNS, rows, display.width, wide=display.wide, ascii=display.ascii)
    between = " " * layout.gap
    out = [between.join(c.header.text.ljust(c.width) for c in layout.columns).rstrip()]
    out[0] = paint([(out[0], "bold")])
    for row, cells, laid in zip(data, rows, layout.rows, strict=True):
        painted = []
        for column, fitted in zip(layout.columns, laid.cells, strict=True):
            cell = cells[column.index]
            text = cell[fitted.form] if isinstance(cell, tuple) else cell
            style = {0: STYLES.get(row.goal.status, ""), 2: "bold"}.get(column.index, "")
            spans = [(text, style)]
            if fitted.truncated:
                spans = [*cut(spans, fitted.kept), (layout.ellipsis, style)]
            space = " " * max(column.width - display_width(fitted.text), 0)
            padded = [(space, ""), *spans] if column.justify == "right" else [*spans, (space, "")]
            painted.append(paint(padded))
        out.append(between.join(painted).rstrip(" "))
    summary = summary_line(evaluation)
    return Painted([*out, *(fold(summary, display.width) if display.width else [summary])])
