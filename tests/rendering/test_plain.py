"""rendering/plain.py: aligned columns, and the risks as plain lines."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.evaluation import evaluate
from smartgoals.rendering.plain import align, risks_lines
from tests.conftest import ledger_from_strings


def test_align_pads_to_the_widest_cell_without_trailing_spaces() -> None:
    rows = [("id", "value"), ("revenue", "1"), ("x", "100")]
    assert align(rows, right={1}) == ["id       value", "revenue      1", "x          100"]
    assert align(rows) == ["id       value", "revenue  1", "x        100"]


def test_align_a_one_cell_row_is_a_heading() -> None:
    rows = [("Sales",), ("revenue", "1"), ("cac", "20")]
    assert align(rows) == ["Sales", "revenue  1", "cac      20"]
    assert align([]) == []


def test_risks_lines_only_triggered() -> None:
    ledger = ledger_from_strings(
        """\
        metrics:
          cash: {name: Cash, unit: USD}
        goals: []
        risks:
          - {id: low, title: Cash is low, when: "cash < 5000", actions: [cut costs]}
          - {id: high, title: Cash is high, when: "cash > 1000000"}
        """,
        "2026-02-15,cash,3000,\n",
    )
    risks = evaluate(ledger, dt.date(2026, 3, 1)).risks
    only = risks_lines(risks, True, ledger.metrics)
    assert any("Cash is low" in line for line in only)
    assert not any("Cash is high" in line for line in only)
    assert "  values: cash = $3,000" in only
    every = risks_lines(risks, False, ledger.metrics)
    assert any("Cash is high" in line for line in every)
    assert every[-1] == ""  # a blank line after each risk
