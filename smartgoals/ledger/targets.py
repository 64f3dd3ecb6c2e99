"""Targets as written -> rungs: `">= 5k"`, ranges, stage names and ladders, checked against their
metric (units, stages, rung order)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from smartgoals.ledger.mixes import plain_target_problem, resolve_mix
from smartgoals.ledger.model import MetricDef, Rung, TargetDef, Where
from smartgoals.ledger.values import parse_value
from smartgoals.ops import ALIASES, TARGET_OPS, TargetOp
from smartgoals.periods import OPEN, parse_window
from smartgoals.suggest import suggest

if TYPE_CHECKING:
    from smartgoals.errors import Problem
    from smartgoals.ledger.gaps import Gaps
    from smartgoals.ledger.goalfile import Goal, Target
    from smartgoals.ledger.yamlfile import Path_, YamlDocument
    from smartgoals.periods import Period

_OP = re.compile(r"^\s*(>=|<=|==|=|>|<|≥|≤)?\s*(.*?)\s*$", re.DOTALL)
_RANGE = re.compile(r"^\s*(.+?)\s*\.\.\s*(.+?)\s*$")


def parse_rung(raw: object, metric: MetricDef, due: Period | None) -> Rung:
    """'>= 5k', '< 10', '5..50', a bare value, or a stage name -> Rung."""
    due_day, due_text = (due.last, due.text) if due else (None, None)
    default_op: TargetOp = "<=" if metric.direction == "down" else ">="
    if metric.is_stage:
        return Rung(">=", parse_value(raw, metric), None, due_day, due_text)
    if isinstance(raw, str):
        if (rng := _RANGE.match(raw)) and not raw.strip().startswith((">", "<", "=")):
            low, high = parse_value(rng.group(1), metric), parse_value(rng.group(2), metric)
            if low > high:
                raise ValueError(f"range {raw!r} runs backwards")
            return Rung("..", low, high, due_day, due_text)
        match = _OP.match(raw)
        assert match is not None
        written = match.group(1)
        op: TargetOp = TARGET_OPS[ALIASES.get(written, written)] if written else default_op
        return Rung(op, parse_value(match.group(2), metric), None, due_day, due_text)
    return Rung(default_op, parse_value(raw, metric), None, due_day, due_text)


def resolve_target(
    target: Target,
    loc: Path_,
    goal: Goal,
    metrics: dict[str, MetricDef],
    doc: YamlDocument,
    gaps: Gaps | None = None,
) -> TargetDef | None:
    if target.mix is not None:
        return resolve_mix(target, loc, goal, metrics, doc, gaps)
    if plain_target_problem(target, loc, doc):
        return None
    assert target.metric is not None
    metric = metrics.get(target.metric)
    if metric is None:
        hint = suggest(target.metric, metrics)
        found: Problem | None = doc.problem(
            (*loc, "metric"), f"unknown metric {target.metric!r}{hint}"
        )
        if gaps is not None and found is not None:
            found = gaps.unknown("metric", target.metric, found)
        if found is not None:
            doc.problems.append(found)
        return None
    if (target.target is None) == (target.steps is None):
        doc.problems.append(doc.problem(loc, "give either target: or steps:, not both or neither"))
        return None
    written_due = target.due or goal.due
    start = target.start or goal.start
    due = None if isinstance(written_due, str) else written_due  # str: open
    try:
        rungs, ok = _rungs(target, loc, metric, due, doc)
        if written_due == OPEN and target.target is not None:
            rungs[0] = rungs[0]._replace(due_text=open_text(start), open_ended=True)
    except ValueError as exc:
        doc.problems.append(doc.problem((*loc, "target"), str(exc)))
        return None
    baseline = None
    if target.baseline is not None:
        try:
            baseline = parse_value(target.baseline, metric)
        except ValueError as exc:
            doc.problems.append(doc.problem((*loc, "baseline"), str(exc)))
            ok = False
    if start and rungs and rungs[-1].due and rungs[-1].due < start.first:
        where = "due" if target.due or target.steps else "target"
        doc.problems.append(doc.problem((*loc, where), f"due is before the start ({start})"))
        ok = False
    # each check reports its own problems; all run, so that every mistake is reported at once
    ok = _check_window(target, loc, doc, ok) and ok
    ok = _check_every(target, loc, metric, doc) and ok
    ok = _check_grace(target, loc, doc) and ok
    if not ok:
        return None
    if metric.is_stage and baseline is None:
        baseline = 0.0  # progress of a stage is its position in the list
    line, column = doc.locate(loc)
    return TargetDef(
        metric=metric.id,
        rungs=tuple(rungs),
        is_ladder=target.steps is not None,
        baseline=baseline,
        start=start.first if start else None,
        note=target.note,
        where=Where(doc.path, line, column),
        window_text=target.window,
        every=target.every,
        pace=target.pace,
        weight=target.weight,
        reason=target.reason,
        rung_reasons=tuple(step.reason for step in target.steps or ()),
        stretch=target.stretch,
        grace=target.grace or 0,
        in_a_row=target.breaches_in_a_row or 0,
    )


def open_text(start: Period | None) -> str:
    """How an open-ended timeline is shown: its start and a plus (2027+), else open."""
    return f"{start}+" if start is not None else OPEN


def _rungs(
    target: Target, loc: Path_, metric: MetricDef, due: Any, doc: YamlDocument
) -> tuple[list[Rung], bool]:
    """The target's rungs (one, or a ladder's in date order) and whether all of them were good;
    a ValueError for a single target: that is reported at `target:`."""
    if target.target is not None:
        return [parse_rung(target.target, metric, due)._replace(hold=target.hold)], True
    rungs: list[Rung] = []
    ok = True
    for index, step in enumerate(target.steps or ()):
        step_loc = (*loc, "steps", index)
        try:
            rung = parse_rung(step.value, metric, step.due)
            rungs.append(rung._replace(hold=step.hold or target.hold))
        except ValueError as exc:
            doc.problems.append(doc.problem((*step_loc, "value"), str(exc)))
            ok = False
            continue
        earlier = rungs[-2].due if len(rungs) > 1 else None
        later = rungs[-1].due
        if earlier is not None and later is not None and later <= earlier:
            message = (
                f"rung due {step.due} is not after the previous rung's "
                f"({rungs[-2].due_text}): list rungs in date order"
            )
            doc.problems.append(doc.problem((*step_loc, "due"), message))
            ok = False
    return rungs, ok


def _check_window(target: Target, loc: Path_, doc: YamlDocument, ok: bool) -> bool:
    """`window:` is a trailing span, on a held target only (checked when the rest is good)."""
    if target.window is None:
        return True

    try:
        window = parse_window(target.window)
    except ValueError as exc:
        doc.problems.append(doc.problem((*loc, "window"), str(exc)))
        return False
    if window.length == 0:
        message = f"window {target.window!r} must be trailing, such as 90d or 3 months"
        doc.problems.append(doc.problem((*loc, "window"), message))
        return False
    if ok and not target.hold:
        message = "window: applies to a held target (hold: true)"
        doc.problems.append(doc.problem((*loc, "window"), message))
        return False
    return True


def _check_every(target: Target, loc: Path_, metric: MetricDef, doc: YamlDocument) -> bool:
    """`every:` makes a quota of one plain target: not a ladder, not held, not a stage."""
    if target.every is None:
        return True
    if target.steps is not None:
        message = "every: makes a quota of one target; it does not combine with steps:"
    elif target.hold:
        message = "every: and hold: do not combine: a quota is judged per period"
    elif metric.is_stage:
        message = "a stage metric has no quota"
    else:
        return True
    doc.problems.append(doc.problem((*loc, "every"), message))
    return False


def _check_grace(target: Target, loc: Path_, doc: YamlDocument) -> bool:
    """`grace:` and `breaches_in_a_row:` tolerate breaches of a held target: one or the other."""
    keys = [key for key in ("grace", "breaches_in_a_row") if getattr(target, key) is not None]
    if not keys:
        return True
    held = target.hold or any(step.hold for step in target.steps or ())
    if not held:
        message = f"{keys[0]}: applies to a held target (hold: true)"
    elif len(keys) == 2:
        message = "give grace: or breaches_in_a_row:, not both"
    else:
        return True
    doc.problems.append(doc.problem((*loc, keys[-1]), message))
    return False


def resolve_state(
    state: str | None, loc: Path_, metrics: dict[str, MetricDef], doc: YamlDocument
) -> str | None:
    """A goal's `state:`: a stage metric, known by id (the declared state is its value)."""
    if state is None:
        return None
    metric = metrics.get(state)
    if metric is None:
        message = f"unknown metric {state!r}{suggest(state, metrics)}"
    elif not metric.is_stage:
        message = f"state: {state} is not a stage metric (type: stage, with stages: [...])"
    else:
        return state
    doc.problems.append(doc.problem(loc, message))
    return None
