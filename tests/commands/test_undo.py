"""commands/undo.py: the last unpushed log cancelled by correction rows, in one new commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.log import log
from smartgoals.commands.undo import plan, undo
from smartgoals.errors import InvalidInputError
from tests.conftest import committed_ledger, git

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000}
"""
JOURNAL = """\
date,metric,value,note
2026-04-02,mrr,130,
"""


@pytest.fixture
def ledger(repo: Path) -> Path:
    return committed_ledger(repo, GOALS, JOURNAL)


def test_undo_appends_a_correction_back_to_the_previous_value(ledger: Path) -> None:
    logged = log(ledger, dt.date(2026, 4, 2), ["mrr", "150"])
    sha = logged.recorded.commit  # type: ignore[union-attr]
    assert sha is not None
    found = plan(ledger)
    assert found.commit.sha == sha
    note = f"correction: $150 -> $130; undo of {sha[:10]}"
    assert [(e.metric.id, e.value, e.note) for e in found.entries] == [("mrr", 130.0, note)]
    view = undo(ledger, found)
    journal = (ledger / "goals" / "log.csv").read_text(encoding="utf-8")
    assert journal == JOURNAL + f"2026-04-02,mrr,150,\n2026-04-02,mrr,130,{note}\n"
    assert view.written.commit == git(ledger, "rev-parse", "HEAD").strip()
    assert git(ledger, "log", "-1", "--format=%B") == (
        f"undo: {sha[:10]} (log: mrr = 150 USD (2026-04-02))\n\nmrr (2026-04-02): {note}\n\n"
    )


def test_nothing_to_undo_is_refused(ledger: Path) -> None:
    with pytest.raises(InvalidInputError):
        plan(ledger)  # "start" is not a log commit
