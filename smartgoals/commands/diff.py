"""`diff`: what a change did, between two revisions or a revision and the working tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.compare import diff as compare
from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.revisions.history import ledger_at
from smartgoals.views.diff import DiffView, Side


def diff(
    root: Path,
    today: dt.date,
    a: str = "HEAD",
    b: str | None = None,
    as_of: str | None = None,
    include_all: bool = False,
    exit_code: bool = False,
    require_reason: bool = False,
) -> DiffView:
    day = as_of_date(as_of, today)
    ledger_a, commit_a = ledger_at(root, a)
    if b is None:
        ledger_b, commit_b = load_ledger(root), None
    else:
        ledger_b, commit_b = ledger_at(root, b)
    result = compare(
        ledger_a, ledger_b, evaluate(ledger_a, day), evaluate(ledger_b, day), include_all
    )
    metrics = {**ledger_a.metrics, **ledger_b.metrics}
    return DiffView(
        Side(a, commit_a), Side(b, commit_b), day, result, metrics, exit_code, require_reason
    )
