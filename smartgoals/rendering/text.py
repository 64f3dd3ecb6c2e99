"""Engine records as Rich renderables (status words, bars, risk blocks, the goal card), for the
views' Rich forms; rendering.emit prints them.

Colour never carries meaning alone: every status is a word (and a symbol), every bar has a number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.panel import Panel

from smartgoals.engine.evaluation import GoalStatus, RiskStatus, TargetStatus
from smartgoals.engine.mix import compact_text
from smartgoals.ledger.model import Ledger, MetricDef, Series
from smartgoals.rendering.safe import SafeTable as Table
from smartgoals.rendering.safe import SafeText as Text

if TYPE_CHECKING:
    from smartgoals.engine.forecast import Forecast

from smartgoals.engine.words import forecast_sentence
from smartgoals.rendering.cells import (
    STYLES,
    bar_parts,
    current_parts,
    difference_text,
    left_text,
    risk_lines,
    risks_heading,
    rung_text,
    status_word,
    target_cell,
    value_text,
)


def variance_words(target: TargetStatus) -> str:
    """The record's variance in the metric's unit, with its % of the plan and the band."""
    assert target.variance is not None
    percent = "" if target.variance_pct is None else f" ({target.variance_pct:+.1f}%)"
    band = ", beyond the at-risk band" if target.beyond_band else ""
    return f"{difference_text(target.metric, target.variance)}{percent} against plan{band}"


def status_text(status: str, plain: bool = False) -> Text:
    return Text(status_word(status, plain), style="" if plain else STYLES.get(status, ""))


def bar(fraction: float | None, plain: bool) -> Text:
    filled, empty, percent = bar_parts(fraction, plain)
    return Text.assemble((filled, "green"), (empty, "dim"), percent)


def current_text(status: TargetStatus, plain: bool) -> Text:
    value, date, stale = current_parts(status, plain)
    return Text.assemble(value, (date, "dim"), (stale, "yellow"))


def risk_block(
    status: RiskStatus, plain: bool, metrics: Mapping[str, MetricDef] | None = None
) -> RenderableType:
    """A risk: whether it fired, the values that decided it, and its playbook."""
    word_style = "bold red" if status.triggered else "yellow" if status.missing else "green"
    lines: list[RenderableType] = []
    for kind, line in risk_lines(status, plain, metrics):
        if kind == "head":
            word, _, rest = line.partition("  ")
            lines.append(Text.assemble((word, word_style), "  ", (rest, "bold")))
        else:
            lines.append(Text(line, style={"when": "dim", "missing": "yellow"}.get(kind, "")))
    return Group(*lines)


def risks_view(
    risks: Iterable[RiskStatus],
    plain: bool,
    only_triggered: bool,
    metrics: Mapping[str, MetricDef] | None = None,
) -> RenderableType:
    shown = [r for r in risks if r.triggered or not only_triggered]
    parts: list[RenderableType] = [
        Text(risks_heading(shown, only_triggered), style="bold underline")
    ]
    for risk in shown:
        parts += [risk_block(risk, plain, metrics), Text("")]
    return Group(*parts)


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


def _target_grid(
    target: TargetStatus,
    forecast: Forecast | None,
    ledger: Ledger,
    as_of: dt.date,
    recent: int,
    plain: bool,
) -> RenderableType:
    """A target's lines on the card: current, target, ladder, ... forecast, recent values."""
    metric = target.metric
    line = Table.grid(padding=(0, 2))
    line.add_column(style="dim")
    line.add_column(overflow="fold")
    line.add_row("current", current_text(target, plain))
    line.add_row("target", target_cell(target, plain))
    if target.mix:
        line.add_row("mix", compact_text(target.mix))
    if target.steps:
        ladder = ", ".join(
            f"{rung_text(metric, s.rung, plain)}: {s.status.replace('_', ' ')}"
            for s in target.steps
        )
        line.add_row("ladder", ladder)
    if target.judged_date is not None and target.judged_value is not None:
        judged = value_text(metric, target.judged_value)
        line.add_row("judged", f"{judged} on {target.judged_date.isoformat()}")
    if target.breaches:
        shown = ", ".join(
            f"{b.date.isoformat()} {value_text(metric, b.value)}" for b in target.breaches[-5:]
        )
        more = len(target.breaches) - 5
        line.add_row("breaches", shown + (f" and {more} more" if more > 0 else ""))
    if target.periods is not None:
        periods = ", ".join(
            f"{p.label} {value_text(metric, p.value) if p.value is not None else '-'} "
            f"{p.status.replace('_', ' ')}"
            for p in target.periods[-6:]
        )
        line.add_row("periods", periods)
        line.add_row(
            "record",
            f"{target.met_periods} met, {target.missed_periods} missed, streak {target.streak}",
        )
    line.add_row("left", left_text(target))
    line.add_row("progress", bar(target.progress, plain))
    # both at the judgement's basis date (a level's latest row), which is not always today
    at = f"on {target.basis_date.isoformat()}" if target.basis_date else "by now"
    if target.expected is not None:
        line.add_row("expected", f"{target.expected * 100:.0f}% of the way {at}")
    if target.plan is not None:
        line.add_row("plan", f"{value_text(metric, target.plan)} expected {at}")
    if target.variance is not None:
        line.add_row("variance", variance_words(target))
    if target.why:
        line.add_row("why", target.why)
    if target.pace_note:
        line.add_row("pace", target.pace_note)
    if target.baseline is not None:
        line.add_row("baseline", value_text(metric, target.baseline))
    if target.target.note:
        line.add_row("note", target.target.note)
    if metric.source:
        line.add_row("source", metric.source)
    if forecast is not None:
        line.add_row("forecast", forecast_sentence(forecast, metric))
    series = ledger.series.get(metric.id, Series())
    if series.count_until(as_of):
        line.add_row("recent", _recent_table(metric, series, as_of, recent))
    return line


def goal_card(
    status: GoalStatus,
    ledger: Ledger,
    as_of: dt.date,
    plain: bool,
    recent: int = 5,
    forecasts: Sequence[Forecast] = (),
) -> RenderableType:
    """`show`: the goal as a SMART card."""
    goal = status.goal
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column(overflow="fold")
    head.add_row("Status", status_text(status.status, plain))
    if status.waiting_for:
        head.add_row("Waiting for", ", ".join(status.waiting_for))
    if status.declared is not None:
        since = status.declared_date.isoformat() if status.declared_date else ""
        disagrees = f"; {status.disagreement}" if status.disagreement else ""
        head.add_row("Declared", f"{status.declared} (since {since}){disagrees}")
    head.add_row("Score", bar(status.score, plain))
    head.add_row("Area", goal.area)
    for label, value in (
        ("Owner", goal.owner),
        ("Start", goal.start_text),
        ("Due", goal.due_text),
        ("After", ", ".join(goal.after)),
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
    for index, target in enumerate(status.targets):
        metric = target.metric
        heading = Text.assemble(
            (f"{metric.name}", "bold"),
            f" [{metric.id}]  ",
            status_text(target.status, plain),
        )
        forecast = forecasts[index] if index < len(forecasts) else None
        line = _target_grid(target, forecast, ledger, as_of, recent, plain)
        parts += [Text(""), heading, line]
    title = f"{goal.title} ({goal.id})"
    if plain:
        return Group(Text(title, style="bold"), Text("=" * len(title)), *parts)
    return Panel(Group(*parts), title=title, title_align="left", border_style="blue")


__all__ = ["bar", "current_text", "goal_card", "risk_block", "risks_view", "status_text"]
