"""`status --goals`: one row per goal, its worst target and why, as data and as lines."""

from __future__ import annotations

from smartgoals.rendering import Display
from smartgoals.views.status_goals import goals_data, goals_lines, worst_target
from tests.conftest import evaluate_strings

GOALS = """
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  tickets: {name: Tickets, unit: count, cadence: monthly, direction: down}
goals:
  - id: revenue
    title: Grow revenue
    area: Sales
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
  - id: support
    title: Fewer tickets
    area: Product
    start: 2026-01-01
    due: 2026-03-31
    targets:
      - {metric: tickets, target: "<= 10", baseline: 50}
"""
JOURNAL = "2026-02-28,mrr,300,\n2026-02-28,tickets,48,\n"


def test_one_row_per_goal_with_its_worst_target() -> None:
    evaluation = evaluate_strings({"goals/g.yaml": GOALS}, JOURNAL, "2026-03-01")
    data = goals_data(evaluation)
    assert data["as_of"] == "2026-03-01"
    rows = {row["id"]: row for row in data["goals"]}
    assert set(rows) == {"revenue", "support"}
    assert rows["support"]["status"] == "off_track"
    assert (
        rows["support"]["worst"]["metric"] == "tickets"
        if isinstance(rows["support"]["worst"], dict)
        else "Tickets" in str(rows["support"]["worst"])
    )
    support = next(g for g in evaluation.goals if g.goal.id == "support")
    assert worst_target(support) is support.targets[0]


def test_lines_fit_the_width_one_per_goal() -> None:
    evaluation = evaluate_strings({"goals/g.yaml": GOALS}, JOURNAL, "2026-03-01")
    lines = goals_lines(evaluation, Display(width=80))
    assert all(len(line) <= 80 for line in lines)
    assert sum("Grow revenue" in line for line in lines) == 1
    assert sum("Fewer tickets" in line for line in lines) == 1
    assert any("off track" in line for line in lines)


DECLARED = GOALS.replace(
    "metrics:\n",
    "metrics:\n  state: {name: State, type: stage, stages: [not_started, in_progress, done]}\n",
).replace("    title: Grow revenue\n", "    title: Grow revenue\n    state: state\n")


def test_a_row_says_the_declared_state_and_marks_a_disagreement() -> None:
    journal = JOURNAL + "2026-01-02,state,not_started,\n"
    evaluation = evaluate_strings({"goals/g.yaml": DECLARED}, journal, "2026-03-01")
    wide = goals_lines(evaluation, Display(width=None))
    row = next(line for line in wide if "Grow revenue" in line)
    assert row.endswith("; declared not started, computed on track")
    narrow = goals_lines(evaluation, Display(width=80, ascii=True))
    row = next(line for line in narrow if "Grow revenue" in line)
    assert "!= declared; 0 of 1 targets reached" in row


def test_data_has_the_declared_state_as_status_json() -> None:
    journal = JOURNAL + "2026-01-02,state,not_started,\n"
    evaluation = evaluate_strings({"goals/g.yaml": DECLARED}, journal, "2026-03-01")
    rows = {row["id"]: row for row in goals_data(evaluation)["goals"]}
    assert rows["revenue"]["declared"] == {
        "state": "not_started",
        "date": "2026-01-02",
        "disagreement": "declared not_started, computed on_track",
    }
    assert rows["support"]["declared"] is None
