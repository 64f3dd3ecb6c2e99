"""Quotas (`every:`): the target applies to each calendar period of the window separately."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.judgement import (
    ACHIEVED,
    AWAITING_ROW,
    BY_PACE,
    IN_PROGRESS,
    MET,
    MISSED,
    NO_DATA,
    SO_FAR,
    PeriodResult,
    Verdict,
    clamp,
    compared,
    pace_curve,
    pace_status,
    progress_of,
)
from smartgoals.ledger.model import MetricDef, Rung, Series, TargetDef, index_left, index_right
from smartgoals.periods import CADENCE_DAYS, period_label, period_span

# the shortest length of each quota period, to compare with a metric's cadence
PERIOD_DAYS = {"week": 7, "month": 28, "quarter": 90, "year": 365}


def _aggregate(values: list[float], how: str) -> float | None:
    if not values:
        return 0.0 if how == "sum" else None
    if how == "sum":
        return float(sum(values))
    if how == "mean":
        return sum(values) / len(values)
    if how == "max":
        return max(values)
    if how == "min":
        return min(values)
    return values[-1]


def quota_periods(
    target: TargetDef, metric: MetricDef, series: Series, known: int, as_of: dt.date
) -> list[tuple[str, dt.date, dt.date, float | None, dt.date | None]]:
    """Each period of the quota's window up to as-of: (label, first, last, value, last date).

    One pass over the observations in the window, streaming: nothing per metric or per day is
    kept beyond the periods themselves.
    """
    unit = target.every
    assert unit is not None
    rung = target.rungs[0]
    dates, values = series.dates, series.values
    start = target.start or (dates[0] if known else None)
    if start is None:
        return []
    end = min(as_of, rung.due) if rung.due is not None else as_of
    if end < start:
        return []
    result = []
    index = index_left(dates, period_span(start, unit)[0], 0, known)
    first, last = period_span(start, unit)
    while first <= end:
        stop = index_right(dates, last, index, known)
        chunk = values[index:stop]
        latest = dates[stop - 1] if stop > index else None
        value = _aggregate(chunk, metric.aggregate) if chunk or metric.aggregate == "sum" else None
        result.append((period_label(first, unit), first, last, value, latest))
        index = stop
        first, last = period_span(last + dt.timedelta(days=1), unit)
    return result


def awaits_row(metric: MetricDef, unit: str) -> bool:
    """Whether the open period waits for its row: the metric is logged once a period or less
    often, so a period without its row yet says nothing."""
    return metric.cadence is not None and CADENCE_DAYS[metric.cadence] >= PERIOD_DAYS[unit]


def evaluate_quota(
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    band: float,
) -> tuple[tuple[PeriodResult, ...], float | None, dt.date | None, Verdict]:
    """A quota: (its periods, the open period's value and latest date, the verdict)."""
    rung = target.rungs[0]
    periods: list[PeriodResult] = []
    current: tuple[float | None, dt.date | None] = (None, None)
    verdict = Verdict(NO_DATA, None, None, None, why="no period of the quota has begun")
    for label, first, last, value, latest in quota_periods(target, metric, series, known, as_of):
        if last < as_of:  # finished: met or missed
            met = value is not None and rung.met_by(value)
            periods.append(
                PeriodResult(label, first, last, value, ACHIEVED if met else MISSED, True)
            )
            continue
        current = (value, latest)
        verdict = _judge_open(target, metric, rung, value, latest, first, last, as_of, band)
        periods.append(PeriodResult(label, first, last, value, verdict.status, False))
    finished = [p for p in periods if p.finished]
    unit = target.every
    assert unit is not None
    record = f"{sum(p.status == ACHIEVED for p in finished)} of {len(finished)} {unit}s met"
    if rung.due is not None and as_of > rung.due:
        missed = any(p.status != ACHIEVED for p in finished)
        status = MISSED if missed or not finished else ACHIEVED
        last_period = finished[-1] if finished else None
        value = last_period.value if last_period else None
        day = last_period.last if last_period else None
        progress = progress_of(value, 0.0, rung) if value is not None else None
        why = f"after due {rung.due.isoformat()}: {record}"
        judged = Verdict(status, 0.0, progress, None, value, day, basis_date=day, why=why)
        return tuple(periods), value, day, judged
    open_label = next((p.label for p in periods if not p.finished), None)
    if verdict.open_period == AWAITING_ROW or (verdict.status == NO_DATA and finished):
        # the open period says nothing yet: the last finished period's verdict stands
        verdict = verdict._replace(
            status=finished[-1].status if finished else NO_DATA,
            open_period=AWAITING_ROW,
            why=f"{record}; {open_label} awaits its row",
        )
    else:
        verdict = verdict._replace(why=f"{record}; {open_label}: {verdict.why}")
    return tuple(periods), current[0], current[1], verdict


def _judge_open(
    target: TargetDef,
    metric: MetricDef,
    rung: Rung,
    value: float | None,
    latest: dt.date | None,
    first: dt.date,
    last: dt.date,
    as_of: dt.date,
    band: float,
) -> Verdict:
    """The open period of a quota: met; or, for events logged more often than the period, on
    pace by the share of the period elapsed at the as-of date; or awaiting its row."""
    baseline = target.baseline if target.baseline is not None else 0.0
    unit = target.every
    assert unit is not None
    if value is not None and rung.met_by(value):
        why = f"met so far: {compared(metric, value, rung)}"
        return Verdict(ACHIEVED, baseline, 1.0, None, basis_date=as_of, why=why, open_period=MET)
    if latest is None and awaits_row(metric, unit):
        return Verdict(NO_DATA, baseline, None, None, basis_date=as_of, open_period=AWAITING_ROW)
    if latest is None and metric.aggregate != "sum":
        return Verdict(NO_DATA, baseline, None, None, basis_date=as_of, open_period=AWAITING_ROW)
    assert value is not None
    progress = progress_of(value, baseline, rung)
    if metric.aggregate != "sum" or target.pace == "none" or progress is None:
        why = f"{compared(metric, value, rung)} so far"
        return Verdict(
            IN_PROGRESS, baseline, progress, None, basis_date=latest, why=why, open_period=SO_FAR
        )
    # events: a day without a row is a day nothing happened, so the share is at the as-of date
    share = ((as_of - first).days + 1) / ((last - first).days + 1)
    curve = pace_curve(target.pace, baseline, rung.goal_value(baseline), share)
    expected = clamp(curve.expected)
    status = pace_status(progress, expected, band)
    why = f"progress {progress:.0%} against {expected:.0%} of the {unit} elapsed"
    return Verdict(
        status,
        baseline,
        progress,
        expected,
        pace_note=curve.note,
        basis_date=as_of,
        why=why,
        open_period=BY_PACE,
    )
