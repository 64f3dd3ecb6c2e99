"""`due`: what needs a person now; exit 1 when anything does, so cron and prompts can use it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..dates import as_of_date
from ..dueness import Due, due
from ..errors import EXIT_INVALID, EXIT_OK, InvalidInputError, Problem
from ..files import read_work_tree
from ..ledger import MetricDef
from ..loader import load_checkins, load_ledger
from ..record import Record


class DueView(Record):
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
