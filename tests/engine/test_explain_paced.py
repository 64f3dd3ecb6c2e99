"""engine/explain_paced.py: a paced target's steps restate the judgement (its basis date, plan,
expected progress); a rate with `pace: none` not met quotes the rule for rates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from smartgoals.engine.evaluation import TargetStatus, evaluate
from smartgoals.engine.explanation import RULES, explain_target
from smartgoals.ledger.loader import load_ledger
from tests.conftest import write_ledger

GOALS = """
    metrics:
      mrr: {name: MRR, unit: USD, cadence: monthly}
      conversion: {name: Conversion, unit: percent}
    goals:
      - id: grow
        title: Grow
        start: 2026-01-01
        due: 2026-12-31
        targets:
          - {metric: mrr, target: 4000, pace: compound}
          - {metric: conversion, target: ">= 5%", pace: none}
    """
JOURNAL = """\
    date,metric,value,note
    2026-01-01,mrr,1000,
    2026-03-31,mrr,1500,
    2026-01-01,conversion,3,
    2026-04-01,conversion,4,
    """


def _steps(tmp_path: Path, index: int) -> tuple[TargetStatus, dict[str, Any]]:
    ledger = load_ledger(write_ledger(tmp_path, GOALS, JOURNAL))
    day = dt.date(2026, 4, 20)
    goal = evaluate(ledger, day).goals[0]
    explained = explain_target(ledger, goal, index, day)
    return explained.judgement, {s.name: s.data for s in explained.steps}


def test_the_window_and_plan_are_the_record_s_at_its_basis_date(tmp_path: Path) -> None:
    record, steps = _steps(tmp_path, 0)
    assert record.basis_date == dt.date(2026, 3, 31)
    assert steps["window"]["basis_date"] == "2026-03-31"  # the latest row, not the as-of date
    assert steps["window"]["elapsed"] == 89
    assert record.plan is not None and record.expected is not None
    assert steps["expected"]["plan"] == round(record.plan, 6)
    assert steps["expected"]["pace"] == "compound"
    assert steps["rule"]["expected"] == round(record.expected, 6)


def test_a_rate_not_met_quotes_the_rule_for_rates(tmp_path: Path) -> None:
    record, steps = _steps(tmp_path, 1)
    assert (record.status, record.progress) == ("in_progress", None)
    assert steps["rule"]["rule"] == RULES["no_pace"]
