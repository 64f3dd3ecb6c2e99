"""`check`: every problem of the ledger, all at once; warnings that are not errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from ..errors import EXIT_INVALID, EXIT_OK
from ..files import JOURNAL
from ..ledger import Ledger
from ..loader import load_ledger


class CheckView(NamedTuple):
    ledger: Ledger
    warnings: tuple[str, ...] = ()  # shown on stderr; they do not change the exit code

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.ledger.problems else EXIT_OK


def future_rows(ledger: Ledger, today: dt.date) -> list[str]:
    """Journal rows dated after today: a typo in the year, or a clock that is wrong."""
    found = []
    for metric, series in ledger.series.items():
        if ledger.metrics[metric].formula is not None:
            continue
        start = series.count_until(today)
        for index in range(start, len(series.dates)):
            day, line = series.dates[index], series.lines[index]
            found.append(
                (line, f"{JOURNAL}:{line}: date: {day.isoformat()} is after today ({today})")
            )
    return [message for _, message in sorted(found)]


def check(root: Path, today: dt.date | None = None) -> CheckView:
    ledger = load_ledger(root)
    warnings = future_rows(ledger, today) if today is not None else []
    return CheckView(ledger, tuple(warnings))
