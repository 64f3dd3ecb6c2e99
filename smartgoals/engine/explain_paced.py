"""`explain`'s steps for a target judged by pace (a dated target, a ladder's rung): the
baseline, the window, the plan at the basis date, progress and the band; or the verdict taken
at the due. Each restates the judgement (engine.TargetStatus); none recomputes it."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.evaluation import GoalStatus, TargetStatus
from smartgoals.engine.explain_rules import RULES, Step, day_text, number, ratio, text_of
from smartgoals.engine.words import rung_text
from smartgoals.ledger.model import Ledger, Series


def window_of(
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
            value = text_of(status.metric, previous.value)
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
        source = f"the first observation on or after {day_text(target.start) or 'the start'}"
    else:
        source = "there is no observation on or after the start"
    return start, where, status.baseline, source


def paced_steps(
    ledger: Ledger, goal: GoalStatus, status: TargetStatus, series: Series, as_of: dt.date
) -> list[Step]:
    metric, rung, target = status.metric, status.rung, status.target
    start, start_from, baseline, baseline_from = window_of(ledger, goal, status, series)
    band = ledger.at_risk_band
    steps = [
        Step(
            "baseline",
            f"baseline {text_of(metric, baseline)}: {baseline_from}"
            if baseline is not None
            else f"no baseline: {baseline_from}",
            {"value": number(baseline), "source": baseline_from},
        )
    ]
    due = rung.due
    if due is not None and as_of > due:
        return steps + _at_due_steps(status, due)
    if status.current is not None and rung.met_by(status.current):
        rule = RULES["ladder_ahead"] if status.steps is not None else RULES["met"]
        text = f"{text_of(metric, status.current)} meets {rung_text(metric, rung, True)}"
        return [*steps, Step("rule", f"{status.status}: {text}. Rule: {rule}", {"rule": rule})]
    if status.progress is not None and baseline is not None:
        steps.append(_progress_step(status, baseline))
    if due is None:
        rule = RULES["undated"]
        return [*steps, Step("rule", f"{status.status}: no due. Rule: {rule}", {"rule": rule})]
    if status.current is None:
        rule = RULES["no_data"]
        return [*steps, Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule})]
    if target.pace == "none":  # before the missing progress: a rate not met has none
        rule = RULES["no_pace"]
        text = f"{status.status}: pace none, not met before the due {due.isoformat()}"
        return [*steps, Step("rule", f"{text}. Rule: {rule}", {"rule": rule})]
    if baseline is None or status.progress is None:
        rule = RULES["no_baseline"]
        return [*steps, Step("rule", f"{status.status}. Rule: {rule}", {"rule": rule})]
    steps.append(_window_step(status, start, start_from, due))
    steps.append(_expected_step(status, baseline, rung.goal_value(baseline), start))
    steps.append(band_step(status, band))
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
            f"(value - baseline) / (target - baseline) = ({text_of(metric, value)} - "
            f"{text_of(metric, baseline)}) / ({text_of(metric, goal_value)} - "
            f"{text_of(metric, baseline)})"
        )
    return Step(
        "progress",
        f"progress {how} = {ratio(round(status.progress, 4))} ({status.progress:.0%})",
        {"value": number(value), "progress": number(status.progress)},
    )


def band_step(status: TargetStatus, band: float) -> Step:
    assert status.expected is not None and status.progress is not None
    expected, progress = status.expected, status.progress
    key = status.status if status.status in ("on_track", "at_risk", "off_track") else "on_track"
    rule = RULES[key]
    text = (
        f"{status.status}: progress {ratio(round(progress, 4))} against expected "
        f"{ratio(round(expected, 4))} with an at-risk band of {ratio(band)}: on_track at "
        f"{ratio(round(expected, 4))} or more, at_risk from {ratio(round(expected - band, 4))}, "
        f"off_track below. Rule: {rule}"
    )
    return Step(
        "rule",
        text,
        {
            "rule": rule,
            "progress": number(progress),
            "expected": number(expected),
            "band": band,
            "at_risk_from": number(expected - band),
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
                f"{text_of(metric, status.judged_value)} on {status.judged_date.isoformat()}, "
                f"which {met} {rung_text(metric, rung, True)}",
                {"value": number(status.judged_value), "date": day_text(status.judged_date)},
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


def _share(status: TargetStatus, start: dt.date | None, due: dt.date) -> tuple[int, int, float]:
    """(days in the window, days passed at the basis date, their share): the words for the
    time the engine's expected progress was taken at."""
    basis = status.basis_date or status.current_date
    assert start is not None and basis is not None
    span = (due - start).days
    elapsed = (basis - start).days
    return span, elapsed, 1.0 if span <= 0 else min(max(elapsed / span, 0.0), 1.0)


def _window_step(status: TargetStatus, start: dt.date | None, where: str, due: dt.date) -> Step:
    span, elapsed, share = _share(status, start, due)
    basis = status.basis_date or status.current_date
    return Step(
        "window",
        f"the pace window runs from {where} to the due {due.isoformat()} ({span} days); at the "
        f"basis date ({day_text(basis)}) {elapsed} days have passed: a share of "
        f"{ratio(round(share, 4))}",
        {
            "start": day_text(start),
            "start_source": where,
            "due": day_text(due),
            "days": span,
            "elapsed": elapsed,
            "share": number(share),
            "basis_date": day_text(basis),
        },
    )


def _expected_step(
    status: TargetStatus, baseline: float, goal_value: float, start: dt.date | None
) -> Step:
    """The plan as the engine took it (status.plan, status.expected): the curve in words."""
    metric, target = status.metric, status.target
    assert status.rung.due is not None and status.expected is not None
    share = ratio(round(_share(status, start, status.rung.due)[2], 4))
    pace = target.pace if status.pace_note is None else "linear"
    base, goal = text_of(metric, baseline), text_of(metric, goal_value)
    if pace == "compound":
        how = f"compound: baseline x (target / baseline)^share = {base} x ({goal} / {base})^{share}"
    else:
        how = (
            f"linear: baseline + share x (target - baseline) = {base} + {share} x ({goal} - {base})"
        )
    note = f" ({status.pace_note})" if status.pace_note else ""
    return Step(
        "expected",
        f"expected value {how} = {text_of(metric, status.plan)}, an expected progress of "
        f"{status.expected:.0%} at {day_text(status.basis_date)}{note}",
        {
            "pace": pace,
            "value": number(status.plan),
            "expected": number(status.expected),
            "plan": number(status.plan),
            "note": status.pace_note,
        },
    )
