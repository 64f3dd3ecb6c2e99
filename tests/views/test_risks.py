"""views/risks.py: `risks` as JSON, plain text and Rich."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.risks import risks
from smartgoals.rendering import Display
from smartgoals.views.risks import risks_json, risks_plain, risks_rich
from tests.conftest import write_ledger

GOALS = """\
metrics:
  cash: {name: Cash, unit: USD}
goals: []
risks:
  - id: cash-low
    title: Cash is low
    owner: Ada
    when: "cash < 5000"
    actions: [cut costs]
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-02-15,cash,3000,\n")


def test_json(ledger: Path) -> None:
    data = risks_json(risks(ledger, dt.date(2026, 3, 1)), Display())
    assert data == {
        "as_of": "2026-03-01",
        "risks": [
            {
                "id": "cash-low",
                "title": "Cash is low",
                "owner": "Ada",
                "area": "Goals",
                "when": "cash < 5000",
                "triggered": True,
                "actions": ["cut costs"],
                "values": {"cash": 3000},
                "missing": [],
                "file": "goals/goals.yaml",
                "line": 5,
            }
        ],
    }


def test_plain(ledger: Path) -> None:
    lines = risks_plain(risks(ledger, dt.date(2026, 3, 1)), Display())
    assert lines[0] == "Risks (1)"
    assert lines[1].split()[:4] == ["TRIGGERED", "Cash", "is", "low"]
    assert "  when cash < 5000" in lines
    assert "  values: cash = $3,000" in lines
    assert "  - cut costs" in lines


def test_not_triggered_before_the_value(ledger: Path) -> None:
    view = risks(ledger, dt.date(2026, 3, 1), as_of="2026-02-01")
    data = risks_json(view, Display())
    assert (data["risks"][0]["triggered"], data["risks"][0]["missing"]) == (
        False,
        ["no value for cash"],
    )
    assert not any("TRIGGERED" in line for line in risks_plain(view, Display()))


def test_rich(ledger: Path) -> None:
    from rich.console import Console

    console = Console(width=120, record=True, color_system=None)
    console.print(risks_rich(risks(ledger, dt.date(2026, 3, 1)), Display(color=True)))
    text = console.export_text()
    assert "Cash is low" in text and "cut costs" in text
