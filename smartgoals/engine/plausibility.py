"""Plausibility: a value compared with its metric's recent history before it is recorded.

Pure rules (`judge`), and the history they read: the metric's recent rows from the journal's
tail, plus the values recorded earlier in the same command. A doubt is a question for a person,
not an error: `log` and `checkin` ask in a terminal, warn without one, refuse with --strict.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import insort
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import NamedTuple

from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.values import parse_value
from smartgoals.quantity import format_value, unit_kind

JUMP = 10.0  # more than 10x the previous value, or below a tenth of it
RECENT = 5  # how many previous values count as the recent history
PERCENT_TENS = 10.0  # a percent history "in tens": every recent value at least 10
# a digit lost or added: a move this metric never makes, that one digit would make usual; the
# usual move (log of the ratio) is the widest recent one, but never below 25% nor above 3x
DIGIT_BAND = (math.log(1.25), math.log(3.0))


def judge(metric: MetricDef, value: float, recent: Sequence[float]) -> str | None:
    """Why `value` looks implausible after `recent` (the metric's previous values, oldest
    first), or None. Stage metrics are never judged."""
    if metric.is_stage or not recent:
        return None
    previous = recent[-1]
    name = metric.name or metric.id
    shown, before = (
        format_value(value, metric.unit, metric.precision),
        format_value(previous, metric.unit, metric.precision),
    )
    if (
        unit_kind(metric.unit) == "percent"
        and 0 < abs(value) < 1
        and all(abs(v) >= PERCENT_TENS for v in recent[-RECENT:])
    ):
        return (
            f"{name} {shown} after {before}: a percent is stored as written "
            f"({shown}, not {format_value(value * 100, metric.unit, metric.precision)})"
        )
    if value * previous < 0:
        return f"{name} {shown} after {before} (the sign changed)"
    if value != 0 and previous != 0:
        ratio = abs(value) / abs(previous)
        # compared as products, so that exactly 10x or a tenth is never flagged by rounding
        if abs(value) > JUMP * abs(previous):
            return f"{name} {shown} after {before} ({_times(ratio)})"
        if abs(value) * JUMP < abs(previous):
            return f"{name} {shown} after {before} (below a tenth: {_times(ratio)})"
        digit = _shifted_digit(ratio, recent[-RECENT:])
        if digit is not None:
            fixed = format_value(value * digit, metric.unit, metric.precision)
            what = "a lost digit" if digit > 1 else "an extra digit"
            return f"{name} {shown} after {before} ({_times(ratio)}): {what}? {fixed} is in line"
    return None


def _shifted_digit(ratio: float, recent: Sequence[float]) -> float | None:
    """10 when the value looks a digit short, 0.1 when a digit long, else None: the move as
    written is wider than the metric's usual move (its widest between recent values, kept
    within DIGIT_BAND), and the move with one digit more or less is within it."""
    moves = [abs(math.log(b / a)) for a, b in pairwise(recent) if a * b > 0]
    low, high = DIGIT_BAND
    band = min(max(max(moves, default=low), low), high)
    if abs(math.log(ratio)) <= band:
        return None
    for digit in (10.0, 0.1):
        if abs(math.log(ratio * digit)) <= band:
            return digit
    return None


def _times(ratio: float) -> str:
    return f"{ratio:.1f}x" if ratio >= 0.1 else f"{ratio:.3g}x"


class Doubt(NamedTuple):
    position: int  # the value's place among those being recorded
    reason: str


def recent_values(
    rows: Iterable[Sequence[str]], metrics: dict[str, MetricDef], wanted: set[str]
) -> dict[str, list[tuple[dt.date, float]]]:
    """The values of the wanted metrics in journal rows (date, metric, value, ...), in date
    order; rows that do not parse are left out (check reports them)."""

    found: dict[str, list[tuple[dt.date, float]]] = {}
    for row in rows:
        metric_id = row[1]
        if metric_id not in wanted:
            continue
        try:
            day = dt.date.fromisoformat(row[0])
            value = parse_value(row[2], metrics[metric_id])
        except (ValueError, KeyError):
            continue
        found.setdefault(metric_id, []).append((day, value))
    for values in found.values():
        values.sort(key=lambda item: item[0])  # stable: same-day rows keep journal order
    return found


def doubts(
    values: Sequence[tuple[MetricDef, dt.date, float]],
    history: dict[str, list[tuple[dt.date, float]]],
) -> list[Doubt]:
    """Every value to record that looks implausible after the values before it (on or before
    its day), the ones recorded with it included."""
    found: list[Doubt] = []
    seen = {metric_id: list(rows) for metric_id, rows in history.items()}
    order = sorted(range(len(values)), key=lambda i: values[i][1])
    for index in order:
        metric, day, value = values[index]
        before = [v for d, v in seen.get(metric.id, []) if d <= day][-RECENT:]
        reason = judge(metric, value, before)
        if reason is not None:
            found.append(Doubt(index, reason))
        insort(seen.setdefault(metric.id, []), (day, value), key=lambda item: item[0])
    found.sort()
    return found
