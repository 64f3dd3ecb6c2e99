"""Dated targets and ladders: one rung judged by its due and its pace, and a ladder's rungs."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.held import judge_held
from smartgoals.engine.judgement import (
    ACHIEVED,
    ACHIEVED_LATE,
    IN_PROGRESS,
    MISSED,
    NO_DATA,
    ON_TRACK,
    PENDING,
    REACHED,
    RungStatus,
    Status,
    Verdict,
    clamp,
    compared,
    pace_curve,
    pace_status,
    progress_of,
    share_elapsed,
)
from smartgoals.ledger.model import MetricDef, Rung, Series, TargetDef, index_left


def first_on_or_after(series: Series, day: dt.date | None, limit: int) -> float | None:
    """The baseline by default: the first observation on or after the start (within limit)."""
    if limit == 0:
        return None
    if day is None:
        return series.values[0]
    index = index_left(series.dates, day)
    return series.values[index] if index < limit else None


def basis_date(metric: MetricDef, as_of: dt.date, latest: dt.date) -> dt.date:
    """The one date a target is judged at before its due: a level (last, mean, max, min) at its
    latest observation; events (aggregate sum) and stages at the as-of date, because a day
    without a row is a day nothing happened and a stage holds until the next row."""
    if metric.is_stage or metric.aggregate == "sum":
        return as_of
    return latest


_CHUNK = 1024
# a one-sided rung is met by some value of a slice only if by its largest (>=, >) or its
# smallest (<=, <): one C pass rules out a slice where none is
_EXTREME = {">=": max, ">": max, "<=": min, "<": min}


def _first_met(rung: Rung, values: list[float]) -> int | None:
    """The index of the first of values that meets rung, None when none does."""
    extreme = _EXTREME.get(rung.op)
    if extreme is not None and values and not rung.met_by(extreme(values)):
        return None
    for offset, value in enumerate(values):
        if rung.met_by(value):
            return offset
    return None


def _judged_at_due(
    rung: Rung, metric: MetricDef, series: Series, known: int, baseline: float | None
) -> Verdict:
    """After the due: the latest value on or before it decides; a later one can make it late."""
    assert rung.due is not None
    values, dates = series.values, series.dates
    due = rung.due.isoformat()
    at_due = series.count_until(rung.due)
    if at_due and rung.met_by(values[at_due - 1]):
        value, day = values[at_due - 1], dates[at_due - 1]
        why = f"judged at due {due}: {compared(metric, value, rung)}"
        return Verdict(ACHIEVED, baseline, 1.0, None, value, day, basis_date=day, why=why)
    for start in range(at_due, known, _CHUNK):  # met after its due: reached, but late
        # read a slice at a time: a paged series (ledger/pages.py) reads it a page at a time
        offset = _first_met(rung, values[start : min(known, start + _CHUNK)])
        if offset is not None:
            value, day = values[start + offset], dates[start + offset]
            why = f"met after due {due} on {day.isoformat()}: {compared(metric, value, rung)}"
            return Verdict(ACHIEVED_LATE, baseline, 1.0, None, value, day, basis_date=day, why=why)
    if at_due == 0:
        why = f"judged at due {due}: no observation by then"
        return Verdict(MISSED, baseline, None, None, basis_date=rung.due, why=why)
    value, day = values[at_due - 1], dates[at_due - 1]
    why = f"judged at due {due}: {compared(metric, value, rung)}"
    progress = progress_of(value, baseline, rung)
    return Verdict(MISSED, baseline, progress, 1.0, value, day, basis_date=day, why=why)


def judge_rung(
    rung: Rung,
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    window_start: dt.date | None,
    baseline: float | None,
    band: float,
) -> Verdict:
    """The status of one rung, with the pace measured from window_start and baseline."""
    if rung.hold:
        return judge_held(
            rung,
            metric,
            series,
            known,
            as_of,
            window_start,
            target.window_text,
            target.grace,
            target.in_a_row,
        )
    if baseline is None:
        baseline = first_on_or_after(series, window_start, known)
    if rung.due is not None and as_of > rung.due:
        return _judged_at_due(rung, metric, series, known, baseline)
    if known == 0:
        return Verdict(NO_DATA, baseline, None, None, why="no observation yet")
    current, latest = series.values[known - 1], series.dates[known - 1]
    basis = basis_date(metric, as_of, latest)
    raw = progress_of(current, baseline, rung)
    plan = expected = None
    note = None
    if _paced(rung, target, baseline) and raw is not None:
        assert rung.due is not None and baseline is not None
        start = window_start or series.dates[0]
        goal = rung.goal_value(baseline)
        curve = pace_curve(target.pace, baseline, goal, share_elapsed(start, rung.due, basis))
        plan, expected, note = curve.value, clamp(curve.expected), curve.note
        if rung.met_by(baseline) or goal == baseline:
            plan = None  # no distance to cover: a pace for the status, but no plan to compare
    if rung.met_by(current):
        # the plan stays known when met, so that a risk's plan() is decided on a rung's due
        why = f"met on {latest.isoformat()}: {compared(metric, current, rung)}"
        return Verdict(ACHIEVED, baseline, 1.0, None, plan=plan, basis_date=basis, why=why)
    if expected is None or raw is None:
        why = "no pace to judge against: " + _no_pace(rung, target, baseline)
        return Verdict(IN_PROGRESS, baseline, raw, None, basis_date=basis, why=why)
    status = pace_status(raw, expected, band)
    why = f"judged at {basis.isoformat()}: progress {raw:.0%} against {expected:.0%} expected"
    return Verdict(status, baseline, raw, expected, None, None, (), plan, note, basis, why)


def _paced(rung: Rung, target: TargetDef, baseline: float | None) -> bool:
    return rung.due is not None and baseline is not None and target.pace != "none"


def _no_pace(rung: Rung, target: TargetDef, baseline: float | None) -> str:
    if rung.due is None:
        return "no due"
    if target.pace == "none":
        return "pace: none"
    return "no baseline"


def current_rung(rungs: tuple[Rung, ...], as_of: dt.date) -> int:
    """The first rung whose due has not passed (the last once all have)."""
    return next((i for i, r in enumerate(rungs) if r.due is None or r.due >= as_of), len(rungs) - 1)


def judge_ladder(
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    band: float,
) -> tuple[Rung, Verdict, Status, tuple[RungStatus, ...]]:
    """(current rung, its verdict, the ladder's status, each rung's verdict). A rung after the
    current one has no window open yet: it is pending, never judged."""
    rungs = target.rungs
    index = current_rung(rungs, as_of)
    steps: list[RungStatus] = []
    verdict: Verdict | None = None
    for i, rung in enumerate(rungs):
        if i > index:
            steps.append(RungStatus(rung, PENDING))
            continue
        previous_due = rungs[i - 1].due if i else None
        start = previous_due + dt.timedelta(days=1) if previous_due else target.start
        if not rung.hold and previous_due:
            start = previous_due  # the pace runs from the previous rung, at its due
        base = rungs[i - 1].value if i else target.baseline
        judged = judge_rung(rung, target, metric, series, known, as_of, start, base, band)
        steps.append(RungStatus(rung, judged.status))
        verdict = judged
    assert verdict is not None
    status = verdict.status
    label = f"rung {index + 1}/{len(rungs)}"
    if status in REACHED and index < len(rungs) - 1:
        status = ON_TRACK  # a rung met ahead of time; the ladder is achieved at its top
        verdict = verdict._replace(why=f"{label} met ahead of its due; {verdict.why}")
    else:
        verdict = verdict._replace(why=f"{label}: {verdict.why}")
    return rungs[index], verdict, status, tuple(steps)
