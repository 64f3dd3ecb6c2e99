"""What `close` writes, as text: the rows of reviews/<period>.csv (a goal's row, then its
targets'), the retrospective's starter notes, and the roll-over goal file of the targets due in
the period and not reached, re-dated to the next one (a new file: people's files are never
edited)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import NamedTuple

from smartgoals.engine.grading import GoalGrade, TargetGrade
from smartgoals.ledger.model import MetricDef, Rung
from smartgoals.ledger.reviews import Review, format_review
from smartgoals.periods import Period
from smartgoals.quantity import format_raw


class HumanGrade(NamedTuple):
    """A person's grade of a goal, as given interactively or in --grades FILE."""

    grade: str
    note: str = ""
    reason: str = ""


def review_rows(
    period: str, grades: tuple[GoalGrade, ...], human: Mapping[str, HumanGrade], day: dt.date
) -> list[Review]:
    """One row per goal (the person's grade, else the computed one), then one per target (its
    computed grade)."""
    rows = []
    for goal in grades:
        given = human.get(goal.id)
        grade = given.grade if given is not None and given.grade else goal.grade
        note = given.note if given is not None else ""
        reason = given.reason if given is not None else ""
        status = str(goal.goal.status)
        rows.append(
            Review(period, goal.id, "", status, goal.score, goal.grade, grade, note, reason, day)
        )
        for target in goal.targets:
            rows.append(
                Review(
                    period,
                    goal.id,
                    target.metric,
                    str(target.target.status),
                    target.score,
                    target.grade,
                    target.grade,
                    "",
                    "",
                    day,
                )
            )
    return rows


def reviews_text(rows: list[Review]) -> str:
    return "".join(format_review(row) for row in rows)


def notes_text(period: str) -> str:
    """reports/notes/<period>.md as close starts it: headings to fill in, one per goal."""
    lines = [
        f"# Retrospective {period}",
        "",
        "<!-- Written by smartgoals close; the report quotes this file and reads the paragraphs",
        "that name a goal id or a metric as the explanation of its variance. -->",
        "",
        "## What went well",
        "",
        "## What did not",
        "",
        "## What we change next period",
        "",
    ]
    # no heading per goal: a paragraph that names a goal id explains its variances in the report
    return "\n".join(lines)


def _quoted(text: str) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def target_text(metric: MetricDef, rung: Rung) -> str:
    """A rung's threshold as a goal file writes it: `>= 100000`, `15..20`, `live` (a stage)."""
    if metric.is_stage:  # a stage target is the stage to reach
        return metric.stage_name(rung.value) or format_raw(rung.value)
    if rung.op == ".." and rung.high is not None:
        return f"{format_raw(rung.value)}..{format_raw(rung.high)}"
    return f"{rung.op} {format_raw(rung.value)}"


def due_text(period: Period) -> str:
    """A period as a goal file's due: its name, or its last day for a week (goal files take
    days, months, quarters, halves and years)."""
    return period.last.isoformat() if "W" in period.text else period.text


def _rolled_target(target: TargetGrade, closed: Period, following: Period) -> list[str]:
    judged = target.target
    lines = [
        f"      - metric: {target.metric}",
        f"        target: {_quoted(target_text(judged.metric, judged.rung))}",
        f"        due: {due_text(following)}",
    ]
    if judged.current is not None and not judged.metric.is_stage and judged.target.every is None:
        lines.append(f"        baseline: {format_raw(judged.current)}")
    if judged.target.pace != "linear":
        lines.append(f"        pace: {judged.target.pace}")
    if judged.target.every is not None:
        lines.append(f"        every: {judged.target.every}")
    note = f"rolled over from {closed.text} ({judged.status}, grade {target.grade})"
    lines.append(f"        note: {_quoted(note)}")
    return lines


def rollover_text(grades: tuple[GoalGrade, ...], closed: Period, following: Period) -> str:
    """A goal file with, per goal that has any, the targets due in the closed period and not
    reached, due at the end of the following one; empty when there are none."""
    lines = [
        "# yaml-language-server: $schema=../schemas/goals.schema.json",
        "#",
        f"# Written by smartgoals close {closed.text}: the targets due in {closed.text} and not",
        f"# reached, re-dated to {following.text}. Edit it freely: it is yours now.",
        "",
        "goals:",
    ]
    count = 0
    for goal in grades:
        unfinished = goal.unfinished
        if not unfinished:
            continue
        count += 1
        source = goal.goal.goal
        suffix = following.text.lower()
        lines += [
            f"  - id: {source.id}-{suffix}",
            f"    title: {_quoted(f'{source.title} ({following.text})')}",
            f"    area: {_quoted(source.area)}",
        ]
        if source.owner:
            lines.append(f"    owner: {_quoted(source.owner)}")
        lines += [
            f"    start: {following.first.isoformat()}",
            f"    due: {due_text(following)}",
            f"    notes: {_quoted(f'Rolled over from {source.id} at the close of {closed.text}.')}",
            "    targets:",
        ]
        for target in unfinished:
            lines += _rolled_target(target, closed, following)
    return "\n".join(lines) + "\n" if count else ""
