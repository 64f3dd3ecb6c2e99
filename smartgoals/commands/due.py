"""`due`: what needs a person now; exit 1 when anything does, so cron and prompts can use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.dueness import Due, due
from smartgoals.errors import EXIT_INVALID, EXIT_OK, InvalidInputError, Problem
from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_checkins, load_ledger
from smartgoals.ledger.model import MetricDef
from smartgoals.periods import as_of_date


class DueView(NamedTuple):
    as_of: dt.date
    within: int
    due: Due
    problems: tuple[Problem, ...]
    metrics: dict[str, MetricDef]

    @property
    def anything(self) -> bool:
        return bool(self.due.metrics or self.due.reviews or self.due.risks)

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.anything or self.problems else EXIT_OK


def due_view(root: Path, today: dt.date, as_of: str | None = None, within: int = 0) -> DueView:
    if within < 0:
        raise InvalidInputError(f"--within: {within} is negative; give a number of days, 0 or more")
    day = as_of_date(as_of, today)
    files = read_work_tree(root)
    ledger = load_ledger(files)
    checkins = load_checkins(files.files, ledger.definitions)
    return DueView(day, within, due(ledger, checkins, day, within), ledger.problems, ledger.metrics)
