"""`history`: every observation of a metric, who recorded it, and its target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..dates import since_date
from ..errors import EXIT_OK, InvalidInputError
from ..history import MetricHistory, metric_history
from ..loader import load_ledger
from ..record import Record
from ..suggest import suggest


class HistoryView(Record):
    history: MetricHistory

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def history(
    root: Path, metric: str, since: str | None = None, today: dt.date | None = None
) -> HistoryView:
    ledger = load_ledger(root)
    if metric not in ledger.metrics:
        raise InvalidInputError(f"unknown metric {metric!r}{suggest(metric, ledger.metrics)}")
    return HistoryView(metric_history(root, ledger, metric, since_date(since, today=today)))
