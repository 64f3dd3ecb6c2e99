"""Values, rungs and forecasts in the words people read: the sentences of `explain` and every
view's cells use the same ones, so that a number reads the same wherever it is shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from smartgoals.engine.forecast import REACHED, UNKNOWN
from smartgoals.ledger.model import MetricDef, Rung
from smartgoals.quantity import format_number, format_value, unit_kind

if TYPE_CHECKING:
    from smartgoals.engine.forecast import Forecast, Rate

_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
_ASCII_OPS = {">=": ">=", "<=": "<=", ">": ">", "<": "<", "==": "="}


def value_text(metric: MetricDef, value: float | None) -> str:
    if metric.is_stage:
        return metric.stage_name(value) or "-"
    return format_value(value, metric.unit, metric.precision)


def rung_text(metric: MetricDef, rung: Rung, plain: bool = False) -> str:
    if metric.is_stage:
        text = value_text(metric, rung.value)
    elif rung.op == "..":
        text = f"{value_text(metric, rung.value)}..{value_text(metric, rung.high)}"
    else:
        ops = _ASCII_OPS if plain else _OPS
        text = f"{ops[rung.op]} {value_text(metric, rung.value)}"
    if rung.due_text and rung.open_ended:
        text += f", {rung.due_text} (open-ended)"  # due: open
    elif rung.due_text:
        text += f" by {rung.due_text}"
    return text


def plan_text(
    metric: MetricDef, rungs: Sequence[Rung] | None, mix: Sequence[tuple[str, str, float]] = ()
) -> str:
    """A target's rungs as plain text (`>= 10 by 2026-Q4; >= 20 by 2027-Q4`), and a mix's
    planned shares after its tolerance (`<= 5 pp by 2026-Q4: web 40%, mobile 55%`); `-` for none."""
    text = "; ".join(rung_text(metric, rung, plain=True) for rung in rungs or ()) or "-"
    if mix:
        text += ": " + ", ".join(f"{part} {format_number(share)}%" for part, _, share in mix)
    return text


def _rounded(value: float, decimals: int) -> str:
    text = format_number(round(value, decimals))
    return "0" if text == "-0" else text


def difference_text(metric: MetricDef, value: float) -> str:
    """A difference between two values of the metric, in its unit: percentage points for a
    percent (`0.6 pp`, not `0.5952%`), a ratio as its values read (`0.55:1`)."""
    kind = unit_kind(metric.unit)
    if kind == "percent":
        return f"{_rounded(value, 1 if abs(value) >= 0.1 or value == 0 else 2)} pp"
    if kind == "ratio":
        return format_value(round(value, 2), metric.unit)
    return value_text(metric, value)


VERDICT_WORDS = {"wont_make": "won't make"}  # JSON keeps the identifier, people read the word


def verdict_word(verdict: str) -> str:
    """A verdict or status as people read it: `won't make`, `will make`, `at risk`."""
    return VERDICT_WORDS.get(verdict) or verdict.replace("_", " ")


def amount_text(metric: MetricDef, per_month: float) -> str:
    """An amount per month in the metric's unit, signed: +$7,200/month, -0.5 pp/month."""
    digits = 0 if abs(per_month) >= 100 else 1 if abs(per_month) >= 1 else 3
    rounded = round(per_month, digits)
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return f"{sign}{difference_text(metric, abs(rounded))}/month"


def percent_text(percent: float) -> str:
    return f"{format_number(round(percent, 1))}%"


def rate_text(metric: MetricDef, rate: Rate, required: bool) -> str:
    """A rate in both forms: `+$17,500/month or 21.9%/month` (required), `+$7,200/month, 12%
    CMGR` (trailing: the compound monthly growth rate of the fit)."""
    parts = []
    if rate.per_month is not None:
        parts.append(amount_text(metric, rate.per_month))
    if rate.percent_per_month is not None:
        suffix = "/month" if required else " CMGR"
        parts.append(f"{percent_text(rate.percent_per_month)}{suffix}")
    return (" or " if required else ", ").join(parts)


def slack_text(days: int) -> str:
    if days == 0:
        return "on the due"
    word = "day" if abs(days) == 1 else "days"
    return f"{abs(days)} {word} {'early' if days > 0 else 'late'}"


def forecast_cell(forecast: Forecast, metric: MetricDef) -> str:
    """The ETA/slack column: `2027-02-10 -42d`, `never`, `14.4% at due`, `reached` or `-`."""
    # status without --forecast never loads the forecast engine: values and rungs need none

    if forecast.verdict == REACHED:
        return "reached"
    if forecast.verdict == UNKNOWN:
        return "-"
    if forecast.eta is not None and forecast.slack_days is not None:
        return f"{forecast.eta.isoformat()} {forecast.slack_days:+d}d"
    if forecast.value_at_due is not None:
        return f"{value_text(metric, _shown(metric, forecast.value_at_due))} at due"
    return "never"


def _shown(metric: MetricDef, value: float) -> float:
    """A forecast value rounded as people read it (percent and ratios to one decimal)."""
    if unit_kind(metric.unit) in ("percent", "ratio") or abs(value) < 100:
        return round(value, 1 if abs(value) >= 1 else 3)
    return round(value)


def forecast_sentence(forecast: Forecast, metric: MetricDef) -> str:
    """`show`: "needs +$17,500/month or 21.9%/month; trailing +$7,200/month, 12% CMGR (compound);
    ETA 2027-02-10, 42 days late: won't make"."""
    # status without --forecast never loads the forecast engine: values and rungs need none

    if forecast.verdict == UNKNOWN:
        return f"no forecast: {forecast.reason}"
    parts = []
    if forecast.required_rate is not None and forecast.verdict != REACHED:
        parts.append(f"needs {rate_text(metric, forecast.required_rate, True)}")
    if forecast.actual_rate is not None:
        trailing = f"trailing {rate_text(metric, forecast.actual_rate, False)}"
        if forecast.model:
            trailing += f" ({forecast.model_note or forecast.model})"
        parts.append(trailing)
    if forecast.verdict != REACHED:
        if forecast.eta is not None and forecast.slack_days is not None:
            parts.append(f"ETA {forecast.eta.isoformat()}, {slack_text(forecast.slack_days)}")
        elif forecast.value_at_due is not None and forecast.due is not None:
            at_due = value_text(metric, _shown(metric, forecast.value_at_due))
            parts.append(f"{at_due} expected by {forecast.due.isoformat()}")
        elif forecast.reason:
            parts.append(forecast.reason)
    text = "; ".join(parts)
    if forecast.reason and forecast.reason not in text:
        text += f" ({forecast.reason})"
    verdict = verdict_word(forecast.verdict)
    return f"{text}: {verdict}" if text else verdict
