"""`diff`: what a change did, between two revisions or a revision and the working tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.compare import Diff, TargetChange
from smartgoals.engine.compare import diff as compare
from smartgoals.engine.evaluation import evaluate
from smartgoals.errors import EXIT_INVALID, EXIT_OK
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import MetricDef
from smartgoals.periods import as_of_date
from smartgoals.revisions.history import ledger_at
from smartgoals.vcs.objects import CommitInfo


class Side(NamedTuple):
    rev: str | None  # None: the working tree
    commit: CommitInfo | None

    @property
    def label(self) -> str:
        if self.commit is None:
            return "working tree"
        return f"{self.rev} ({self.commit.short})"


class DiffView(NamedTuple):
    a: Side
    b: Side
    as_of: dt.date
    diff: Diff
    metrics: dict[str, MetricDef]  # both sides' metrics, for formatting values
    exit_on_change: bool = False
    require_reason: bool = False  # --require-reason: an eased target needs a new reason:

    @property
    def unreasoned(self) -> tuple[TargetChange, ...]:
        """Targets eased without a `reason:` added or changed on them or their rungs."""
        return tuple(t for t in self.diff.targets if t.eased is True and not t.reasons)

    @property
    def exit_code(self) -> int:
        if self.require_reason and self.unreasoned:
            return EXIT_INVALID
        return EXIT_INVALID if self.exit_on_change and self.diff.changed else EXIT_OK


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
