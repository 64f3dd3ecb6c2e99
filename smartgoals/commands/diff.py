"""`diff`: what a change did, between two revisions or a revision and the working tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.compare import Diff
from smartgoals.engine.compare import diff as compare
from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.forecast import target_forecasts
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger, Where
from smartgoals.periods import as_of_date
from smartgoals.rendering.annotations import repository_prefix
from smartgoals.revisions.history import ledger_at
from smartgoals.views.diff import DiffView, Moved, Side


def diff(
    root: Path,
    today: dt.date,
    a: str = "HEAD",
    b: str | None = None,
    as_of: str | None = None,
    include_all: bool = False,
    exit_code: bool = False,
    require_reason: bool = False,
    forecasts: bool = False,
    github: bool = False,
) -> DiffView:
    """forecasts: also the verdicts and forecasts the change moves (md and json show them);
    github: eased targets without a reason as workflow commands on their lines."""
    day = as_of_date(as_of, today)
    ledger_a, commit_a = ledger_at(root, a)
    if b is None:
        ledger_b, commit_b = load_ledger(root), None
    else:
        ledger_b, commit_b = ledger_at(root, b)
    ea, eb = evaluate(ledger_a, day), evaluate(ledger_b, day)
    result = compare(ledger_a, ledger_b, ea, eb, include_all)
    metrics = {**ledger_a.metrics, **ledger_b.metrics}
    moved = moved_targets(ledger_a, ledger_b, ea, eb, result) if forecasts else ()
    prefix = ""
    if github:
        prefix = repository_prefix(root)
    return DiffView(
        Side(a, commit_a),
        Side(b, commit_b),
        day,
        result,
        metrics,
        exit_code,
        require_reason,
        moved,
        target_places(ledger_b, result),
        github,
        prefix,
    )


def target_places(ledger: Ledger, result: Diff) -> tuple[Where | None, ...]:
    """Where each changed target is on the new side (its first target of that metric in the
    goal); None for a removed one."""
    goals = {g.id: g for g in ledger.goals}
    places: list[Where | None] = []
    for change in result.targets:
        goal = goals.get(change.goal)
        found = [t.where for t in goal.targets if t.metric == change.metric.id] if goal else []
        places.append(found[0] if found and change.new is not None else None)
    return tuple(places)


def moved_targets(
    ledger_a: Ledger, ledger_b: Ledger, ea: Evaluation, eb: Evaluation, result: Diff
) -> tuple[Moved, ...]:
    """The targets on both sides whose status, forecast verdict or ETA differ."""

    before, after = target_forecasts(ledger_a, ea), target_forecasts(ledger_b, eb)
    old_id = {r.new: r.old for r in result.goals_renamed}
    status_a = {(g.goal.id, i): t for g in ea.goals for i, t in enumerate(g.targets)}
    found = []
    for goal in eb.goals:
        for index, target in enumerate(goal.targets):
            key = (old_id.get(goal.goal.id, goal.goal.id), index)
            old = status_a.get(key)
            if old is None or old.metric.id != target.metric.id:
                continue
            fa, fb = before[key], after[(goal.goal.id, index)]
            item = Moved(
                goal.goal.id,
                target.metric.id,
                str(old.status),
                str(target.status),
                fa.eta,
                fb.eta,
                fa.verdict,
                fb.verdict,
            )
            # an ETA moves for a reviewer when its month does: a new row shifts it by days
            same_eta = _month(fa.eta) == _month(fb.eta)
            if item.old != item.new or item.old_verdict != item.new_verdict or not same_eta:
                found.append(item)
    return tuple(found)


def _month(day: dt.date | None) -> str | None:
    return day.isoformat()[:7] if day else None
