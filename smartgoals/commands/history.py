"""`history`: every observation of a metric, who recorded it, and its target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.errors import InvalidInputError
from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import since_date
from smartgoals.revisions.history import metric_files, metric_history
from smartgoals.suggest import suggest
from smartgoals.views.history import HistoryView


def history(
    root: Path, metric: str, since: str | None = None, today: dt.date | None = None
) -> HistoryView:
    files = read_work_tree(root)
    # the journal's other lines emptied: a metric's history needs only its own series
    ledger = load_ledger(metric_files(files, metric))
    if metric not in ledger.metrics:
        raise InvalidInputError(f"unknown metric {metric!r}{suggest(metric, ledger.metrics)}")
    if ledger.metrics[metric].formula is not None:
        ledger = load_ledger(files)  # a derived metric's series needs its inputs
    del files  # the journal's bytes: attribution reads them again, one file at a time
    return HistoryView(metric_history(root, ledger, metric, since_date(since, today=today)))
