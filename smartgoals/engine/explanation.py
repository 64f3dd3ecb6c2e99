"""`explain`: the arithmetic behind a status, as ordered steps in words and as data.

Pure: from a loaded ledger, a judged goal and the as-of date. Each step recomputes nothing the
engine decides; it restates the engine's inputs and results (baseline, window, share, curve,
progress, band, rule) so that the words and the status always agree. The rules quoted are the
README's own sentences ("The status engine"); tests/engine/test_explanation.py checks that each
is there.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from smartgoals.engine.evaluation import SEVERITY, GoalStatus, TargetStatus
from smartgoals.engine.explain_mix import mix_steps
from smartgoals.engine.explain_paced import band_step, paced_steps
from smartgoals.engine.explain_rules import RULES, Step, day_text, number, text_of
from smartgoals.engine.forecast import Forecast, forecast_target
from smartgoals.engine.words import forecast_sentence, rung_text, value_text
from smartgoals.formula.evaluate import evaluate
from smartgoals.ledger.derived import SeriesData
from smartgoals.ledger.model import Ledger, MetricDef, Series, TargetDef
from smartgoals.periods import CADENCE_DAYS

__all__ = ["LISTED", "RULES", "Step", "TargetExplanation", "explain_target", "goal_steps"]

LISTED = 12  # observations listed in words; --json lists the same


class TargetExplanation(NamedTuple):
    position: int  # the target's index in its goal
    metric: str
    metric_name: str
    status: str
    steps: tuple[Step, ...]
    judgement: TargetStatus  # the record the steps restate: every view shows the same one


def goal_steps(goal: GoalStatus) -> tuple[Step, ...]:
    """How the goal's status came from its targets (and from its start and `after`)."""
    steps = []
    found = [t.status for t in goal.targets]
    words = ", ".join(f"{t.metric.id} {t.status}" for t in goal.targets)
    steps.append(
        Step(
            "targets",
            f"its targets: {words or 'none'}",
            {"statuses": [str(s) for s in found]},
        )
    )
    if goal.status == "not_started" and not goal.waiting_for and set(found) == {"no_data"}:
        why, rule = "none of its targets has an observation", RULES["no_observation"]
    elif goal.status == "not_started":
        why = (
            f"waiting for {', '.join(goal.waiting_for)}"
            if goal.waiting_for
            else f"starts {goal.goal.start_text or day_text(goal.goal.start)}"
        )
        rule = RULES["not_started"]
    elif goal.status == "achieved":
        why, rule = "every target is achieved", RULES["goal_achieved"]
    elif goal.status == "achieved_late":
        why, rule = "every target is reached, one at least late", RULES["goal_late"]
    else:
        worst = next((s for s in SEVERITY if s in found), goal.status)
        why, rule = f"the worst of its targets is {worst}", RULES["goal"]
    steps.append(Step("rule", f"{goal.status}: {why}. Rule: {rule}", {"rule": rule}))
    return tuple(steps)


def explain_target(
    ledger: Ledger, goal: GoalStatus, index: int, as_of: dt.date
) -> TargetExplanation:
    status = goal.targets[index]
    metric, target = status.metric, status.target
    series = ledger.series.get(metric.id, Series())
    steps: list[Step] = [_metric_step(metric)]
    if metric.formula is not None:
        steps.append(_formula_step(ledger, metric, as_of))
    if not target.mix:  # a mix's observations are its parts', listed in its parts step
        steps.append(_observations_step(metric, series, as_of))
    steps.append(_current_step(status, as_of))
    if status.status == "not_started":
        steps.append(
            Step(
                "start",
                f"not_started: {_start_reason(goal, target, as_of)}; the numbers below are "
                "shown all the same. Rule: " + RULES["not_started"],
                {"rule": RULES["not_started"]},
            )
        )
    kind: list[Step] = []
    if target.mix:
        kind = mix_steps(status)
    elif metric.is_stage:
        kind = _stage_steps(status)
    elif target.every is not None:
        kind = _quota_steps(status, ledger.at_risk_band)
    elif status.rung.hold:
        kind = _held_steps(status, series, as_of)
    else:
        if status.steps is not None:
            kind.append(_ladder_step(status))
        kind += paced_steps(ledger, goal, status, series, as_of)
    if status.status == "not_started":  # the start decided it: the rule is in that step
        kind = [step for step in kind if step.name != "rule"]
    steps += kind
    forecast = status.forecast or forecast_target(status, series, as_of)
    steps.append(_forecast_step(status, forecast))
    return TargetExplanation(index, metric.id, metric.name, status.status, tuple(steps), status)


def _start_reason(goal: GoalStatus, target: TargetDef, as_of: dt.date) -> str:
    if goal.waiting_for:
        return f"the goal waits for {', '.join(goal.waiting_for)}"
    start = target.start or goal.goal.start
    return f"it starts on {day_text(start)}, after {as_of.isoformat()}"


def _metric_step(metric: MetricDef) -> Step:
    cadence = f", cadence {metric.cadence}" if metric.cadence else ""
    text = f"{metric.id}: {metric.name} ({metric.unit}, direction {metric.direction}{cadence})"
    return Step(
        "metric",
        text,
        {
            "id": metric.id,
            "unit": metric.unit,
            "direction": metric.direction,
            "cadence": metric.cadence,
        },
    )


def _formula_step(ledger: Ledger, metric: MetricDef, as_of: dt.date) -> Step:
    node = ledger.formulas.get(metric.id)
    if node is None:
        return Step("formula", f"derived: {metric.formula} (not checked)", {})
    outcome = evaluate(node, SeriesData(ledger.metrics, ledger.series, as_of))
    inputs = ", ".join(
        f"{name} = {_inputtext_of(ledger, name, value)}" for name, value in outcome.values.items()
    )
    result = (
        value_text(metric, outcome.value)
        if isinstance(outcome.value, float)
        else f"no value ({outcome.reason})"
    )
    return Step(
        "formula",
        f"derived: {metric.id} = {metric.formula}; at {as_of.isoformat()} the inputs are "
        f"{inputs or 'none'}, giving {result}",
        {
            "formula": metric.formula,
            "inputs": {
                k: number(v) if isinstance(v, float) else v for k, v in outcome.values.items()
            },
            "value": number(outcome.value) if isinstance(outcome.value, float) else None,
            "reason": outcome.reason,
        },
    )


def _inputtext_of(ledger: Ledger, name: str, value: float | str | None) -> str:
    if value is None:
        return "no value"
    if isinstance(value, float):
        found = ledger.metrics.get(name)
        return value_text(found, value) if found is not None else f"{value:g}"
    return str(value)


def _observations_step(metric: MetricDef, series: Series, as_of: dt.date) -> Step:
    counted = series.count_until(as_of)
    later = len(series.dates) - counted
    first = max(counted - LISTED, 0)
    listed = [
        {"date": series.dates[i].isoformat(), "value": _shown(metric, series.values[i])}
        for i in range(first, counted)
    ]
    words = ", ".join(
        f"{series.dates[i].isoformat()} {text_of(metric, series.values[i])}"
        for i in range(first, counted)
    )
    text = f"{counted} observation(s) dated on or before {as_of.isoformat()} count"
    if later:
        text += f" ({later} later one(s) do not)"
    if listed:
        text += f"; the last {len(listed)}: {words}" if first else f": {words}"
    return Step(
        "observations",
        text,
        {"counted": counted, "later": later, "listed": listed},
    )


def _shown(metric: MetricDef, value: float) -> float | str | None:
    return metric.stage_name(value) if metric.is_stage else number(value)


def _current_step(status: TargetStatus, as_of: dt.date) -> Step:
    metric = status.metric
    if status.current is None and status.periods is None:
        text = "no current value" + (f": {status.reason}" if status.reason else "")
    elif status.periods is not None:
        text = (
            f"the current period's value is {text_of(metric, status.current)}"
            if status.current is not None
            else "the current period has no value yet"
        )
    else:
        value, day = text_of(metric, status.current), day_text(status.current_date)
        text = f"the current value is {value} ({day})"
    if metric.cadence and status.current_date is not None and status.periods is None:
        age = (as_of - status.current_date).days
        limit = CADENCE_DAYS[metric.cadence]
        text += (
            f"; it is {age} day(s) old, {'stale' if status.stale else 'not stale'} "
            f"(stale when older than {limit} days for a {metric.cadence} metric)"
        )
    return Step(
        "current",
        text,
        {
            "value": _shown(metric, status.current) if status.current is not None else None,
            "date": day_text(status.current_date),
            "stale": status.stale,
        },
    )


def _stage_steps(status: TargetStatus) -> list[Step]:
    metric = status.metric
    stages = metric.stages
    wanted = int(status.rung.value)
    now = metric.stage_name(status.current) or "none"
    text = (
        f"stages in order: {', '.join(stages)}; the current stage is {now}, the target "
        f"{stages[wanted]} (position {wanted + 1} of {len(stages)})"
    )
    rule = RULES["stage"]
    return [
        Step("stages", text, {"stages": list(stages), "current": now, "target": stages[wanted]}),
        Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule}),
    ]


# how the record says the open period was judged -> the README's sentence for it
_QUOTA_RULES = {
    "pace": "quota_pace",
    "awaiting row": "quota_awaiting",
    "value so far": "quota_so_far",
}


def _quota_steps(status: TargetStatus, band: float) -> list[Step]:
    metric, target = status.metric, status.target
    rows = [
        {
            "period": p.label,
            "value": number(p.value),
            "status": str(p.status),
            "finished": p.finished,
        }
        for p in status.periods or ()
    ]
    words = "; ".join(
        f"{p.label} {text_of(metric, p.value) if p.value is not None else 'no value'} "
        f"{p.status}{'' if p.finished else ' (current, unfinished)'}"
        for p in status.periods or ()
    )
    steps = [
        Step(
            "periods",
            f"{rung_text(metric, status.rung, True)} each {target.every}, values combined by "
            f"aggregate {metric.aggregate}: {words or 'no period yet'}; {status.met_periods} met, "
            f"{status.missed_periods} missed, streak {status.streak}",
            {"aggregate": metric.aggregate, "periods": rows},
        )
    ]
    if status.expected is not None and status.progress is not None:
        steps.append(band_step(status, band))
    due = status.rung.due
    finished = (
        due is not None
        and status.judged_date is not None
        and all(p.finished for p in status.periods or ())
    )
    rule = (
        RULES["quota_due"]
        if finished
        else RULES[_QUOTA_RULES.get(status.open_period or "", "quota")]
    )
    steps.append(Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule}))
    return steps


def _held_steps(status: TargetStatus, series: Series, as_of: dt.date) -> list[Step]:
    metric, rung = status.metric, status.rung
    breaches = ", ".join(
        f"{b.date.isoformat()} {text_of(metric, b.value)}" for b in status.breaches
    )
    share = "" if status.progress is None else f"; {status.progress:.0%} of them met it"
    text = (
        f"held: {rung_text(metric, rung, True)} must hold at every observation in its window"
        f"{share}; breaches: {breaches or 'none'}"
    )
    if rung.due is None:
        key = "held_trailing"
    elif status.status == "breached":
        key = "breached"
    elif status.status == "missed":
        key = "held_empty"
    elif as_of <= rung.due:
        key = "held_open"
    else:
        key = "held_done"
    rule = RULES[key]
    return [
        Step(
            "held",
            text,
            {
                "breaches": [
                    {"date": b.date.isoformat(), "value": number(b.value)} for b in status.breaches
                ],
                "share_met": number(status.progress),
            },
        ),
        Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule}),
    ]


def _ladder_step(status: TargetStatus) -> Step:
    metric = status.metric
    steps = status.steps or ()
    current = next(i for i, s in enumerate(steps) if s.rung is status.rung or s.rung == status.rung)
    words = "; ".join(
        f"rung {i + 1} {rung_text(metric, s.rung, True)}: {s.status}"
        + (" (current)" if i == current else "")
        for i, s in enumerate(steps)
    )
    rule = RULES["ladder"]
    return Step(
        "rungs",
        f"{words}. The current rung is the first whose due has not passed (the last once all "
        f"have); {rule}",
        {
            "rungs": [
                {
                    "value": number(s.rung.value),
                    "due": day_text(s.rung.due),
                    "status": str(s.status),
                }
                for s in steps
            ],
            "current": current + 1,
        },
    )


def _forecast_step(status: TargetStatus, forecast: Forecast) -> Step:
    metric = status.metric
    points = ", ".join(f"{p.date.isoformat()} {text_of(metric, p.value)}" for p in forecast.points)
    fitted = ""
    if forecast.window is not None and forecast.model is not None:
        fitted = (
            f"fit on {len(forecast.points)} point(s) from {forecast.window[0].isoformat()} to "
            f"{forecast.window[1].isoformat()} ({points}); "
        )
    errors = {model: number(error) for model, error in forecast.errors}
    return Step(
        "forecast",
        f"{fitted}{forecast_sentence(forecast, metric)}",
        {
            "verdict": forecast.verdict,
            "model": forecast.model,
            "points": len(forecast.points),
            "eta": day_text(forecast.eta),
            "slack_days": forecast.slack_days,
            "value_at_due": number(forecast.value_at_due),
            "per_month": number(forecast.actual_rate.per_month) if forecast.actual_rate else None,
            "percent_per_month": number(forecast.actual_rate.percent_per_month)
            if forecast.actual_rate
            else None,
            "held_out_errors": errors or None,
            "reason": forecast.reason,
        },
    )
