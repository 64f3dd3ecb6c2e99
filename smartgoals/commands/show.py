"""`show`: one goal as a SMART card, with each target's recent values and target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.forecast import forecasts
from smartgoals.engine.selection import goal_at
from smartgoals.errors import GitError
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.revisions.history import target_history
from smartgoals.views.show import ShowView


def show(
    root: Path, today: dt.date, goal: str, as_of: str | None = None, recent: int = 5
) -> ShowView:
    day = as_of_date(as_of, today)
    ledger = load_ledger(root)
    found = goal_at(ledger, goal, day)
    try:
        history, missing = tuple(target_history(root, goal=goal)), None
    except GitError as exc:
        history, missing = (), str(exc)
    predicted = forecasts(found.targets, ledger.series, day)
    from smartgoals.revisions.confidence import goal_checkins

    checkins = goal_checkins(root, ledger.definitions, goal, day, recent)
    return ShowView(found, ledger, day, recent, history, missing, predicted, checkins)
