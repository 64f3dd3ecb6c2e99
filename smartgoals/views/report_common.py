"""The report's words and cells, shared by the Markdown and HTML renderers (each escapes them
for its own format)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartgoals.engine.words import (
    forecast_cell,
    forecast_sentence,
    slack_text,
    verdict_word,
)
from smartgoals.quantity import unit_kind
from smartgoals.rendering.cells import difference_text, reading_text, rung_text, value_text

if TYPE_CHECKING:
    from smartgoals.engine.reporting import Calibration, Report, RiskMove, Row, RungDue
    from smartgoals.ledger.model import MetricDef

TITLES = {"weekly": "Weekly report", "monthly": "Monthly report", "quarterly": "Quarterly report"}
TREND_WORDS = {"up": "↑ up", "down": "↓ down", "flat": "→ flat", "": "-"}
KPI_HEADER = (
    "Goal / target",
    "Value",
    "Previous",
    "Change",
    "Target",
    "Plan",
    "Variance",
    "Var %",
    "Status",
    "Trend",
)
KPI_NUMERIC = (False, True, True, True, False, True, True, True, False, False)
RISK_STATES = (
    ("new", "Newly triggered"),
    ("still", "Still triggered"),
    ("cleared", "Cleared since the baseline"),
)


def title(report: Report) -> str:
    period = report.period
    return f"{TITLES[period.kind]} {period.label} (to {period.as_of.isoformat()})"


def word(status: str) -> str:
    return status.replace("_", " ")


def signed(text: str) -> str:
    return text if text.startswith("-") or text == "0" else f"+{text}"


def amount(metric: MetricDef, value: float) -> str:
    """A plan or a difference as people read it: whole numbers from 100 up, else two decimals
    (percent and ratios as their readings are rounded)."""
    if unit_kind(metric.unit) in ("percent", "ratio"):
        return reading_text(metric, value)
    return value_text(metric, round(value, 0 if abs(value) >= 100 else 2))


def difference(metric: MetricDef, value: float) -> str:
    if abs(value) < 1e-9:
        return "0"
    if unit_kind(metric.unit) not in ("percent", "ratio"):
        value = round(value, 0 if abs(value) >= 100 else 2)
    return signed(difference_text(metric, value))


def kpi_cells(row: Row) -> tuple[str, ...]:
    target = row.target
    metric = target.metric
    previous = row.previous.current if row.previous is not None else None
    change = "-" if row.change is None else difference(metric, row.change)
    variance = "-" if row.variance is None else difference(metric, row.variance)
    percent = "-" if row.variance_pct is None else f"{row.variance_pct:+.1f}%"
    return (
        f"{row.goal.goal.title} / {metric.name}",
        value_text(metric, target.current),
        "new" if row.previous is None else value_text(metric, previous),
        change,
        rung_text(metric, target.rung, plain=True),
        "-" if target.plan is None else amount(metric, target.plan),
        variance,
        percent,
        word(target.status),
        TREND_WORDS.get(row.trend, row.trend),
    )


def variance_line(row: Row) -> str:
    metric = row.target.metric
    assert row.variance is not None
    side = "above" if row.variance >= 0 else "below"
    percent = "" if row.variance_pct is None else f" ({row.variance_pct:+.1f}%)"
    assert row.target.plan is not None
    gap = difference(metric, abs(row.variance)).lstrip("+")
    return f"{gap}{percent} {side} plan ({amount(metric, row.target.plan)})"


def forecast_cells(row: Row) -> tuple[str, str, str, str] | None:
    """(due, ETA / value at due, slack, verdict) for a dated target with a forecast."""
    forecast = row.forecast
    if forecast is None or forecast.due is None or forecast.verdict in ("unknown", "reached"):
        return None
    metric = row.target.metric
    if forecast.eta is not None:
        eta = forecast.eta.isoformat()
    elif forecast.value_at_due is not None:
        eta = f"{reading_text(metric, forecast.value_at_due)} at due"
    else:
        eta = forecast_cell(forecast, metric)
    slack = "-" if forecast.slack_days is None else slack_text(forecast.slack_days)
    return forecast.due.isoformat(), eta, slack, verdict_word(forecast.verdict)


def forecast_detail(row: Row) -> str:
    if row.forecast is None:
        return "no forecast"
    return forecast_sentence(row.forecast, row.target.metric)


def risk_line(move: RiskMove) -> str:
    risk = move.risk.risk
    owner = f", owner {risk.owner}" if risk.owner else ""
    return f"{risk.title} ({risk.id}{owner})"


def calibration_cells(item: Calibration) -> tuple[str, ...]:
    change = item.change
    metric = change.metric
    old = "; ".join(rung_text(metric, r, plain=True) for r in change.old or ()) or "-"
    new = "; ".join(rung_text(metric, r, plain=True) for r in change.new or ()) or "-"
    how = {True: "eased", False: "tightened", None: "changed"}[change.eased]
    if item.commit is not None:
        who = item.commit.author
        commit = f"{item.commit.short} {item.commit.message}"
    else:
        who, commit = "-", "not committed"
    return (f"{change.goal} / {metric.id}", how, old, new, who, commit)


def rung_cells(rung: RungDue) -> tuple[str, ...]:
    metric = rung.metric
    actual = value_text(metric, rung.actual)
    if rung.actual_date is not None:
        actual += f" ({rung.actual_date.isoformat()})"
    due = rung.rung.due.isoformat() if rung.rung.due else "-"
    return (
        f"{rung.goal} / {metric.id}",
        rung_text(metric, rung.rung, plain=True),
        due,
        actual,
        word(rung.verdict),
    )


def footer(report: Report) -> str:
    """Where the baseline came from (the version is left out, so that a committed report
    changes only when the ledger does; JSON carries it)."""
    base = report.baseline
    text = base.note
    if base.commit is not None:
        text += f' ("{base.commit.message}", {base.commit.author})'
    return f"{text}. Generated by smartgoals for {report.period.as_of.isoformat()}."
