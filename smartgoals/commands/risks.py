"""`risks`: every risk's trigger, the values that decided it, and its actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.views.risks import RisksView


def risks(root: Path, today: dt.date, as_of: str | None = None) -> RisksView:
    day = as_of_date(as_of, today)
    ledger = load_ledger(root, judged=True, until=day)  # the derived points evaluate reads
    return RisksView(day, evaluate(ledger, day).risks, ledger.problems, ledger.metrics)
