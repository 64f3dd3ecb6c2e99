"""`show`: one goal as a SMART card, with each target's recent values and target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.engine.evaluation import GoalStatus, evaluate
from smartgoals.engine.forecast import Forecast, forecasts
from smartgoals.errors import EXIT_OK, GitError, InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger
from smartgoals.periods import as_of_date
from smartgoals.revisions.history import CommittedTargetChange, target_history
from smartgoals.suggest import suggest


class ShowView(NamedTuple):
    goal: GoalStatus
    ledger: Ledger
    as_of: dt.date
    recent: int
    history: tuple[CommittedTargetChange, ...]
    history_missing: str | None  # why there is no target history (outside git)
    forecasts: tuple[Forecast, ...] = ()  # one per target, in order
    checkins: tuple[Any, ...] = ()  # the goal's recent confidence.CheckinInfo, oldest first

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def goal_at(root: Path, goal: str, day: dt.date) -> tuple[Ledger, GoalStatus]:
    """The ledger at root and one goal's status on day; InvalidInputError (with the nearest
    id) when no goal has that id."""
    ledger = load_ledger(root)
    found = evaluate(ledger, day).goal(goal)
    if found is None:
        ids = [g.id for g in ledger.goals]
        raise InvalidInputError(f"unknown goal {goal!r}{suggest(goal, ids)}")
    return ledger, found


def show(
    root: Path, today: dt.date, goal: str, as_of: str | None = None, recent: int = 5
) -> ShowView:
    day = as_of_date(as_of, today)
    ledger, found = goal_at(root, goal, day)
    try:
        history, missing = tuple(target_history(root, goal=goal)), None
    except GitError as exc:
        history, missing = (), str(exc)
    predicted = forecasts(found.targets, ledger.series, day)
    from smartgoals.revisions.confidence import goal_checkins

    checkins = goal_checkins(root, ledger.definitions, goal, day, recent)
    return ShowView(found, ledger, day, recent, history, missing, predicted, checkins)
