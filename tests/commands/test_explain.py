"""commands/explain.py: the steps behind a goal's status, or one target's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.explain import explain
from smartgoals.errors import InvalidInputError
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  churn: {name: Churn, unit: "%", direction: down}
goals:
  - id: revenue
    title: Grow revenue
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
      - {metric: churn, target: "<= 5"}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
2026-02-28,churn,4,
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, JOURNAL)


def test_one_target_explained_step_by_step(ledger: Path) -> None:
    view = explain(ledger, dt.date(2026, 3, 1), "revenue", "mrr")
    assert (view.goal, view.title, view.status, view.as_of) == (
        "revenue",
        "Grow revenue",
        "on_track",
        dt.date(2026, 3, 1),
    )
    assert view.steps == ()  # the goal's own steps only without a metric
    (target,) = view.targets
    assert (target.position, target.metric, target.status) == (0, "mrr", "on_track")
    steps = {step.name: step.data for step in target.steps}
    assert steps["progress"]["progress"] == 0.3  # (300 - 0) / (1000 - 0)
    assert steps["observations"]["counted"] == 2


def test_the_goal_explains_every_target(ledger: Path) -> None:
    view = explain(ledger, dt.date(2026, 3, 1), "revenue")
    assert [(t.position, t.metric, t.status) for t in view.targets] == [
        (0, "mrr", "on_track"),
        (1, "churn", "achieved"),  # 4 <= 5
    ]
    assert view.steps != ()


def test_as_of_moves_the_observations_counted(ledger: Path) -> None:
    view = explain(ledger, dt.date(2026, 3, 1), "revenue", "mrr", as_of="2026-02-01")
    steps = {step.name: step.data for step in view.targets[0].steps}
    assert steps["observations"]["counted"] == 1
    assert steps["observations"]["later"] == 1


def test_a_metric_the_goal_does_not_target_is_refused_with_a_suggestion(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"no target of metric 'mr'.*mrr"):
        explain(ledger, dt.date(2026, 3, 1), "revenue", "mr")
