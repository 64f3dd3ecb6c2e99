"""The status engine: evaluate(ledger, as_of) judges every target, goal and risk once. Pure.

Every rule applied here is stated in docs/status-engine.md; they never disagree. The records are
in engine/judgement.py, and each kind of target has its module: rungs, held, quota.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from smartgoals.engine.alignment import roll_up
from smartgoals.engine.declared import with_declared
from smartgoals.engine.forecast import forecast_target, reach_of
from smartgoals.engine.judgement import (
    ACHIEVED,
    ACHIEVED_LATE,
    AT_RISK,
    AWAITING_ROW,
    BREACHED,
    BY_PACE,
    IN_PROGRESS,
    MISSED,
    NO_DATA,
    NOT_STARTED,
    OFF_TRACK,
    ON_TRACK,
    PENDING,
    REACHED,
    SEVERITY,
    STATUSES,
    AreaStatus,
    Evaluation,
    GoalStatus,
    Observation,
    PeriodResult,
    RiskStatus,
    RungStatus,
    Status,
    TargetStatus,
    Verdict,
    area_statuses,
    clamp,
    left_of,
    pace_curve,
    pace_status,
)
from smartgoals.engine.mix import evaluate_mix, mix_forecast
from smartgoals.engine.quota import evaluate_quota
from smartgoals.engine.rungs import judge_ladder, judge_rung
from smartgoals.formula.evaluate import evaluate as evaluate_formula
from smartgoals.ledger.derived import SeriesData
from smartgoals.ledger.model import GoalDef, Ledger, MetricDef, Series, TargetDef
from smartgoals.periods import CADENCE_DAYS

__all__ = [
    "ACHIEVED",
    "ACHIEVED_LATE",
    "AT_RISK",
    "AWAITING_ROW",
    "BREACHED",
    "BY_PACE",
    "IN_PROGRESS",
    "MISSED",
    "NOT_STARTED",
    "NO_DATA",
    "OFF_TRACK",
    "ON_TRACK",
    "PENDING",
    "REACHED",
    "SEVERITY",
    "STATUSES",
    "AreaStatus",
    "Evaluation",
    "GoalStatus",
    "Observation",
    "PeriodResult",
    "RiskStatus",
    "RungStatus",
    "Status",
    "TargetStatus",
    "area_statuses",
    "evaluate",
    "evaluate_risks",
    "evaluate_target",
    "goal_score",
    "goal_status",
    "pace_curve",
    "pace_status",
]

_EMPTY = Series()


def _variance(
    verdict: Verdict, value: float | None, target: TargetDef, band: float, rung_goal: float | None
) -> tuple[float | None, float | None, float | None, bool]:
    """(value minus plan, in % of the plan, as a share of the distance, beyond the band): all
    at the verdict's basis date, and only where there is a plan."""
    plan, baseline = verdict.plan, verdict.baseline
    if plan is None or value is None or baseline is None or rung_goal is None:
        return None, None, None, False
    difference = value - plan
    percent = difference / abs(plan) * 100 if plan else None
    distance = rung_goal - baseline
    share = difference / distance if distance else None
    return difference, percent, share, share is not None and abs(share) > band + 1e-12


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
    steps: tuple[RungStatus, ...] | None = None
    periods: tuple[PeriodResult, ...] | None = None
    if target.every is not None:
        rung = target.rungs[0]
        periods, current, current_date, verdict = evaluate_quota(
            target, metric, series, known, as_of, band
        )
        status = verdict.status
    elif target.is_ladder:
        rung, verdict, status, steps = judge_ladder(target, metric, series, known, as_of, band)
    else:
        rung = target.rungs[0]
        verdict = judge_rung(
            rung, target, metric, series, known, as_of, target.start, target.baseline, band
        )
        status = verdict.status
    why = verdict.why
    if not_started or (target.start is not None and as_of < target.start):
        status = NOT_STARTED
        why = f"not started; the numbers so far: {why}" if why else "not started"
    # a verdict taken at the due is shown with the value that decided it
    shown = verdict.judged_value if verdict.judged_date is not None else current
    raw = verdict.progress
    # a rate or a ratio has no distance to cover, only met or not: no progress while not met
    progress = None if target.pace == "none" and verdict.status not in REACHED else raw
    goal = rung.goal_value(verdict.baseline) if verdict.baseline is not None else None
    difference, percent, share, beyond = _variance(verdict, shown, target, band, goal)
    if metric.is_stage:
        difference = percent = share = None
        beyond = False
    return TargetStatus(
        target=target,
        metric=metric,
        status=status,
        rung=rung,
        current=current,
        current_date=current_date,
        baseline=verdict.baseline,
        progress=progress,
        expected=verdict.expected,
        stale=stale,
        left=0.0 if status in REACHED else left_of(shown, rung),
        steps=steps,
        judged_value=verdict.judged_value,
        judged_date=verdict.judged_date,
        breaches=verdict.breaches,
        periods=periods,
        plan=verdict.plan,
        pace_note=verdict.pace_note,
        basis_date=verdict.basis_date,
        variance=difference,
        variance_pct=percent,
        variance_share=share,
        beyond_band=beyond,
        score=clamp(raw) if raw is not None else None,
        open_period=verdict.open_period,
        why=why + (" (stale)" if stale and why else ""),
    )


# --- goals, areas, the ledger -----------------------------------------------------------------


def goal_status(target_statuses: Iterable[TargetStatus]) -> Status:
    """achieved when every target is; achieved_late when every target is reached and one late;
    otherwise the worst target status in SEVERITY order.

    A target with a start of its own in the future is not_started and does not drag its goal.
    A goal is never no_data while one of its targets has an observation: then a target without
    data makes the goal in_progress at best, never achieved; a goal without any observation is
    not_started. A stretch target never sets the
    goal's status, unless every target is one.
    """
    every = tuple(target_statuses)
    judged = tuple(t for t in every if not t.target.stretch) or every
    found = {t.status for t in judged}
    if NO_DATA in found and any(t.current is not None for t in judged):
        found.discard(NO_DATA)
        found.add(IN_PROGRESS)
    elif NO_DATA in found and found <= {NO_DATA, NOT_STARTED}:
        return NOT_STARTED  # no observation at all: nothing has begun (the studio's word)
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
    """The weighted mean of the targets' scores (progress clamped to 0..1), as in OKR grading."""
    total_weight = sum(t.target.weight for t in target_statuses)
    if not target_statuses or total_weight <= 0:
        return None
    total = sum(
        (t.score if t.score is not None else 0.0) * t.target.weight for t in target_statuses
    )
    return round(total / total_weight, 3)


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
        evaluate_mix(target, ledger.metrics, ledger.series, day, not_started)
        if target.mix
        else evaluate_target(
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
        for metric in target.metrics_read:
            one = ledger.series.get(metric, _EMPTY)
            days.update(one.dates[: one.count_until(as_of)])
    for day in sorted(days, reverse=True):
        if goal_status(_targets_at(ledger, goal, day)) in REACHED:
            return True
    return False


def evaluate(ledger: Ledger, as_of: dt.date, forecasts: bool = True) -> Evaluation:
    """The status of every goal and target in the ledger at as_of, each target with its
    forecast; forecasts=False leaves them None for a caller whose view shows none (a piped
    `status`: a few ms on the demo's 160 targets), and whoever asks one later
    (forecast.target_forecasts, a risk's eta()) computes the same forecast from the same
    judgement."""
    waited_on = {after for goal in ledger.goals for after in goal.after}
    done: dict[str, GoalStatus] = {}
    reached: dict[str, bool] = {}
    for goal in _topological(ledger.goals):
        waiting_for = tuple(after for after in goal.after if not reached.get(after, False))
        waiting = bool(waiting_for) or (goal.start is not None and as_of < goal.start)
        targets = tuple(
            _with_reason(t, ledger, as_of) for t in _targets_at(ledger, goal, as_of, waiting)
        )
        if forecasts:
            targets = tuple(_with_forecast(t, ledger, as_of) for t in targets)
        own = goal_status(targets)
        status = NOT_STARTED if waiting else own
        if goal.id in waited_on:
            reached[goal.id] = not waiting and _reached_by(ledger, goal, as_of, own)
        judged = GoalStatus(goal, status, goal_score(targets), targets, waiting_for)
        done[goal.id] = with_declared(judged, ledger, as_of)
    goals = roll_up(tuple(done[goal.id] for goal in ledger.goals))
    return Evaluation(as_of, goals, evaluate_risks(ledger, as_of, goals))


def _with_forecast(target: TargetStatus, ledger: Ledger, as_of: dt.date) -> TargetStatus:
    """The forecast, computed once here so that every view shows the same one."""
    if target.mix is not None:
        return target._replace(forecast=mix_forecast())
    found = forecast_target(target, ledger.series.get(target.metric.id), as_of)
    return target._replace(forecast=found)


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
