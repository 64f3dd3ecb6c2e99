"""`due`: what needs a person now; exit 1 when anything does, so cron and prompts can use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.dueness import due
from smartgoals.errors import InvalidInputError
from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_checkins, load_ledger
from smartgoals.periods import as_of_date
from smartgoals.views.due import DueView


def due_view(root: Path, today: dt.date, as_of: str | None = None, within: int = 0) -> DueView:
    if within < 0:
        raise InvalidInputError(f"--within: {within} is negative; give a number of days, 0 or more")
    day = as_of_date(as_of, today)
    files = read_work_tree(root)
    ledger = load_ledger(files)
    checkins = load_checkins(files.files, ledger.definitions)
    return DueView(day, within, due(ledger, checkins, day, within), ledger.problems, ledger.metrics)
