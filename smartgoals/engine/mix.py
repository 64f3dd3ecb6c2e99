"""Mixes: the parts of one whole judged against their planned shares, as one target. Pure.

The rules are stated in docs/status-engine.md ("Mixes"); they never disagree:

- the **basis date** is the oldest of the parts' latest observations on or before the day
  judged; each part's value is its latest on or before it. No basis date (a part without any
  observation there): no_data.
- a part's **actual share** is its value when the parts are shares (unit: percent), else its
  value over the sum of the parts' values, in %; its **deviation** is actual minus planned, in
  percentage points; the mix's value is the **worst** (largest) absolute deviation.
- within the tolerance: achieved (met, as a plain target is before its due); beyond it, up to
  twice the tolerance: at_risk; beyond that: off_track; after the due, judged at the latest
  basis on or before the due: achieved when within, achieved_late when not but within now,
  missed otherwise.
- score (and progress): 1 within the tolerance, falling evenly to 0 at twice the tolerance.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from smartgoals.engine.forecast import UNKNOWN, Forecast
from smartgoals.engine.judgement import (
    ACHIEVED,
    ACHIEVED_LATE,
    AT_RISK,
    MISSED,
    NO_DATA,
    NOT_STARTED,
    OFF_TRACK,
    REACHED,
    MixShare,
    Status,
    TargetStatus,
    clamp,
)
from smartgoals.ledger.model import MetricDef, Series, TargetDef
from smartgoals.periods import CADENCE_DAYS
from smartgoals.quantity import format_number, unit_kind

POINTS = "pp"
_EMPTY = Series()
_EPSILON = 1e-9


class Shares(NamedTuple):
    """A mix at one basis date: its parts' shares and the worst absolute deviation."""

    basis: dt.date
    parts: tuple[MixShare, ...]
    worst: float | None  # None when the amounts add up to nothing
    worst_part: MixShare | None


def mix_metric(target: TargetDef) -> MetricDef:
    """The mix as the judgement record's metric: its id and name, its value in points."""
    return MetricDef(
        id=target.metric, name=target.name or target.metric, unit=POINTS, direction="down",
        where=target.where,
    )  # fmt: skip


def shares_at(
    target: TargetDef, metrics: dict[str, MetricDef], series: dict[str, Series], day: dt.date
) -> Shares | None:
    """The mix's shares at the latest basis date on or before day, or None without one."""
    latest: list[tuple[int, Series]] = []
    for _part, metric_id, _planned in target.mix:
        one = series.get(metric_id, _EMPTY)
        known = one.count_until(day)
        if not known:
            return None
        latest.append((known, one))
    basis = min(one.dates[known - 1] for known, one in latest)
    values = []
    for _known, one in latest:
        index = one.count_until(basis) - 1
        if index < 0:  # this part began after another's latest: no date has them all
            return None
        values.append((one.values[index], one.dates[index]))
    first = metrics.get(target.mix[0][1])
    amounts = first is None or unit_kind(first.unit) != "percent"
    total = sum(value for value, _date in values)
    parts = []
    for (part, metric_id, planned), (value, date) in zip(target.mix, values, strict=True):
        # a share is its value; an amount is its part of the sum (none when the sum is 0)
        actual = value if not amounts else value / total * 100.0 if total > 0 else None
        deviation = None if actual is None else actual - planned
        parts.append(MixShare(part, metric_id, planned, actual, deviation, value, date))
    judged = [p for p in parts if p.deviation is not None]
    if not judged:
        return Shares(basis, tuple(parts), None, None)
    worst_part = max(judged, key=lambda p: abs(p.deviation or 0.0))
    return Shares(basis, tuple(parts), abs(worst_part.deviation or 0.0), worst_part)


def mix_status(worst: float, tolerance: float) -> Status:
    """Within the tolerance: achieved; at_risk up to twice the tolerance; off_track beyond."""
    if worst <= tolerance + _EPSILON:
        return ACHIEVED
    if worst <= 2 * tolerance + _EPSILON:
        return AT_RISK
    return OFF_TRACK


def mix_score(worst: float | None, tolerance: float) -> float | None:
    """1 within the tolerance, falling evenly to 0 at twice the tolerance."""
    if worst is None:
        return None
    return clamp(1.0 - max(0.0, worst - tolerance) / tolerance)


def evaluate_mix(
    target: TargetDef,
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
    as_of: dt.date,
    not_started: bool = False,
) -> TargetStatus:
    """Judge a mix at as_of: one TargetStatus, its parts in `mix`."""
    rung = target.rungs[0]
    tolerance = rung.value
    now = shares_at(target, metrics, series, as_of)
    due = None if rung.open_ended else rung.due
    judged = now
    judged_date: dt.date | None = None
    if now is None or now.worst is None:
        status = NO_DATA
    elif due is None or as_of <= due:
        status = mix_status(now.worst, tolerance)
    else:
        at_due = shares_at(target, metrics, series, due)
        if at_due is not None and at_due.worst is not None and at_due.worst <= tolerance + _EPSILON:
            status, judged, judged_date = ACHIEVED, at_due, at_due.basis
        elif now.worst <= tolerance + _EPSILON:
            status = ACHIEVED_LATE
        else:
            status, judged = MISSED, at_due
            judged_date = at_due.basis if at_due is not None else due
    why = _why(judged, tolerance, status, now)
    if not_started or (target.start is not None and as_of < target.start):
        status = NOT_STARTED
        why = f"not started; the numbers so far: {why}" if why else "not started"
    worst = judged.worst if judged is not None else None
    score = mix_score(worst, tolerance)
    return TargetStatus(
        target=target,
        metric=mix_metric(target),
        status=status,
        rung=rung,
        current=now.worst if now is not None else None,
        current_date=now.basis if now is not None else None,
        baseline=None,
        progress=score,
        expected=None,
        stale=_stale(target, metrics, now, as_of),
        left=_left(status, worst, tolerance),
        steps=None,
        judged_value=worst if judged_date is not None else None,
        judged_date=judged_date,
        basis_date=judged.basis if judged is not None else None,
        score=score,
        why=why,
        mix=judged.parts if judged is not None else None,
    )


def _left(status: Status, worst: float | None, tolerance: float) -> float | None:
    if worst is None:
        return None
    return 0.0 if status in REACHED else max(0.0, worst - tolerance)


def _stale(
    target: TargetDef, metrics: dict[str, MetricDef], now: Shares | None, as_of: dt.date
) -> bool:
    """Stale when the basis date is older than the shortest cadence of the parts' metrics."""
    if now is None:
        return False
    cadences = [
        CADENCE_DAYS[m.cadence]
        for _part, metric_id, _planned in target.mix
        if (m := metrics.get(metric_id)) is not None and m.cadence
    ]
    return bool(cadences) and (as_of - now.basis).days > min(cadences)


def mix_forecast() -> Forecast:
    """A mix has no forecast: its shares are judged against plan, not extrapolated."""
    return Forecast(UNKNOWN, "a mix has no forecast: its shares are judged against the plan")


def share_text(value: float | None) -> str:
    """A share for people: 38%, 37.5%, - without one."""
    return "-" if value is None else f"{format_number(round(value, 1))}%"


def compact_text(parts: tuple[MixShare, ...] | None) -> str:
    """The parts on one line: web 38% (40) · mobile 57% (55) · desktop 5% (5)."""
    return " · ".join(
        f"{p.part} {share_text(p.actual)} ({format_number(p.planned)})" for p in parts or ()
    )


def points(value: float) -> str:
    """A deviation in percentage points: +2pp, -0.5pp, 0pp."""
    sign = "+" if value > _EPSILON else "-" if value < -_EPSILON else ""
    return f"{sign}{format_number(round(abs(value), 2))}pp"


def _why(judged: Shares | None, tolerance: float, status: Status, now: Shares | None) -> str:
    if judged is None:
        return "no date yet at which every part has a value"
    worst = judged.worst_part
    if worst is None or worst.actual is None:
        return f"judged at {judged.basis.isoformat()}: the parts add up to nothing"
    word = "within" if (judged.worst or 0.0) <= tolerance + _EPSILON else "beyond"
    if word == "beyond" and (judged.worst or 0.0) > 2 * tolerance + _EPSILON:
        word = "beyond twice"
    text = (
        f"judged at {judged.basis.isoformat()}: worst part {worst.part} "
        f"{format_number(round(worst.actual, 2))}% vs {format_number(worst.planned)}% planned "
        f"({points(worst.deviation or 0.0)}), {word} {format_number(tolerance)}pp"
    )
    if status == ACHIEVED_LATE and now is not None:
        text += f"; within since, at {now.basis.isoformat()}"
    return text
