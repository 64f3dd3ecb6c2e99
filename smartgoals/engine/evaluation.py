"""The status engine: pure functions of (ledger, as-of date). No clock, no files.

Every rule applied here is stated in the README's "The status engine"; they never disagree.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from smartgoals.engine.forecast import reach_of
from smartgoals.formula.evaluate import evaluate as evaluate_formula
from smartgoals.ledger.derived import SeriesData
from smartgoals.ledger.model import GoalDef, Ledger, MetricDef, RiskDef, Rung, Series, TargetDef
from smartgoals.periods import (
    CADENCE_DAYS,
    DEFAULT_HOLD_DAYS,
    DEFAULT_HOLD_PERIODS,
    parse_window,
    period_label,
    period_span,
)


class Status(StrEnum):
    """The status words: a contract for --json and scripts. A StrEnum, so each is its word."""

    ACHIEVED = "achieved"
    ACHIEVED_LATE = "achieved_late"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    BREACHED = "breached"
    MISSED = "missed"
    IN_PROGRESS = "in_progress"
    NO_DATA = "no_data"
    NOT_STARTED = "not_started"


ACHIEVED = Status.ACHIEVED
ACHIEVED_LATE = Status.ACHIEVED_LATE
ON_TRACK = Status.ON_TRACK
AT_RISK = Status.AT_RISK
OFF_TRACK = Status.OFF_TRACK
BREACHED = Status.BREACHED
MISSED = Status.MISSED
IN_PROGRESS = Status.IN_PROGRESS
NO_DATA = Status.NO_DATA
NOT_STARTED = Status.NOT_STARTED
STATUSES = tuple(Status)
REACHED = frozenset({ACHIEVED, ACHIEVED_LATE})
# A goal that is not (late) achieved takes the worst status among its targets, in this order.
SEVERITY = (MISSED, BREACHED, OFF_TRACK, AT_RISK, NO_DATA, IN_PROGRESS, ON_TRACK)

_EMPTY = Series()


class RungStatus(NamedTuple):
    rung: Rung
    status: Status


class Observation(NamedTuple):
    date: dt.date
    value: float


class PeriodResult(NamedTuple):
    """One period of a quota: its value (None without observations) and its verdict."""

    label: str
    first: dt.date
    last: dt.date
    value: float | None
    status: Status  # achieved or missed once finished; the current period's status otherwise
    finished: bool


class TargetStatus(NamedTuple):
    target: TargetDef
    metric: MetricDef
    status: Status
    rung: Rung  # the rung being judged: the target itself, or a ladder's current rung
    current: float | None  # the latest value (a quota: the current period's value)
    current_date: dt.date | None
    baseline: float | None
    progress: float | None  # of the judged value when the verdict was taken at the due
    expected: float | None  # the share of the distance the pace curve expects by now
    stale: bool
    left: float | None  # from the judged value when the verdict was taken at the due
    steps: tuple[RungStatus, ...] | None  # ladders only
    reason: str | None = None  # why a derived metric has no value
    judged_value: float | None = None  # the value that decided an achieved/missed verdict
    judged_date: dt.date | None = None
    breaches: tuple[Observation, ...] = ()  # a held target's observations that broke it
    periods: tuple[PeriodResult, ...] | None = None  # quotas only
    plan: float | None = None  # the value the pace curve expects at as-of
    pace_note: str | None = None  # e.g. why a compound pace fell back to linear

    @property
    def met_periods(self) -> int:
        return sum(1 for p in self.periods or () if p.finished and p.status == ACHIEVED)

    @property
    def missed_periods(self) -> int:
        return sum(1 for p in self.periods or () if p.finished and p.status != ACHIEVED)

    @property
    def streak(self) -> int:
        """Consecutive met periods, counted back from the last finished one."""
        count = 0
        for period in reversed([p for p in self.periods or () if p.finished]):
            if period.status != ACHIEVED:
                break
            count += 1
        return count


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
    waiting_for: tuple[str, ...] = ()  # predecessors not reached yet (then: not_started)


class AreaStatus(NamedTuple):
    area: str
    score: float | None  # the weighted mean of its goals' scores
    counts: dict[str, int]  # status word -> number of goals


class Evaluation(NamedTuple):
    as_of: dt.date
    goals: tuple[GoalStatus, ...]
    risks: tuple[RiskStatus, ...] = ()

    def goal(self, goal_id: str) -> GoalStatus | None:
        return next((g for g in self.goals if g.goal.id == goal_id), None)

    def only(self, goals: tuple[GoalStatus, ...]) -> Evaluation:
        """The same evaluation restricted to these goals (risks are kept)."""
        return self._replace(goals=goals)

    @property
    def areas(self) -> tuple[AreaStatus, ...]:
        return area_statuses(self.goals)


# --- one rung ---------------------------------------------------------------------------------


def _clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def _progress(value: float, baseline: float | None, rung: Rung) -> float | None:
    """(value - baseline) / (goal - baseline): the share of the distance covered, any direction.

    When the baseline already meets the target there is no distance: progress is 1 while the
    value meets it and 0 when it does not.
    """
    if baseline is None:
        return None
    goal = rung.goal_value(baseline)
    if goal == baseline or rung.met_by(baseline):
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
    index = bisect_left(series.dates, day)
    return series.values[index] if index < limit else None


class _Judgement(NamedTuple):
    status: Status
    baseline: float | None
    progress: float | None
    expected: float | None
    judged_value: float | None = None
    judged_date: dt.date | None = None
    breaches: tuple[Observation, ...] = ()
    plan: float | None = None
    pace_note: str | None = None


class _Curve(NamedTuple):
    expected: float  # the share of the distance expected
    value: float  # the value expected
    note: str | None


def pace_curve(pace: str, baseline: float, goal: float, share: float) -> _Curve:
    """Where the pace curve expects the value at this share of the window."""
    if pace == "compound":
        if baseline > 0 and goal > 0:
            value = baseline * (goal / baseline) ** share
            expected = (value - baseline) / (goal - baseline) if goal != baseline else 1.0
            return _Curve(expected, value, None)
        note = "compound pace needs a baseline and target above zero; linear pace used"
        return _Curve(share, baseline + share * (goal - baseline), note)
    return _Curve(share, baseline + share * (goal - baseline), None)


def pace_status(progress: float, expected: float, band: float) -> Status:
    """The README's pace rule, for every curve: on_track at or above the expected progress,
    at_risk within the band below it, off_track below that."""
    if progress >= expected:
        return ON_TRACK
    if progress >= expected - band:
        return AT_RISK
    return OFF_TRACK


def _share(start: dt.date, due: dt.date, day: dt.date) -> float:
    span = (due - start).days
    return 1.0 if span <= 0 else _clamp((day - start).days / span)


def _judge_held(
    rung: Rung,
    series: Series,
    known: int,
    as_of: dt.date,
    window_start: dt.date | None,
    window_text: str | None,
    cadence: str | None,
) -> _Judgement:
    """A held target: the condition must hold at every observation in its window."""
    dates, values = series.dates, series.values
    if rung.due is not None:
        first = window_start
        end = min(as_of, rung.due)
    else:
        end = as_of
        if window_text is not None:
            first = parse_window(window_text).start(as_of)
        else:
            days = CADENCE_DAYS[cadence] * DEFAULT_HOLD_PERIODS if cadence else DEFAULT_HOLD_DAYS
            first = as_of - dt.timedelta(days=days - 1)
    low = 0 if first is None else bisect_left(dates, first, 0, known)
    high = bisect_right(dates, end, 0, known)
    breaches = tuple(
        Observation(dates[i], values[i]) for i in range(low, high) if not rung.met_by(values[i])
    )
    count = high - low
    progress = (count - len(breaches)) / count if count else None
    judged_value, judged_date = (values[high - 1], dates[high - 1]) if count else (None, None)
    if breaches:
        status = BREACHED
    elif count == 0:
        status = MISSED if rung.due is not None and as_of > rung.due else NO_DATA
    elif rung.due is not None and as_of <= rung.due:
        status = ON_TRACK
    else:
        status = ACHIEVED
    return _Judgement(status, None, progress, None, judged_value, judged_date, breaches)


def _judge(
    rung: Rung,
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    window_start: dt.date | None,
    baseline: float | None,
    band: float,
) -> _Judgement:
    """The status of one rung, with the pace measured from window_start and baseline."""
    if rung.hold:
        return _judge_held(
            rung, series, known, as_of, window_start, target.window_text, metric.cadence
        )
    values, dates = series.values, series.dates
    if baseline is None:
        baseline = _first_on_or_after(series, window_start, known)
    if rung.due is not None and as_of > rung.due:
        at_due = series.count_until(rung.due)
        if at_due and rung.met_by(values[at_due - 1]):
            value, day = values[at_due - 1], dates[at_due - 1]
            return _Judgement(ACHIEVED, baseline, 1.0, None, value, day)
        for index in range(at_due, known):  # met after its due: reached, but late
            if rung.met_by(values[index]):
                return _Judgement(ACHIEVED_LATE, baseline, 1.0, None, values[index], dates[index])
        if at_due == 0:
            return _Judgement(MISSED, baseline, None, None)
        value, day = values[at_due - 1], dates[at_due - 1]
        return _Judgement(MISSED, baseline, _progress(value, baseline, rung), 1.0, value, day)
    if known == 0:
        return _Judgement(NO_DATA, baseline, None, None)
    current, current_date = values[known - 1], dates[known - 1]
    if rung.met_by(current):
        return _Judgement(ACHIEVED, baseline, 1.0, None)
    progress = _progress(current, baseline, rung)
    if rung.due is None or progress is None or target.pace == "none":
        return _Judgement(IN_PROGRESS, baseline, progress, None)
    assert baseline is not None
    start = window_start or dates[0]
    goal = rung.goal_value(baseline)
    curve = pace_curve(target.pace, baseline, goal, _share(start, rung.due, current_date))
    plan = pace_curve(target.pace, baseline, goal, _share(start, rung.due, as_of)).value
    expected = _clamp(curve.expected)
    status = pace_status(progress, expected, band)
    return _Judgement(status, baseline, progress, expected, plan=plan, pace_note=curve.note)


# --- quotas -----------------------------------------------------------------------------------


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


def _quota_periods(
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
    index = bisect_left(dates, period_span(start, unit)[0], 0, known)
    first, last = period_span(start, unit)
    while first <= end:
        stop = bisect_right(dates, last, index, known)
        chunk = values[index:stop]
        latest = dates[stop - 1] if stop > index else None
        value = _aggregate(chunk, metric.aggregate) if chunk or metric.aggregate == "sum" else None
        result.append((period_label(first, unit), first, last, value, latest))
        index = stop
        first, last = period_span(last + dt.timedelta(days=1), unit)
    return result


def _evaluate_quota(
    target: TargetDef,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    band: float,
) -> tuple[Status, tuple[PeriodResult, ...], float | None, dt.date | None, _Judgement]:
    """A quota: the target applies to each period; the status is the current period's."""
    rung = target.rungs[0]
    periods: list[PeriodResult] = []
    current: tuple[float | None, dt.date | None] = (None, None)
    judgement = _Judgement(NO_DATA, None, None, None)
    for label, first, last, value, latest in _quota_periods(target, metric, series, known, as_of):
        if last < as_of:  # finished: met or missed
            met = value is not None and rung.met_by(value)
            periods.append(
                PeriodResult(label, first, last, value, ACHIEVED if met else MISSED, True)
            )
            continue
        current = (value, latest)
        judgement = _judge_period(target, metric, rung, value, latest, first, last, band)
        periods.append(PeriodResult(label, first, last, value, judgement.status, False))
    if rung.due is not None and as_of > rung.due:
        finished = [p for p in periods if p.finished]
        missed = any(p.status != ACHIEVED for p in finished)
        status = MISSED if missed or not finished else ACHIEVED
        last_period = finished[-1] if finished else None
        value = last_period.value if last_period else None
        progress = _progress(value, 0.0, rung) if value is not None else None
        judged = _Judgement(
            status,
            0.0,
            progress,
            None,
            value,
            last_period.last if last_period else None,
        )
        return status, tuple(periods), value, judged.judged_date, judged
    return judgement.status, tuple(periods), current[0], current[1], judgement


def _judge_period(
    target: TargetDef,
    metric: MetricDef,
    rung: Rung,
    value: float | None,
    latest: dt.date | None,
    first: dt.date,
    last: dt.date,
    band: float,
) -> _Judgement:
    """The current period of a quota: met, or on pace by the share of the period elapsed."""
    baseline = target.baseline if target.baseline is not None else 0.0
    if latest is None:
        return _Judgement(NO_DATA, baseline, 0.0 if value is not None else None, None)
    assert value is not None
    progress = _progress(value, baseline, rung)
    if rung.met_by(value):
        return _Judgement(ACHIEVED, baseline, 1.0, None)
    if metric.aggregate != "sum" or target.pace == "none" or progress is None:
        return _Judgement(IN_PROGRESS, baseline, progress, None)
    # an increment sum grows through the period: judge it by the share of the period elapsed
    share = ((latest - first).days + 1) / ((last - first).days + 1)
    goal = rung.goal_value(baseline)
    curve = pace_curve(target.pace, baseline, goal, share)
    expected = _clamp(curve.expected)
    status = pace_status(progress, expected, band)
    return _Judgement(status, baseline, progress, expected, plan=curve.value, pace_note=curve.note)


# --- a target ---------------------------------------------------------------------------------


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
    periods: tuple[PeriodResult, ...] | None = None
    if target.every is not None:
        rung = rungs[0]
        status, periods, current, current_date, judgement = _evaluate_quota(
            target, metric, series, known, as_of, band
        )
    elif target.is_ladder:
        # the current rung: the first whose due has not passed (the last once all have)
        index = next(
            (i for i, r in enumerate(rungs) if r.due is None or r.due >= as_of), len(rungs) - 1
        )
        judged = []
        for i, rung in enumerate(rungs):
            previous_due = rungs[i - 1].due if i else None
            start = previous_due + dt.timedelta(days=1) if previous_due else target.start
            if not rung.hold and previous_due:
                start = previous_due  # the pace runs from the previous rung, at its due
            base = rungs[i - 1].value if i else target.baseline
            judged.append(_judge(rung, target, metric, series, known, as_of, start, base, band))
        steps = tuple(RungStatus(r, j.status) for r, j in zip(rungs, judged, strict=True))
        rung, judgement = rungs[index], judged[index]
        status = judgement.status
        if status in REACHED and index < len(rungs) - 1:
            status = ON_TRACK  # a rung met ahead of time; the ladder is achieved at its top
    else:
        rung = rungs[0]
        judgement = _judge(
            rung, target, metric, series, known, as_of, target.start, target.baseline, band
        )
        status = judgement.status
    if not_started or (target.start is not None and as_of < target.start):
        status = NOT_STARTED
    # a verdict taken at the due is shown with the value that decided it
    shown = judgement.judged_value if judgement.judged_date is not None else current
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
        left=0.0 if status in REACHED else _left(shown, rung),
        steps=steps,
        judged_value=judgement.judged_value,
        judged_date=judgement.judged_date,
        breaches=judgement.breaches,
        periods=periods,
        plan=judgement.plan,
        pace_note=judgement.pace_note,
    )


# --- goals, areas, the ledger -----------------------------------------------------------------


def goal_status(target_statuses: Iterable[TargetStatus]) -> Status:
    """achieved when every target is; achieved_late when every target is reached and one late;
    otherwise the worst target status in SEVERITY order.

    A target with a start of its own in the future is not_started and does not drag its goal.
    """
    found = {t.status for t in target_statuses}
    if found == {ACHIEVED}:
        return ACHIEVED
    if found and found <= REACHED:
        return ACHIEVED_LATE
    for status in SEVERITY:
        if status in found:
            return status
    if found and found <= {*REACHED, NOT_STARTED} and found & REACHED:
        return ON_TRACK  # all that has started is done; the rest starts later
    return NOT_STARTED if NOT_STARTED in found else NO_DATA


def goal_score(target_statuses: tuple[TargetStatus, ...]) -> float | None:
    """The weighted mean of the targets' progress, each clamped to 0..1, as in OKR grading."""
    total_weight = sum(t.target.weight for t in target_statuses)
    if not target_statuses or total_weight <= 0:
        return None
    total = sum(
        (_clamp(t.progress) if t.progress is not None else 0.0) * t.target.weight
        for t in target_statuses
    )
    return round(total / total_weight, 3)


def area_statuses(goals: Iterable[GoalStatus]) -> tuple[AreaStatus, ...]:
    """Per area, in order of first appearance: the weighted mean score and counts by status."""
    grouped: dict[str, list[GoalStatus]] = {}
    for goal in goals:
        grouped.setdefault(goal.goal.area, []).append(goal)
    result = []
    for area, members in grouped.items():
        scored = [(g.score, g.goal.weight) for g in members if g.score is not None]
        weight = sum(w for _, w in scored)
        score = round(sum(s * w for s, w in scored) / weight, 3) if weight > 0 else None
        counts: dict[str, int] = {}
        for goal in members:
            counts[goal.status] = counts.get(goal.status, 0) + 1
        ordered = {str(s): counts[s] for s in STATUSES if s in counts}
        result.append(AreaStatus(area, score, ordered))
    return tuple(result)


def _topological(goals: tuple[GoalDef, ...]) -> list[GoalDef]:
    """Goals, each after the goals it waits for (iterative; `after` cycles were removed)."""
    by_id = {goal.id: goal for goal in goals}
    done: set[str] = set()
    order: list[GoalDef] = []
    for root in goals:
        if root.id in done:
            continue
        stack: list[tuple[GoalDef, int]] = [(root, 0)]
        while stack:
            goal, position = stack.pop()
            if goal.id in done:
                continue
            if position < len(goal.after):
                stack.append((goal, position + 1))
                before = by_id.get(goal.after[position])
                if before is not None and before.id not in done:
                    stack.append((before, 0))
                continue
            done.add(goal.id)
            order.append(goal)
    return order


def _targets_at(
    ledger: Ledger, goal: GoalDef, day: dt.date, not_started: bool = False
) -> tuple[TargetStatus, ...]:
    return tuple(
        evaluate_target(
            target,
            ledger.metrics[target.metric],
            ledger.series.get(target.metric, _EMPTY),
            day,
            ledger.at_risk_band,
            not_started=not_started,
        )
        for target in goal.targets
    )


def _reached_by(ledger: Ledger, goal: GoalDef, as_of: dt.date, now: Status) -> bool:
    """Whether the goal was achieved or achieved_late at any date up to as_of: a milestone,
    once reached, stays reached for the goals that wait on it."""
    if now in REACHED:
        return True
    days: set[dt.date] = set()
    for target in goal.targets:
        one = ledger.series.get(target.metric, _EMPTY)
        days.update(one.dates[: one.count_until(as_of)])
    for day in sorted(days, reverse=True):
        if goal_status(_targets_at(ledger, goal, day)) in REACHED:
            return True
    return False


def evaluate(ledger: Ledger, as_of: dt.date) -> Evaluation:
    """The status of every goal and target in the ledger at as_of."""
    waited_on = {after for goal in ledger.goals for after in goal.after}
    done: dict[str, GoalStatus] = {}
    reached: dict[str, bool] = {}
    for goal in _topological(ledger.goals):
        waiting_for = tuple(after for after in goal.after if not reached.get(after, False))
        waiting = bool(waiting_for) or (goal.start is not None and as_of < goal.start)
        targets = tuple(
            _with_reason(t, ledger, as_of) for t in _targets_at(ledger, goal, as_of, waiting)
        )
        own = goal_status(targets)
        status = NOT_STARTED if waiting else own
        if goal.id in waited_on:
            reached[goal.id] = not waiting and _reached_by(ledger, goal, as_of, own)
        done[goal.id] = GoalStatus(goal, status, goal_score(targets), targets, waiting_for)
    goals = tuple(done[goal.id] for goal in ledger.goals)
    return Evaluation(as_of, goals, evaluate_risks(ledger, as_of, goals))


def _with_reason(target: TargetStatus, ledger: Ledger, as_of: dt.date) -> TargetStatus:
    """A derived metric without a value says why (an input has no data, division by zero)."""
    formula = ledger.formulas.get(target.metric.id)
    if target.current is not None or formula is None:
        return target
    outcome = evaluate_formula(formula, SeriesData(ledger.metrics, ledger.series, as_of))
    return target._replace(reason=outcome.reason)


def evaluate_risks(
    ledger: Ledger, as_of: dt.date, goals: Iterable[GoalStatus]
) -> tuple[RiskStatus, ...]:
    """Each risk's condition at as_of, with the values that decided it."""
    statuses: dict[str, str] = {}
    plans: dict[tuple[str, str], TargetStatus] = {}
    for goal in goals:
        statuses[goal.goal.id] = goal.status
        for target in goal.targets:
            plans.setdefault((goal.goal.id, target.metric.id), target)
    reach = reach_of(plans, ledger.series, as_of)
    result = []
    for risk in ledger.risks:
        condition = ledger.conditions.get(risk.id)
        if condition is None:
            continue  # its problem is reported by check
        data = SeriesData(ledger.metrics, ledger.series, as_of, statuses, plans, reach)
        outcome = evaluate_formula(condition, data)
        triggered = outcome.value is True
        missing = () if triggered else tuple(outcome.missing)
        result.append(RiskStatus(risk, triggered, dict(outcome.values), missing))
    return tuple(result)
