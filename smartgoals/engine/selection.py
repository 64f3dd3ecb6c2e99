"""Choosing and ordering goals: --goal, --area, --owner, --status and --sort, for every command
that shows goals. A value that matches nothing is an error with the nearest suggestion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from smartgoals.engine.evaluation import (
    SEVERITY,
    Evaluation,
    GoalStatus,
    RiskStatus,
    Status,
    evaluate,
)
from smartgoals.errors import InvalidInputError
from smartgoals.formula.syntax import FormulaError, goal_references, parse, references
from smartgoals.ledger.model import Ledger
from smartgoals.suggest import name_key, same_text, suggest

SORTS = ("area", "severity", "due")


def _unknown(kind: str, value: str, known: Iterable[str]) -> InvalidInputError:
    choices = sorted(set(known))
    return InvalidInputError(f"unknown {kind} {value!r}{suggest(value, choices)}")


def status_words(statuses: Iterable[str]) -> set[str]:
    """--status values (comma-separated, repeatable) as status words; `on-track` and `on track`
    are `on_track`. The words come from engine.Status, so new statuses are accepted as they
    appear."""
    known = [str(s) for s in Status]
    wanted = set()
    for text in statuses:
        for part in text.split(","):
            word = part.strip().casefold().replace("-", "_").replace(" ", "_")
            if not word:
                continue
            if word not in known:
                raise _unknown("status", part.strip(), known)
            wanted.add(word)
    return wanted


def select(
    evaluation: Evaluation,
    goals: Sequence[str] = (),
    area: str | None = None,
    owner: str | None = None,
    statuses: Sequence[str] = (),
) -> Evaluation:
    """The evaluation restricted to the chosen goals; an unknown goal id, area, owner or status
    is an error (with the nearest suggestion).

    Areas and owners match without regard to case or Unicode normalization (suggest.name_key);
    every filter given must match. With
    statuses, only the targets with one of them are kept, and the goals that have any. Risks
    are kept when they concern the chosen goals (see risk_matches).
    """
    known = [g.goal.id for g in evaluation.goals]
    wanted = {same_text(goal) for goal in goals}
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InvalidInputError(f"unknown goal {unknown[0]!r}{suggest(unknown[0], known)}")
    areas = {g.goal.area for g in evaluation.goals} | {
        r.risk.area for r in evaluation.risks if r.risk.area
    }
    owners = {g.goal.owner for g in evaluation.goals if g.goal.owner} | {
        r.risk.owner for r in evaluation.risks if r.risk.owner
    }
    area_key = name_key(area) if area is not None else None
    owner_key = name_key(owner) if owner is not None else None
    if area is not None and area_key not in {name_key(a) for a in areas}:
        raise _unknown("area", area, areas)
    if owner is not None and owner_key not in {name_key(o) for o in owners}:
        raise _unknown("owner", owner, owners)
    words = status_words(statuses)
    chosen = []
    for g in evaluation.goals:
        if wanted and g.goal.id not in wanted:
            continue
        if area_key is not None and name_key(g.goal.area) != area_key:
            continue
        if owner_key is not None and name_key(g.goal.owner or "") != owner_key:
            continue
        if words:
            targets = tuple(t for t in g.targets if t.status in words)
            if not targets:
                continue
            g = g._replace(targets=targets)
        chosen.append(g)
    risks = tuple(
        r
        for r in evaluation.risks
        if risk_matches(r, [g for g in evaluation.goals if g.goal.id in wanted], area, owner)
    )
    return evaluation._replace(goals=tuple(chosen), risks=risks)


def risk_matches(
    status: RiskStatus, goals: Sequence[GoalStatus], area: str | None, owner: str | None
) -> bool:
    """Whether a risk concerns the chosen goals: its area and owner match the filters given,
    and, with --goal, its condition asks about one of the goals (status('id')) or reads one of
    their metrics."""
    risk = status.risk
    if area is not None and name_key(risk.area or "") != name_key(area):
        return False
    if owner is not None and name_key(risk.owner or "") != name_key(owner):
        return False
    if not goals:
        return True
    try:
        node = parse(risk.when)
    except FormulaError:
        return False
    ids = {goal.goal.id for goal in goals}
    metrics = {target.metric.id for goal in goals for target in goal.targets}
    asked = {goal_id for goal_id, _column in goal_references(node)}
    return bool(asked & ids or references(node) & metrics)


def _severity(status: str) -> int:
    """Worst first: engine.SEVERITY, then statuses it does not rank (achieved, not_started,
    any new word), in engine.Status order."""
    order = [str(s) for s in SEVERITY]
    if status in order:
        return order.index(status)
    rest = [str(s) for s in Status if str(s) not in order]
    return len(order) + (rest.index(status) if status in rest else len(rest))


def _due(goal: GoalStatus) -> dt.date | None:
    """When the goal is next due: its own due, else its targets' nearest (a ladder's rung)."""
    dues = [t.rung.due for t in goal.targets if t.rung.due is not None]
    return goal.goal.due or (min(dues) if dues else None)


def sort_goals(evaluation: Evaluation, key: str = "area") -> Evaluation:
    """Goals in the order asked: `area` (the files' order, grouped by area: as ever),
    `severity` (worst status first, and each goal's targets too) or `due` (soonest first; no
    due last)."""
    if key not in SORTS:
        raise _unknown("sort", key, SORTS)
    goals = list(evaluation.goals)
    if key == "area":
        areas: dict[str, list[GoalStatus]] = {}
        for goal in goals:
            areas.setdefault(same_text(goal.goal.area), []).append(goal)
        goals = [goal for group in areas.values() for goal in group]
    elif key == "severity":
        goals = [
            g._replace(targets=tuple(sorted(g.targets, key=lambda t: _severity(t.status))))
            for g in sorted(goals, key=lambda g: _severity(g.status))
        ]
    else:
        goals.sort(key=lambda g: (_due(g) is None, _due(g) or evaluation.as_of))
    return evaluation._replace(goals=tuple(goals))


def goal_at(ledger: Ledger, goal: str, day: dt.date) -> GoalStatus:
    """One goal's status on day; InvalidInputError (with the nearest id) when no goal has that
    id."""
    found = evaluate(ledger, day).goal(goal)
    if found is None:
        ids = [g.id for g in ledger.goals]
        raise InvalidInputError(f"unknown goal {goal!r}{suggest(goal, ids)}")
    return found
