"""`explain`: every step that produced a goal's status (or one target's), in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.explanation import explain_target, goal_steps
from smartgoals.engine.selection import goal_at
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.suggest import suggest
from smartgoals.views.explain import ExplainView


def explain(
    root: Path, today: dt.date, goal: str, metric: str | None = None, as_of: str | None = None
) -> ExplainView:
    day = as_of_date(as_of, today)
    ledger = load_ledger(root)
    found = goal_at(ledger, goal, day)
    indexes = [i for i, t in enumerate(found.targets) if metric is None or t.metric.id == metric]
    if not indexes:
        ids = [t.metric.id for t in found.targets]
        raise InvalidInputError(
            f"goal {goal!r} has no target of metric {metric!r}{suggest(metric or '', ids)}"
        )
    return ExplainView(
        found.goal.id,
        found.goal.title,
        found.status,
        day,
        goal_steps(found) if metric is None else (),
        tuple(explain_target(ledger, found, i, day) for i in indexes),
    )
