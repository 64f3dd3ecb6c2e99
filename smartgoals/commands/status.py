"""`status`: every goal and target judged at a date, optionally as committed at a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..dates import as_of_date
from ..engine import Evaluation, evaluate
from ..errors import EXIT_INVALID, EXIT_OK, Problem
from ..loader import load_ledger
from ..selection import select
from ..vcs import CommitInfo


class StatusView(NamedTuple):
    evaluation: Evaluation  # the chosen goals; every risk
    problems: tuple[Problem, ...]
    rev: str | None = None
    commit: CommitInfo | None = None  # with --rev: the commit read

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def status(
    root: Path,
    today: dt.date,
    as_of: str | None = None,
    goals: Sequence[str] = (),
    area: str | None = None,
    owner: str | None = None,
    rev: str | None = None,
) -> StatusView:
    """The status of the ledger at root (or as committed at rev), at as_of (default today; with
    rev, that commit's date)."""
    commit = None
    if rev is not None:
        from ..history import ledger_at

        ledger, commit = ledger_at(root, rev)
        day = as_of_date(as_of, today) if as_of is not None else commit.date.date()
    else:
        day = as_of_date(as_of, today)
        ledger = load_ledger(root)
    evaluation = select(evaluate(ledger, day), goals, area, owner)
    return StatusView(evaluation, ledger.problems, rev, commit)
