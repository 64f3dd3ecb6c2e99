"""commands/risks.py: each risk's trigger evaluated at a date, with the values that decided it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.risks import risks
from tests.conftest import write_ledger

GOALS = """\
metrics:
  cash: {name: Cash, unit: USD}
  burn: {name: Burn, unit: USD}
  runway: {name: Runway, unit: months, formula: "cash / burn"}
goals: []
risks:
  - id: cash-low
    title: Cash is low
    when: "cash < 5000"
    actions: [cut costs]
  - id: short-runway
    title: Runway is short
    when: "runway < 6"
"""
JOURNAL = """\
date,metric,value,note
2026-02-01,cash,10000,
2026-02-01,burn,1000,
2026-02-15,cash,3000,
"""


def test_risks_at_a_date_with_their_deciding_values(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    view = risks(tmp_path, dt.date(2026, 3, 1))
    assert view.as_of == dt.date(2026, 3, 1)
    assert [(r.risk.id, r.triggered, r.values) for r in view.risks] == [
        ("cash-low", True, {"cash": 3000.0}),
        ("short-runway", True, {"runway": 3.0}),  # a derived metric: 3000 / 1000
    ]
    assert view.risks[0].risk.actions == ("cut costs",)
    assert view.problems == ()


def test_as_of_before_the_drop_triggers_nothing(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    view = risks(tmp_path, dt.date(2026, 3, 1), as_of="2026-02-10")
    assert view.as_of == dt.date(2026, 2, 10)
    assert [(r.risk.id, r.triggered, r.values) for r in view.risks] == [
        ("cash-low", False, {"cash": 10000.0}),
        ("short-runway", False, {"runway": 10.0}),
    ]
