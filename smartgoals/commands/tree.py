"""`tree` (and `status --tree`): the goals as the tree of what contributes to what."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.alignment import tree as build_tree
from smartgoals.engine.alignment import unaligned, unsupported
from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.views.tree import TreeView


def tree(root: Path, today: dt.date, as_of: str | None = None) -> TreeView:
    day = as_of_date(as_of, today)
    ledger = load_ledger(root, judged=True, until=day)
    goals = evaluate(ledger, day).goals
    return TreeView(day, build_tree(goals), unsupported(goals), unaligned(goals), ledger.problems)
