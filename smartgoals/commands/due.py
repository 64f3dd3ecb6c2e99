"""`due`: what needs a person now; exit 1 when anything does, so cron and prompts can use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.dueness import due
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_checkins, load_ledger
from smartgoals.periods import as_of_date
from smartgoals.views.due import DueView


def due_view(root: Path, today: dt.date, as_of: str | None = None, within: int = 0) -> DueView:
    if within < 0:
        raise InvalidInputError(f"--within: {within} is negative; give a number of days, 0 or more")
    day = as_of_date(as_of, today)
    ledger = load_ledger(root)  # the journal cache's pages: only the points judged are read
    checkins = load_checkins(root, ledger.definitions)
    return DueView(day, within, due(ledger, checkins, day, within), ledger.problems, ledger.metrics)
