"""The status engine: pure functions of (ledger, as-of date). No clock, no files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import NamedTuple

from .derived import SeriesData
from .formula import evaluate as evaluate_formula
from .ledger import GoalDef, Ledger, MetricDef, RiskDef, Rung, Series, TargetDef
from .periods import CADENCE_DAYS


class Status(StrEnum):
    """The status words: a contract for --json and scripts. A StrEnum, so each is its word."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    MISSED = "missed"
    IN_PROGRESS = "in_progress"
    NO_DATA = "no_data"
    NOT_STARTED = "not_started"


ACHIEVED = Status.ACHIEVED
ON_TRACK = Status.ON_TRACK
AT_RISK = Status.AT_RISK
OFF_TRACK = Status.OFF_TRACK
MISSED = Status.MISSED
IN_PROGRESS = Status.IN_PROGRESS
NO_DATA = Status.NO_DATA
NOT_STARTED = Status.NOT_STARTED
STATUSES = tuple(Status)
# A goal takes the worst status among its targets, in this order (worst first).
SEVERITY = (MISSED, OFF_TRACK, AT_RISK, NO_DATA, IN_PROGRESS, ON_TRACK)

_EMPTY = Series()


class RungStatus(NamedTuple):
    rung: Rung
    status: Status


class TargetStatus(NamedTuple):
    target: TargetDef
    metric: MetricDef
    status: Status
    rung: Rung  # the rung being judged: the target itself, or a ladder's current rung
    current: float | None
    current_date: dt.date | None
    baseline: float | None
    progress: float | None
    expected: float | None
    stale: bool
    left: float | None
    steps: tuple[RungStatus, ...] | None  # ladders only
    reason: str | None = None  # why a derived metric has no value


class RiskStatus(NamedTuple):
    risk: RiskDef
    triggered: bool
    values: dict[str, float | str | None]  # what the condition read: metric or call -> value
    missing: tuple[str, ...]  # inputs without data; a risk that cannot be decided is not triggered


class GoalStatus(NamedTuple):
    goal: GoalDef
    status: Status
    score: float | None
    targets: tuple[TargetStatus, ...]


class Evaluation(NamedTuple):
    as_of: dt.date
    goals: tuple[GoalStatus, ...]
    risks: tuple[RiskStatus, ...] = ()

    def goal(self, goal_id: str) -> GoalStatus | None:
        return next((g for g in self.goals if g.goal.id == goal_id), None)

    def only(self, goals: tuple[GoalStatus, ...]) -> Evaluation:
        """The same evaluation restricted to these goals (risks are kept)."""
        return self._replace(goals=goals)


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def _progress(value: float, baseline: float | None, rung: Rung) -> float | None:
    """(value - baseline) / (goal - baseline): the share of the distance covered, any direction."""
    if baseline is None:
        return None
    goal = rung.goal_value(baseline)
    if goal == baseline or rung.met_by(baseline):
        # no distance to cover: the target was met where counting started
        return 1.0 if rung.met_by(value) else 0.0
    return (value - baseline) / (goal - baseline)


def _left(value: float | None, rung: Rung) -> float | None:
    if value is None:
        return None
    if rung.met_by(value):
        return 0.0
    if rung.op in (">=", ">"):
        return rung.value - value
    if rung.op in ("<=", "<"):
        return value - rung.value
    if rung.op == "..":
        assert rung.high is not None
        return rung.value - value if value < rung.value else value - rung.high
    return abs(rung.value - value)


def _first_on_or_after(series: Series, day: dt.date | None, limit: int) -> float | None:
    """The baseline by default: the first observation on or after the start (within limit)."""
    if limit == 0:
        return None
    if day is None:
        return series.values[0]
    from bisect import bisect_left

    index = bisect_left(series.dates, day)
    return series.values[index] if index < limit else None


class _Judgement(NamedTuple):
    status: Status
    baseline: float | None
    progress: float | None
    expected: float | None


def _judge(
    rung: Rung,
    series: Series,
    known: int,
    as_of: dt.date,
    window_start: dt.date | None,
    baseline: float | None,
    band: float,
) -> _Judgement:
    """The status of one rung, with the pace measured from window_start and baseline."""
    values, dates = series.values, series.dates
    if baseline is None:
        baseline = _first_on_or_after(series, window_start, known)
    if rung.due is not None and as_of > rung.due:
        at_due = series.count_until(rung.due)
        if at_due == 0:
            return _Judgement(MISSED, baseline, None, None)
        value = values[at_due - 1]
        if rung.met_by(value):
            return _Judgement(ACHIEVED, baseline, 1.0, None)
        return _Judgement(MISSED, baseline, _progress(value, baseline, rung), 1.0)
    if known == 0:
        return _Judgement(NO_DATA, baseline, None, None)
    current, current_date = values[known - 1], dates[known - 1]
    if rung.met_by(current):
        return _Judgement(ACHIEVED, baseline, 1.0, None)
    progress = _progress(current, baseline, rung)
    if rung.due is None or progress is None:
        return _Judgement(IN_PROGRESS, baseline, progress, None)
    start = window_start or dates[0]
    span = (rung.due - start).days
    expected = 1.0 if span <= 0 else _clamp((current_date - start).days / span)
    if progress >= expected:
        status = ON_TRACK
    elif progress >= expected - band:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return _Judgement(status, baseline, progress, expected)


def evaluate_target(
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    as_of: dt.date,
    band: float,
    not_started: bool = False,
) -> TargetStatus:
    """Judge one target at as_of; not_started forces that status but keeps the numbers."""
    known = series.count_until(as_of)
    current = series.values[known - 1] if known else None
    current_date = series.dates[known - 1] if known else None
    stale = bool(
        metric.cadence
        and current_date is not None
        and (as_of - current_date).days > CADENCE_DAYS[metric.cadence]
    )
    rungs = target.rungs
    steps: tuple[RungStatus, ...] | None = None
    if target.is_ladder:
        # the current rung: the first whose due has not passed (the last once all have)
        index = next(
            (i for i, r in enumerate(rungs) if r.due is None or r.due >= as_of), len(rungs) - 1
        )
        judged = []
        for i, rung in enumerate(rungs):
            start = rungs[i - 1].due if i else target.start
            base = rungs[i - 1].value if i else target.baseline
            judged.append(_judge(rung, series, known, as_of, start, base, band))
        steps = tuple(RungStatus(r, j.status) for r, j in zip(rungs, judged, strict=True))
        rung, judgement = rungs[index], judged[index]
        status = judgement.status
        if status == ACHIEVED and index < len(rungs) - 1:
            status = ON_TRACK  # a rung met ahead of time; the ladder is achieved at its top
    else:
        rung = rungs[0]
        judgement = _judge(rung, series, known, as_of, target.start, target.baseline, band)
        status = judgement.status
    if not_started or (target.start is not None and as_of < target.start):
        status = NOT_STARTED
    return TargetStatus(
        target=target,
        metric=metric,
        status=status,
        rung=rung,
        current=current,
        current_date=current_date,
        baseline=judgement.baseline,
        progress=judgement.progress,
        expected=judgement.expected,
        stale=stale,
        left=0.0 if status == ACHIEVED else _left(current, rung),
        steps=steps,
    )


def goal_status(target_statuses: tuple[TargetStatus, ...]) -> Status:
    """achieved when every target is; otherwise the worst target status.

    A target with a start of its own in the future is not_started and does not drag its goal.
    """
    found = {t.status for t in target_statuses}
    if found == {ACHIEVED}:
        return ACHIEVED
    for status in SEVERITY:
        if status in found:
            return status
    if found == {ACHIEVED, NOT_STARTED}:
        return ON_TRACK  # all that has started is done; the rest starts later
    return NOT_STARTED if NOT_STARTED in found else NO_DATA


def goal_score(target_statuses: tuple[TargetStatus, ...]) -> float | None:
    """The mean of the targets' progress, each clamped to 0..1, as in OKR grading."""
    if not target_statuses:
        return None
    total = sum(_clamp(t.progress) if t.progress is not None else 0.0 for t in target_statuses)
    return round(total / len(target_statuses), 3)


def evaluate(ledger: Ledger, as_of: dt.date) -> Evaluation:
    """The status of every goal and target in the ledger at as_of."""
    by_id = {goal.id: goal for goal in ledger.goals}
    done: dict[str, GoalStatus] = {}

    def visit(goal: GoalDef, chain: tuple[str, ...]) -> GoalStatus:
        if goal.id in done:
            return done[goal.id]
        waiting = False
        if goal.after and goal.after in by_id and goal.after not in chain:
            before = visit(by_id[goal.after], (*chain, goal.id))
            waiting = before.status != ACHIEVED
        if goal.start is not None and as_of < goal.start:
            waiting = True
        targets = tuple(
            evaluate_target(
                target,
                ledger.metrics[target.metric],
                ledger.series.get(target.metric, _EMPTY),
                as_of,
                ledger.at_risk_band,
                not_started=waiting,
            )
            for target in goal.targets
        )
        targets = tuple(_with_reason(t, ledger, as_of) for t in targets)
        status = NOT_STARTED if waiting else goal_status(targets)
        result = done[goal.id] = GoalStatus(goal, status, goal_score(targets), targets)
        return result

    goals = tuple(visit(goal, ()) for goal in ledger.goals)
    statuses = {g.goal.id: g.status for g in goals}
    return Evaluation(as_of, goals, evaluate_risks(ledger, as_of, statuses))


def _with_reason(target: TargetStatus, ledger: Ledger, as_of: dt.date) -> TargetStatus:
    """A derived metric without a value says why (an input has no data, division by zero)."""
    formula = ledger.formulas.get(target.metric.id)
    if target.current is not None or formula is None:
        return target
    outcome = evaluate_formula(formula, SeriesData(ledger.metrics, ledger.series, as_of))
    return target._replace(reason=outcome.reason)


def evaluate_risks(
    ledger: Ledger, as_of: dt.date, statuses: Mapping[str, str]
) -> tuple[RiskStatus, ...]:
    """Each risk's condition at as_of, with the values that decided it."""
    result = []
    for risk in ledger.risks:
        condition = ledger.conditions.get(risk.id)
        if condition is None:
            continue  # its problem is reported by check
        data = SeriesData(ledger.metrics, ledger.series, as_of, statuses)
        outcome = evaluate_formula(condition, data)
        triggered = outcome.value is True
        missing = () if triggered else tuple(outcome.missing)
        result.append(RiskStatus(risk, triggered, dict(outcome.values), missing))
    return tuple(result)
