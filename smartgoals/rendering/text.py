"""Evaluations -> Rich renderables for people. Returns renderables; the CLI owns the Console.

Colour never carries meaning alone: every status is a word (and a symbol), every bar has a number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..errors import Problem
from ..evaluation import STATUSES, Evaluation, GoalStatus, RiskStatus, TargetStatus
from ..quantity import format_number, format_value, unit_kind
from ..records import Ledger, MetricDef, Rung, Series

STATUS_STYLE = {
    "achieved": ("✔", "bold green"),
    "on_track": ("●", "green"),
    "at_risk": ("▲", "yellow"),
    "off_track": ("▼", "red"),
    "missed": ("✘", "bold red"),
    "in_progress": ("…", "cyan"),
    "no_data": ("?", "dim"),
    "not_started": ("○", "dim"),
}
_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
_ASCII_OPS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "==": "="}


def status_text(status: str, plain: bool = False) -> Text:
    symbol, style = STATUS_STYLE.get(status, ("", ""))
    word = status.replace("_", " ")
    if plain:
        return Text(word)
    return Text(f"{symbol} {word}", style=style)


def value_text(metric: MetricDef, value: float | None) -> str:
    if metric.is_stage:
        return metric.stage_name(value) or "-"
    return format_value(value, metric.unit)


def rung_text(metric: MetricDef, rung: Rung, plain: bool = False) -> str:
    if metric.is_stage:
        text = value_text(metric, rung.value)
    elif rung.op == "..":
        text = f"{value_text(metric, rung.value)}..{value_text(metric, rung.high)}"
    else:
        ops = _ASCII_OPS if plain else _OPS
        text = f"{ops[rung.op]} {value_text(metric, rung.value)}"
    if rung.due_text:
        text += f" by {rung.due_text}"
    return text


def bar(fraction: float | None, plain: bool, width: int = 10) -> Text:
    if fraction is None:
        return Text("-")
    clamped = min(max(fraction, 0.0), 1.0)
    filled = round(clamped * width)
    full, empty = ("#", ".") if plain else ("█", "░")
    percent = f"{fraction * 100:.0f}%"
    if plain:
        return Text(f"{full * filled}{empty * (width - filled)} {percent:>4}")
    return Text.assemble(
        (full * filled, "green"), (empty * (width - filled), "dim"), f" {percent:>4}"
    )


def left_text(status: TargetStatus) -> str:
    if status.left is None:
        return "-"
    if status.metric.is_stage:
        steps = round(status.left)
        return "0" if steps == 0 else f"{steps} stage{'s' if steps != 1 else ''}"
    if unit_kind(status.metric.unit) == "ratio":
        return format_number(status.left)  # a difference of ratios is a plain number
    return value_text(status.metric, status.left)


def current_text(status: TargetStatus, plain: bool) -> Text:
    if status.current is None:
        return Text(f"- ({status.reason})" if status.reason else "-")
    text = Text(value_text(status.metric, status.current))
    if status.current_date is not None:
        text.append(f" ({status.current_date.isoformat()})", style="dim")
    if status.stale:
        text.append(" stale" if plain else " ⚠ stale", style="yellow")
    return text


def target_cell(status: TargetStatus, plain: bool) -> str:
    text = rung_text(status.metric, status.rung, plain)
    if status.steps is not None:
        index = next(i for i, s in enumerate(status.steps) if s.rung is status.rung)
        text += f" (rung {index + 1}/{len(status.steps)})"
    return text


def status_table(evaluation: Evaluation, plain: bool) -> Table:
    """One table, grouped by area: a row per goal, then a row per target."""
    table = Table(
        box=None if plain else box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="" if plain else "bold",
    )
    table.add_column("Goal / metric", overflow="fold", ratio=3)
    table.add_column("Current", overflow="fold")
    table.add_column("Target", overflow="fold")
    table.add_column("Left", justify="right")
    table.add_column("Progress", no_wrap=True)
    table.add_column("Pace", justify="right")
    table.add_column("Status", no_wrap=True)
    areas: dict[str, list[GoalStatus]] = {}
    for goal in evaluation.goals:
        areas.setdefault(goal.goal.area, []).append(goal)
    for area_index, (area, goals) in enumerate(areas.items()):
        if area_index:
            table.add_row()
        table.add_row(Text(area.upper() if plain else area, style="bold underline"))
        for goal in goals:
            title = Text(goal.goal.title, style="bold")
            title.append(f"  {goal.goal.id}", style="dim")
            table.add_row(
                title, "", "", "", bar(goal.score, plain), "", status_text(goal.status, plain)
            )
            for target in goal.targets:
                pace = "-" if target.expected is None else f"{target.expected * 100:.0f}%"
                table.add_row(
                    Text(f"  {target.metric.name}"),
                    current_text(target, plain),
                    target_cell(target, plain),
                    left_text(target),
                    bar(target.progress, plain),
                    pace,
                    status_text(target.status, plain),
                )
    return table


def _shown(value: float | str | None) -> str:
    if value is None:
        return "no value"
    if isinstance(value, float):
        return format_number(value)
    return str(value)


def risk_block(status: RiskStatus, plain: bool) -> RenderableType:
    """A risk: whether it fired, the values that decided it, and its playbook."""
    risk = status.risk
    if status.triggered:
        word = Text("TRIGGERED" if plain else "▲ TRIGGERED", style="bold red")
    elif status.missing:
        word = Text("undecided" if plain else "? undecided", style="yellow")
    else:
        word = Text("quiet" if plain else "● quiet", style="green")
    head = Text.assemble(word, "  ", (risk.title, "bold"), f"  {risk.id}")
    if risk.owner:
        head.append(f"  ({risk.owner})", style="dim")
    lines: list[RenderableType] = [head, Text(f"  when {risk.when}", style="dim")]
    if status.values:
        values = ", ".join(f"{k} = {_shown(v)}" for k, v in status.values.items())
        lines.append(Text(f"  values: {values}"))
    if status.missing:
        lines.append(Text(f"  missing: {'; '.join(status.missing)}", style="yellow"))
    if status.triggered:
        lines += [Text(f"  - {action}") for action in risk.actions]
    return Group(*lines)


def risks_view(risks: Iterable[RiskStatus], plain: bool, only_triggered: bool) -> RenderableType:
    shown = [r for r in risks if r.triggered or not only_triggered]
    title = "Triggered risks" if only_triggered else "Risks"
    parts: list[RenderableType] = [Text(f"{title} ({len(shown)})", style="bold underline")]
    for risk in shown:
        parts += [risk_block(risk, plain), Text("")]
    return Group(*parts)


def summary_line(evaluation: Evaluation) -> str:
    counts = Counter(goal.status for goal in evaluation.goals)
    parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in STATUSES if counts[s]]
    total = len(evaluation.goals)
    noun = "goal" if total == 1 else "goals"
    line = f"{total} {noun} as of {evaluation.as_of.isoformat()}: " + ", ".join(parts)
    fired = sum(r.triggered for r in evaluation.risks)
    if fired:
        line += f"; {fired} risk{'s' if fired != 1 else ''} triggered"
    return line


def problem_lines(problems: Iterable[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def _recent_table(metric: MetricDef, series: Series, as_of: dt.date, recent: int) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False, show_edge=False)
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_column(overflow="fold")
    end = series.count_until(as_of)
    for i in range(max(end - recent, 0), end):
        table.add_row(
            series.dates[i].isoformat(), value_text(metric, series.values[i]), series.notes[i]
        )
    return table


def goal_card(
    status: GoalStatus, ledger: Ledger, as_of: dt.date, plain: bool, recent: int = 5
) -> RenderableType:
    """`show`: the goal as a SMART card."""
    goal = status.goal
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column(overflow="fold")
    head.add_row("Status", status_text(status.status, plain))
    head.add_row("Score", bar(status.score, plain))
    head.add_row("Area", goal.area)
    for label, value in (
        ("Owner", goal.owner),
        ("Start", goal.start_text),
        ("Due", goal.due_text),
        ("After", goal.after),
        ("Tags", ", ".join(goal.tags) if goal.tags else None),
    ):
        if value:
            head.add_row(label, value)
    head.add_row("Defined", str(goal.where))
    parts: list[RenderableType] = [head]
    if goal.smart:
        smart = Table.grid(padding=(0, 2))
        smart.add_column(style="bold")
        smart.add_column(overflow="fold")
        for key, text in goal.smart:
            smart.add_row(key.replace("_", "-").capitalize(), text)
        parts += [Text(""), smart]
    if goal.review:
        review = "; ".join(f"{cadence}: {text}" for cadence, text in goal.review)
        parts += [Text(""), Text.assemble(("Review  ", "bold"), review)]
    if goal.notes:
        parts += [Text(""), Text(goal.notes)]
    for target in status.targets:
        metric = target.metric
        heading = Text.assemble(
            (f"{metric.name}", "bold"),
            f" [{metric.id}]  ",
            status_text(target.status, plain),
        )
        line = Table.grid(padding=(0, 2))
        line.add_column(style="dim")
        line.add_column(overflow="fold")
        line.add_row("current", current_text(target, plain))
        line.add_row("target", target_cell(target, plain))
        if target.steps:
            ladder = ", ".join(
                f"{rung_text(metric, s.rung, plain)}: {s.status.replace('_', ' ')}"
                for s in target.steps
            )
            line.add_row("ladder", ladder)
        line.add_row("left", left_text(target))
        line.add_row("progress", bar(target.progress, plain))
        if target.expected is not None:
            line.add_row("expected", f"{target.expected * 100:.0f}% of the way by now")
        if target.baseline is not None:
            line.add_row("baseline", value_text(metric, target.baseline))
        if target.target.note:
            line.add_row("note", target.target.note)
        series = ledger.series.get(metric.id, Series())
        if series.count_until(as_of):
            line.add_row("recent", _recent_table(metric, series, as_of, recent))
        parts += [Text(""), heading, line]
    title = f"{goal.title} ({goal.id})"
    if plain:
        return Group(Text(title, style="bold"), Text("=" * len(title)), *parts)
    return Panel(Group(*parts), title=title, title_align="left", border_style="blue")


__all__ = ["format_number", "goal_card", "status_table", "summary_line"]
