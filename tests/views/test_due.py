"""views/due.py: `due` as JSON and as plain sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.due import due_view
from smartgoals.rendering import Display
from smartgoals.views.due import due_json, due_lines
from tests.commands.ledgers import DUE_GOALS, DUE_JOURNAL
from tests.conftest import write_ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, DUE_GOALS, DUE_JOURNAL)


def test_json_of_everything_due(ledger: Path) -> None:
    data = due_json(due_view(ledger, dt.date(2026, 4, 1)), Display())
    assert (data["as_of"], data["within"], data["due"], data["last_checkin"]) == (
        "2026-04-01",
        0,
        True,
        None,
    )
    assert data["metrics"] == [
        {
            "id": "mrr",
            "name": "MRR",
            "cadence": "monthly",
            "last_value": 300,
            "last_date": "2026-02-28",
            "due": "2026-04-01",
            "overdue": True,
        }
    ]
    assert [(r["goal"], r["what"], r["overdue"]) for r in data["reviews"]] == [
        ("revenue", "Revenue review", True)
    ]
    (risk,) = data["risks"]
    assert (risk["id"], risk["triggered"], risk["values"], risk["actions"]) == (
        "cash-low",
        True,
        {"cash": 3000},
        ["cut costs"],
    )


def test_plain_sections(ledger: Path) -> None:
    lines = due_lines(due_view(ledger, dt.date(2026, 4, 1)), Display())
    assert lines[0] == "due on 2026-04-01:"
    assert "metrics to record (1):" in lines
    assert any(line.split()[:2] == ["mrr", "monthly"] and "$300" in line for line in lines)
    assert "reviews (1):" in lines
    assert any(line.split()[:2] == ["cash-low", "Cash"] for line in lines)


def test_nothing_due(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        "metrics:\n  mrr: {name: MRR, unit: USD, cadence: monthly}\ngoals: []\n",
        "date,metric,value,note\n2026-03-20,mrr,1,\n",
    )
    view = due_view(tmp_path, dt.date(2026, 4, 1))
    data = due_json(view, Display())
    assert (data["due"], data["metrics"], data["reviews"], data["risks"]) == (False, [], [], [])
    assert view.exit_code == 0
    assert due_lines(view, Display()) == ["nothing is due on 2026-04-01"]
    within = due_view(tmp_path, dt.date(2026, 4, 1), within=3)
    assert due_lines(within, Display()) == ["nothing is due on 2026-04-01 (and within 3 days)"]
