"""Validated documents -> engine records: target specs, units, stage names, ids across files."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import Problem
from .quantity import check_unit, parse_quantity
from .records import GoalDef, MetricDef, RiskDef, Rung, TargetDef, Where

if TYPE_CHECKING:  # the models need Pydantic and the documents PyYAML: both load lazily
    from .model import Goal, Metric, Risk, Target
    from .periods import Period
    from .yamlfile import Path_, YamlDocument

_OP = re.compile(r"^\s*(>=|<=|==|=|>|<|≥|≤)?\s*(.*?)\s*$", re.DOTALL)
_RANGE = re.compile(r"^\s*(.+?)\s*\.\.\s*(.+?)\s*$")
_SMART = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass
class LoadedFile:
    """A goal file after schema validation: its models and where each came from."""

    doc: YamlDocument
    area: str
    metrics: list[tuple[str, Metric]]
    goals: list[ValidatedGoal]
    risks: list[tuple[int, Risk]]


@dataclass
class ValidatedGoal:
    index: int  # in the file's goals: list
    goal: Goal
    valid: bool  # False: kept only so that its targets are cross-checked too
    positions: list[int]  # each validated target's index in the file's targets: list


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def parse_value(raw: object, metric: MetricDef) -> float:
    """A single value for a metric: a stage's index, or a number checked against the unit."""
    if metric.is_stage:
        if isinstance(raw, str) and raw.strip() in metric.stages:
            return float(metric.stages.index(raw.strip()))
        stages = ", ".join(metric.stages)
        raise ValueError(f"{raw!r} is not a stage of {metric.id} (stages: {stages})")
    quantity = parse_quantity(raw)
    check_unit(quantity, metric.unit, raw)
    return quantity.value


def parse_rung(raw: object, metric: MetricDef, due: Period | None) -> Rung:
    """'>= 5k', '< 10', '5..50', a bare value, or a stage name -> Rung."""
    due_day, due_text = (due.last, due.text) if due else (None, None)
    default_op = "<=" if metric.direction == "down" else ">="
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
        op = {"=": "==", "≥": ">=", "≤": "<="}.get(match.group(1) or "", match.group(1))
        return Rung(op or default_op, parse_value(match.group(2), metric), None, due_day, due_text)
    return Rung(default_op, parse_value(raw, metric), None, due_day, due_text)


def resolve_metric(metric_id: str, metric: Metric, doc: YamlDocument) -> MetricDef | None:
    loc: Path_ = ("metrics", metric_id)
    stages: tuple[str, ...] = ()
    if metric.type == "stage":
        stages = tuple(s.strip() for s in metric.stages or ())
        if len(stages) < 2:
            doc.problems.append(doc.problem((*loc, "stages"), "a stage metric needs 2+ stages"))
            return None
        if len(set(stages)) != len(stages):
            doc.problems.append(doc.problem((*loc, "stages"), "stages must be unique"))
            return None
    elif metric.stages is not None:
        doc.problems.append(doc.problem((*loc, "stages"), "stages need type: stage"))
        return None
    if metric.formula is not None and stages:
        doc.problems.append(doc.problem((*loc, "formula"), "a stage metric cannot have a formula"))
        return None
    line, column = doc.locate(loc)
    return MetricDef(
        id=metric_id,
        name=metric.name,
        unit=metric.unit,
        direction=metric.direction,
        cadence=metric.cadence,
        stages=stages,
        description=metric.description,
        source=metric.source,
        where=Where(doc.path, line, column),
        formula=metric.formula,
        formula_where=Where(doc.path, *doc.locate((*loc, "formula"))),
    )


def resolve_risk(index: int, risk: Risk, doc: YamlDocument) -> RiskDef:
    loc: Path_ = ("risks", index)
    return RiskDef(
        id=risk.id,
        title=risk.title,
        when=risk.when,
        owner=risk.owner,
        actions=tuple(risk.actions),
        notes=risk.notes,
        where=Where(doc.path, *doc.locate(loc)),
        when_where=Where(doc.path, *doc.locate((*loc, "when"))),
    )


def _resolve_target(
    target: Target, loc: Path_, goal: Goal, metrics: dict[str, MetricDef], doc: YamlDocument
) -> TargetDef | None:
    metric = metrics.get(target.metric)
    if metric is None:
        hint = suggest(target.metric, metrics)
        doc.problems.append(
            doc.problem((*loc, "metric"), f"unknown metric {target.metric!r}{hint}")
        )
        return None
    if (target.target is None) == (target.steps is None):
        doc.problems.append(doc.problem(loc, "give either target: or steps:, not both or neither"))
        return None
    due = target.due or goal.due
    start = target.start or goal.start
    rungs: list[Rung] = []
    ok = True
    try:
        if target.target is not None:
            rungs.append(parse_rung(target.target, metric, due))
        else:
            for index, step in enumerate(target.steps or ()):
                step_loc = (*loc, "steps", index)
                try:
                    rungs.append(parse_rung(step.value, metric, step.due))
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
    )


def resolve_goal(
    entry: ValidatedGoal, area: str, metrics: dict[str, MetricDef], doc: YamlDocument
) -> GoalDef:
    goal = entry.goal
    loc: Path_ = ("goals", entry.index)
    targets = []
    for t_index, target in zip(entry.positions, goal.targets, strict=True):
        resolved = _resolve_target(target, (*loc, "targets", t_index), goal, metrics, doc)
        if resolved is not None:
            targets.append(resolved)
    if goal.start and goal.due and goal.due.last < goal.start.first:
        doc.problems.append(
            doc.problem((*loc, "due"), f"due {goal.due} is before start {goal.start}")
        )
    line, column = doc.locate(loc)
    return GoalDef(
        id=goal.id,
        title=goal.title,
        area=goal.area or area,
        targets=tuple(targets),
        owner=goal.owner,
        smart=tuple((key, text) for key in _SMART if (text := getattr(goal, key))),
        start=goal.start.first if goal.start else None,
        start_text=goal.start.text if goal.start else None,
        due=goal.due.last if goal.due else None,
        due_text=goal.due.text if goal.due else None,
        after=goal.after,
        review=tuple((goal.review or {}).items()),
        tags=tuple(goal.tags or ()),
        notes=goal.notes,
        where=Where(doc.path, line, column),
        after_where=Where(doc.path, *doc.locate((*loc, "after"))),
    )


def check_dependencies(goals: list[GoalDef], problems: list[Problem]) -> list[GoalDef]:
    """Report unknown or circular `after:`; the goals that keep a usable `after`."""
    by_id = {goal.id: goal for goal in goals}
    # Each goal waits on at most one other, so the `after` links form paths that may end in a
    # cycle. One walk per goal that stops at anything already walked finds every cycle in
    # linear time (a chain of a thousand goals costs a thousand steps, not a million).
    on_cycle: dict[str, list[str]] = {}  # goal id -> the cycle, starting at that goal
    walked: set[str] = set()
    for goal in goals:
        trail: list[str] = []
        index: dict[str, int] = {}
        current: str | None = goal.id
        while current is not None and current in by_id and current not in walked:
            walked.add(current)
            index[current] = len(trail)
            trail.append(current)
            current = by_id[current].after
        if current is not None and current in index:  # this walk closed a cycle
            cycle = trail[index[current] :]
            for offset, member in enumerate(cycle):
                on_cycle[member] = cycle[offset:] + cycle[:offset]
    result = []
    for goal in goals:
        if goal.after is None:
            result.append(goal)
            continue
        bad = None
        if goal.after not in by_id:
            bad = f"unknown goal {goal.after!r}{suggest(goal.after, by_id)}"
        elif goal.id in on_cycle:
            bad = "goals wait on each other: " + " -> ".join([*on_cycle[goal.id], goal.id])
        if bad:
            where = goal.after_where
            problems.append(Problem(where.path, where.line, where.column, bad, f"{goal.id}.after"))
            goal = goal._replace(after=None)
        result.append(goal)
    return result


def area_for(path: str) -> str:
    """Default area from a file name: goals/user-growth.yaml -> User growth."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"^\d+[-_ ]+", "", stem)  # "1-user-growth": the number only orders files
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else stem


__all__ = ["LoadedFile", "check_dependencies", "parse_rung", "parse_value"]
