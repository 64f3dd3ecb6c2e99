"""commands/due.py: lapsed cadences, reviews without a check-in, triggered risks, at a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.due import due_view
from smartgoals.errors import InvalidInputError
from tests.commands.ledgers import DUE_GOALS, DUE_JOURNAL
from tests.conftest import write_ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, DUE_GOALS, DUE_JOURNAL)


def test_everything_due_at_a_date(ledger: Path) -> None:
    view = due_view(ledger, dt.date(2026, 9, 9), as_of="2026-04-01")
    assert view.as_of == dt.date(2026, 4, 1)  # --as-of wins over today
    assert [(m.metric.id, m.last_value, m.overdue) for m in view.due.metrics] == [
        ("mrr", 300.0, True)  # its last value, of 2026-02-28
    ]
    assert [(r.goal.id, r.cadence, r.what) for r in view.due.reviews] == [
        ("revenue", "monthly", "Revenue review")
    ]
    assert [(r.risk.id, r.triggered, r.values) for r in view.due.risks] == [
        ("cash-low", True, {"cash": 3000.0})
    ]
    assert view.exit_code == 1


def test_a_risk_is_not_due_before_its_trigger(ledger: Path) -> None:
    view = due_view(ledger, dt.date(2026, 2, 10))
    assert view.due.risks == ()
    assert view.due.metrics == ()  # mrr was logged 10 days ago


def test_within_must_not_be_negative(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match="--within: -1 is negative"):
        due_view(ledger, dt.date(2026, 4, 1), within=-1)
