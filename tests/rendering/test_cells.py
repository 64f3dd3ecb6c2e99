"""rendering/cells.py: the text of each cell, the same in Rich tables and plain output."""

from __future__ import annotations

import pytest

from smartgoals.rendering.cells import (
    NEUTRAL_SYMBOL,
    bar_parts,
    bar_text,
    current_parts,
    left_text,
    pace_text,
    reading_text,
    risk_lines,
    status_word,
    summary_line,
    target_cell,
    waiting_text,
)
from tests.conftest import evaluate_strings, ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  churn: {name: Churn, unit: percent, direction: down}
  mvp: {name: MVP, type: stage, stages: [todo, doing, review, done]}
  ltv_cac: {name: LTV/CAC, unit: ratio}
goals:
  - id: revenue
    title: Revenue
    start: 2026-01-01
    targets:
      - metric: mrr
        baseline: 0
        steps:
          - {value: 100, due: 2026-01-31}
          - {value: 1000, due: 2026-12-31}
  - id: product
    title: Product
    targets:
      - {metric: mvp, target: done, due: 2026-12-31}
  - id: later
    title: Later
    after: product
    targets:
      - {metric: churn, target: "<= 2", due: 2026-12-31}
  - id: next-year
    title: Next year
    start: 2027-Q1
    targets:
      - {metric: churn, target: "<= 1", due: 2027-12-31}
risks:
  - {id: churny, title: Churn is high, owner: Bob, when: "churn > 5", actions: [call them]}
"""
JOURNAL = """\
2026-01-31,mrr,150,
2026-01-05,mrr,90,
2026-01-31,mvp,doing,
2026-01-15,churn,7.26,
"""


@pytest.fixture(scope="module")
def evaluation():  # type: ignore[no-untyped-def]
    return evaluate_strings(GOALS, JOURNAL, "2026-04-01")


def goal(evaluation, goal_id: str):  # type: ignore[no-untyped-def]
    return next(g for g in evaluation.goals if g.goal.id == goal_id)


def test_status_word() -> None:
    assert status_word("on_track", True) == "on track"
    assert status_word("off_track", False) == "▼ off track"
    assert status_word("brand_new", False) == f"{NEUTRAL_SYMBOL} brand new"


@pytest.mark.parametrize(
    ("fraction", "plain", "parts"),
    [
        (None, True, ("", "", "-")),
        (0.3, True, ("###", ".......", "  30%")),
        (1.5, True, ("##########", "", " 150%")),  # the bar is full, the percent says more
        (-0.2, False, ("", "░" * 10, " -20%")),
        (0.04, False, ("", "░" * 10, "   4%")),
    ],
)
def test_bar_parts(fraction: float | None, plain: bool, parts: tuple[str, str, str]) -> None:
    assert bar_parts(fraction, plain) == parts
    assert bar_text(fraction, plain) == "".join(parts)


def test_reading_text() -> None:
    metrics = ledger_from_strings(GOALS).metrics
    assert reading_text(None, None) == "no value"
    assert reading_text(metrics["churn"], 7.26) == "7.3%"  # a percent: one decimal
    assert reading_text(metrics["ltv_cac"], 3.14159) == "3.14:1"
    assert reading_text(metrics["mvp"], 1.0) == "doing"
    assert reading_text(metrics["mrr"], 1200.0) == "$1,200"
    assert reading_text(None, "text") == "text"


def test_ladder_cells(evaluation) -> None:  # type: ignore[no-untyped-def]
    mrr = goal(evaluation, "revenue").targets[0]
    assert target_cell(mrr, True) == ">= $1,000 by 2026-12-31 (rung 2/2)"
    assert current_parts(mrr, True) == ("$150", " (2026-01-31)", " stale")
    assert current_parts(mrr, False)[2] == " ⚠ stale"
    assert left_text(mrr) == "$850"
    assert pace_text(mrr) == f"{mrr.expected * 100:.0f}%"


def test_stage_cells(evaluation) -> None:  # type: ignore[no-untyped-def]
    mvp = goal(evaluation, "product").targets[0]
    assert left_text(mvp) == "2 stages"  # doing -> review -> done
    assert current_parts(mvp, True)[0] == "doing"


def test_waiting_text(evaluation) -> None:  # type: ignore[no-untyped-def]
    assert waiting_text(goal(evaluation, "later")) == "waiting for product"
    assert waiting_text(goal(evaluation, "next-year")) == "starts 2027-Q1"
    assert waiting_text(goal(evaluation, "revenue")) == ""


def test_summary_line_counts_goals_and_risks(evaluation) -> None:  # type: ignore[no-untyped-def]
    line = summary_line(evaluation)
    assert line.startswith("4 goals as of 2026-04-01: ")
    assert "2 not started" in line
    assert line.endswith("; 1 risk triggered")


def test_risk_lines(evaluation) -> None:  # type: ignore[no-untyped-def]
    metrics = ledger_from_strings(GOALS).metrics
    (risk,) = evaluation.risks
    assert risk_lines(risk, True, metrics) == [
        ("head", "TRIGGERED  Churn is high  churny  (Bob)"),
        ("when", "  when churn > 5"),
        ("values", "  values: churn = 7.3%"),
        ("action", "  - call them"),
    ]
    assert risk_lines(risk, False)[0] == ("head", "▲ TRIGGERED  Churn is high  churny  (Bob)")
    assert risk_lines(risk, True)[2] == ("values", "  values: churn = 7.26")


def test_goal_note_names_the_declared_state_and_marks_a_disagreement() -> None:
    from smartgoals.rendering.cells import declared_text, goal_note

    goals = GOALS.replace(
        "metrics:\n",
        "metrics:\n  said: {name: Said, type: stage, stages: [not_started, in_progress, done]}\n",
    ).replace("    title: Later\n", "    title: Later\n    state: said\n")
    later = next(
        g
        for g in evaluate_strings(goals, JOURNAL + "2026-01-02,said,done,\n", "2026-02-01").goals
        if g.goal.id == "later"
    )
    assert declared_text(later) == "declared done, computed not started"
    assert goal_note(later) == (
        "waiting for product; declared done, computed not started",
        "declared done, computed not started",
        "≠ declared",
    )
    assert goal_note(later, ascii=True)[-1] == "!= declared"
