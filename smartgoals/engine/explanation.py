"""`explain`: the arithmetic behind a status, as ordered steps in words and as data.

Pure: from a loaded ledger, a judged goal and the as-of date. Each step recomputes nothing the
engine decides; it restates the engine's inputs and results (baseline, window, share, curve,
progress, band, rule) so that the words and the status always agree. The rules quoted are the
README's own sentences ("The status engine"); tests/engine/test_explain.py checks that each
is there.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.engine.evaluation import SEVERITY, GoalStatus, TargetStatus, pace_curve
from smartgoals.engine.forecast import Forecast, forecast_target
from smartgoals.engine.words import forecast_sentence, rung_text, value_text
from smartgoals.ledger.model import Ledger, MetricDef, Series, TargetDef
from smartgoals.periods import CADENCE_DAYS

LISTED = 12  # observations listed in words; --json lists the same

# The README's rules, word for word (without Markdown emphasis), by what decided the status.
RULES = {
    "not_started": "the as-of date is before the goal's (or the target's own) start, or the goal "
    "waits `after:` goals that are not reached",
    "no_observation": "a goal none of whose targets has any observation is not_started: "
    "nothing has begun",
    "met": "achieved when the current value meets it; otherwise the pace decides",
    "on_track": "on_track: progress >= expected",
    "at_risk": "at_risk: progress within the at-risk band below expected",
    "off_track": "off_track: below that",
    "no_baseline": "A dated target with no observation on or after its start has no baseline and "
    "so no pace: it is in_progress until a value arrives.",
    "no_pace": "`none` (for rates and ratios): achieved when met, in_progress while not met "
    "before the due, missed after it.",
    "undated": "not yet met, with no pace to judge against",
    "no_data": "no observation to judge",
    "at_due": "the verdict is taken from the latest value on or before the due",
    "achieved_late": "A target not met by its due but met by a later value is achieved_late",
    "missed": "one never met since is missed (no value by the due is missed too)",
    "held_open": "on_track while it holds in an open window",
    "held_done": "achieved once the window has ended with it held",
    "breached": "breached as soon as one observation broke it",
    "held_empty": "missed when the window ended with no observation",
    "held_trailing": "achieved when it held there, breached when not, no_data with no "
    "observation there",
    "quota": "A finished period is met or missed; the status is the current period's: achieved "
    "once met; with `sum`, paced by the share of the period elapsed at its latest observation; "
    "otherwise in_progress; no_data with no observation yet.",
    "quota_due": "After the due, the quota is achieved when every period was met, else missed.",
    "ladder": "the target takes the current rung's status",
    "ladder_ahead": "A rung met ahead of its due makes the ladder on_track; the ladder is "
    "achieved when its last rung is.",
    "stage": "achieved when the current stage is the target stage or a later one",
    "goal": "A goal that is neither achieved nor achieved_late takes the worst status of its "
    "targets in the order missed, breached, off_track, at_risk, no_data, in_progress, on_track",
    "goal_achieved": "every target is achieved",
    "goal_late": "every target is achieved or achieved_late, one at least late",
}


class Step(NamedTuple):
    """One step of the arithmetic: a name, a sentence with the numbers, the numbers as data."""

    name: str
    text: str
    data: dict[str, Any]


class TargetExplanation(NamedTuple):
    position: int  # the target's index in its goal
    metric: str
    metric_name: str
    status: str
    steps: tuple[Step, ...]


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _ratio(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


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
            else f"starts {goal.goal.start_text or _day(goal.goal.start)}"
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
    if metric.is_stage:
        kind = _stage_steps(status)
    elif target.every is not None:
        kind = _quota_steps(status, ledger.at_risk_band)
    elif status.rung.hold:
        kind = _held_steps(status, series, as_of)
    else:
        if status.steps is not None:
            kind.append(_ladder_step(status))
        kind += _paced_steps(ledger, goal, status, series, as_of)
    if status.status == "not_started":  # the start decided it: the rule is in that step
        kind = [step for step in kind if step.name != "rule"]
    steps += kind
    steps.append(_forecast_step(status, forecast_target(status, series, as_of)))
    return TargetExplanation(index, metric.id, metric.name, status.status, tuple(steps))


def _start_reason(goal: GoalStatus, target: TargetDef, as_of: dt.date) -> str:
    if goal.waiting_for:
        return f"the goal waits for {', '.join(goal.waiting_for)}"
    start = target.start or goal.goal.start
    return f"it starts on {_day(start)}, after {as_of.isoformat()}"


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
    from smartgoals.formula.evaluate import evaluate
    from smartgoals.ledger.derived import SeriesData

    node = ledger.formulas.get(metric.id)
    if node is None:
        return Step("formula", f"derived: {metric.formula} (not checked)", {})
    outcome = evaluate(node, SeriesData(ledger.metrics, ledger.series, as_of))
    inputs = ", ".join(
        f"{name} = {_input_text(ledger, name, value)}" for name, value in outcome.values.items()
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
                k: _number(v) if isinstance(v, float) else v for k, v in outcome.values.items()
            },
            "value": _number(outcome.value) if isinstance(outcome.value, float) else None,
            "reason": outcome.reason,
        },
    )


def _input_text(ledger: Ledger, name: str, value: float | str | None) -> str:
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
        f"{series.dates[i].isoformat()} {_text(metric, series.values[i])}"
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
    return metric.stage_name(value) if metric.is_stage else _number(value)


def _text(metric: MetricDef, value: float | None) -> str:
    return value_text(metric, value)


def _current_step(status: TargetStatus, as_of: dt.date) -> Step:
    metric = status.metric
    if status.current is None and status.periods is None:
        text = "no current value" + (f": {status.reason}" if status.reason else "")
    elif status.periods is not None:
        text = (
            f"the current period's value is {_text(metric, status.current)}"
            if status.current is not None
            else "the current period has no value yet"
        )
    else:
        text = f"the current value is {_text(metric, status.current)} ({_day(status.current_date)})"
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
            "date": _day(status.current_date),
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


def _quota_steps(status: TargetStatus, band: float) -> list[Step]:
    metric, target = status.metric, status.target
    rows = [
        {
            "period": p.label,
            "value": _number(p.value),
            "status": str(p.status),
            "finished": p.finished,
        }
        for p in status.periods or ()
    ]
    words = "; ".join(
        f"{p.label} {_text(metric, p.value) if p.value is not None else 'no value'} "
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
        steps.append(_band_step(status, band))
    due = status.rung.due
    finished = (
        due is not None
        and status.judged_date is not None
        and all(p.finished for p in status.periods or ())
    )
    rule = RULES["quota_due"] if finished else RULES["quota"]
    steps.append(Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule}))
    return steps


def _held_steps(status: TargetStatus, series: Series, as_of: dt.date) -> list[Step]:
    metric, rung = status.metric, status.rung
    breaches = ", ".join(f"{b.date.isoformat()} {_text(metric, b.value)}" for b in status.breaches)
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
                    {"date": b.date.isoformat(), "value": _number(b.value)} for b in status.breaches
                ],
                "share_met": _number(status.progress),
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
                {"value": _number(s.rung.value), "due": _day(s.rung.due), "status": str(s.status)}
                for s in steps
            ],
            "current": current + 1,
        },
    )


def _window(
    ledger: Ledger, goal: GoalStatus, status: TargetStatus, series: Series
) -> tuple[dt.date | None, str, float | None, str]:
    """(pace window start, where it came from, baseline, where it came from), as the engine
    takes them."""
    target, rung = status.target, status.rung
    if target.is_ladder:
        rungs = target.rungs
        i = rungs.index(rung)
        if i:
            previous = rungs[i - 1]
            assert previous.due is not None
            value = _text(status.metric, previous.value)
            return (
                previous.due,
                f"the previous rung's due, {previous.due.isoformat()}",
                status.baseline,
                f"the previous rung's value, {value}",
            )
    start = target.start
    if start is None:
        where = "the first observation (no start)"
        start = series.dates[0] if series.dates else None
    elif goal.goal.start == start:
        where = f"the goal's start, {start.isoformat()}"
    else:
        where = f"the target's start, {start.isoformat()}"
    if target.baseline is not None:
        source = "the target's baseline:"
    elif status.baseline is not None:
        source = f"the first observation on or after {_day(target.start) or 'the start'}"
    else:
        source = "there is no observation on or after the start"
    return start, where, status.baseline, source


def _paced_steps(
    ledger: Ledger, goal: GoalStatus, status: TargetStatus, series: Series, as_of: dt.date
) -> list[Step]:
    metric, rung, target = status.metric, status.rung, status.target
    start, start_from, baseline, baseline_from = _window(ledger, goal, status, series)
    band = ledger.at_risk_band
    steps = [
        Step(
            "baseline",
            f"baseline {_text(metric, baseline)}: {baseline_from}"
            if baseline is not None
            else f"no baseline: {baseline_from}",
            {"value": _number(baseline), "source": baseline_from},
        )
    ]
    due = rung.due
    if due is not None and as_of > due:
        return steps + _at_due_steps(status, due)
    if status.current is not None and rung.met_by(status.current):
        rule = RULES["ladder_ahead"] if status.steps is not None else RULES["met"]
        text = f"{_text(metric, status.current)} meets {rung_text(metric, rung, True)}"
        return [*steps, Step("rule", f"{status.status}: {text}. Rule: {rule}", {"rule": rule})]
    if status.progress is not None and baseline is not None:
        steps.append(_progress_step(status, baseline))
    if due is None:
        rule = RULES["undated"]
        return [*steps, Step("rule", f"{status.status}: no due. Rule: {rule}", {"rule": rule})]
    if status.current is None:
        rule = RULES["no_data"]
        return [*steps, Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule})]
    if baseline is None or status.progress is None:
        rule = RULES["no_baseline"]
        return [*steps, Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule})]
    if target.pace == "none":
        rule = RULES["no_pace"]
        text = f"{status.status}: pace none, not met before the due {due.isoformat()}"
        return [*steps, Step("rule", f"{text}. Rule: {rule}", {"rule": rule})]
    assert start is not None and status.current_date is not None
    span = (due - start).days
    elapsed = (status.current_date - start).days
    share = 1.0 if span <= 0 else min(max(elapsed / span, 0.0), 1.0)
    goal_value = rung.goal_value(baseline)
    curve = pace_curve(target.pace, baseline, goal_value, share)
    steps.append(
        Step(
            "window",
            f"the pace window runs from {start_from} to the due {due.isoformat()} ({span} days); "
            f"at the latest observation ({status.current_date.isoformat()}) {elapsed} days have "
            f"passed: a share of {_ratio(round(share, 4))}",
            {
                "start": _day(start),
                "start_source": start_from,
                "due": _day(due),
                "days": span,
                "elapsed": elapsed,
                "share": _number(share),
            },
        )
    )
    pace = target.pace if curve.note is None else "linear"
    if pace == "compound":
        how = (
            f"compound: baseline x (target / baseline)^share = {_text(metric, baseline)} x "
            f"({_text(metric, goal_value)} / {_text(metric, baseline)})^{_ratio(round(share, 4))}"
        )
    else:
        how = (
            f"linear: baseline + share x (target - baseline) = {_text(metric, baseline)} + "
            f"{_ratio(round(share, 4))} x ({_text(metric, goal_value)} - {_text(metric, baseline)})"
        )
    plan = f"; at {as_of.isoformat()} the curve expects {_text(metric, status.plan)}"
    steps.append(
        Step(
            "expected",
            f"expected value {how} = {_text(metric, curve.value)}, an expected progress of "
            f"{status.expected:.0%}{plan if status.plan is not None else ''}"
            + (f" ({curve.note})" if curve.note else ""),
            {
                "pace": pace,
                "value": _number(curve.value),
                "expected": _number(status.expected),
                "plan": _number(status.plan),
                "note": curve.note,
            },
        )
    )
    steps.append(_band_step(status, band))
    return steps


def _progress_step(status: TargetStatus, baseline: float) -> Step:
    metric, rung = status.metric, status.rung
    value = status.judged_value if status.judged_date is not None else status.current
    assert value is not None and status.progress is not None
    goal_value = rung.goal_value(baseline)
    if goal_value == baseline or rung.met_by(baseline):
        how = "the baseline already meets the target: 1 while the value meets it, 0 when not"
    else:
        how = (
            f"(value - baseline) / (target - baseline) = ({_text(metric, value)} - "
            f"{_text(metric, baseline)}) / ({_text(metric, goal_value)} - "
            f"{_text(metric, baseline)})"
        )
    return Step(
        "progress",
        f"progress {how} = {_ratio(round(status.progress, 4))} ({status.progress:.0%})",
        {"value": _number(value), "progress": _number(status.progress)},
    )


def _band_step(status: TargetStatus, band: float) -> Step:
    assert status.expected is not None and status.progress is not None
    expected, progress = status.expected, status.progress
    key = status.status if status.status in ("on_track", "at_risk", "off_track") else "on_track"
    rule = RULES[key]
    text = (
        f"{status.status}: progress {_ratio(round(progress, 4))} against expected "
        f"{_ratio(round(expected, 4))} with an at-risk band of {_ratio(band)}: on_track at "
        f"{_ratio(round(expected, 4))} or more, at_risk from {_ratio(round(expected - band, 4))}, "
        f"off_track below. Rule: {rule}"
    )
    return Step(
        "rule",
        text,
        {
            "rule": rule,
            "progress": _number(progress),
            "expected": _number(expected),
            "band": band,
            "at_risk_from": _number(expected - band),
        },
    )


def _at_due_steps(status: TargetStatus, due: dt.date) -> list[Step]:
    metric, rung = status.metric, status.rung
    steps = []
    if status.judged_value is not None and status.judged_date is not None:
        met = "meets" if rung.met_by(status.judged_value) else "does not meet"
        steps.append(
            Step(
                "judged",
                f"the due {due.isoformat()} has passed: the value that decided it is "
                f"{_text(metric, status.judged_value)} on {status.judged_date.isoformat()}, which "
                f"{met} {rung_text(metric, rung, True)}",
                {"value": _number(status.judged_value), "date": _day(status.judged_date)},
            )
        )
    else:
        steps.append(
            Step("judged", f"the due {due.isoformat()} has passed with no value by it", {})
        )
    judged = status.judged_value is not None and status.progress is not None
    if status.baseline is not None and judged:
        steps.append(_progress_step(status, status.baseline))
    key = {"achieved_late": "achieved_late", "missed": "missed"}.get(status.status, "at_due")
    if status.status == "on_track" and status.steps is not None:
        key = "ladder_ahead"
    rule = RULES[key]
    steps.append(Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule}))
    return steps


def _forecast_step(status: TargetStatus, forecast: Forecast) -> Step:
    metric = status.metric
    points = ", ".join(f"{p.date.isoformat()} {_text(metric, p.value)}" for p in forecast.points)
    fitted = ""
    if forecast.window is not None and forecast.model is not None:
        fitted = (
            f"fit on {len(forecast.points)} point(s) from {forecast.window[0].isoformat()} to "
            f"{forecast.window[1].isoformat()} ({points}); "
        )
    errors = {model: _number(error) for model, error in forecast.errors}
    return Step(
        "forecast",
        f"{fitted}{forecast_sentence(forecast, metric)}",
        {
            "verdict": forecast.verdict,
            "model": forecast.model,
            "points": len(forecast.points),
            "eta": _day(forecast.eta),
            "slack_days": forecast.slack_days,
            "value_at_due": _number(forecast.value_at_due),
            "per_month": _number(forecast.actual_rate.per_month) if forecast.actual_rate else None,
            "percent_per_month": _number(forecast.actual_rate.percent_per_month)
            if forecast.actual_rate
            else None,
            "held_out_errors": errors or None,
            "reason": forecast.reason,
        },
    )
