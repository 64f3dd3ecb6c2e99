"""commands/chart.py: a metric's observations in a window, and the target drawn with them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.chart import chart
from smartgoals.errors import InvalidInputError
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cash: {name: Cash, unit: USD}
goals:
  - id: first
    title: First
    targets:
      - {metric: cash, target: 10}
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000, due: 2026-12-31}
  - id: later
    title: Later
    targets:
      - {metric: mrr, target: 5000, due: 2027-12-31}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
2026-03-31,mrr,450,
2026-04-30,mrr,600,
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, JOURNAL)


def test_the_window_and_the_first_goal_with_a_target(ledger: Path) -> None:
    view = chart(ledger, dt.date(2026, 4, 1), "mrr", since="2026-02")
    assert view.dates == (dt.date(2026, 2, 28), dt.date(2026, 3, 31))  # until today
    assert view.values == (300.0, 450.0)
    assert (view.since, view.as_of) == (dt.date(2026, 2, 1), dt.date(2026, 4, 1))
    assert view.goal == "revenue"
    assert view.target is not None and view.target.rung.value == 1000


def test_a_chosen_goal(ledger: Path) -> None:
    view = chart(ledger, dt.date(2026, 5, 1), "mrr", goal="later")
    assert view.goal == "later"
    assert view.target is not None and view.target.rung.value == 5000
    assert len(view.values) == 4


def test_a_metric_without_observations_has_empty_series(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n")
    view = chart(tmp_path, dt.date(2026, 5, 1), "cash")
    assert (view.dates, view.values, view.goal) == ((), (), "first")


@pytest.mark.parametrize(
    ("metric", "goal", "message"),
    [
        ("mr", None, "unknown metric 'mr'"),
        ("mrr", "revenu", "unknown goal 'revenu'"),
        ("mrr", "first", "goal 'first' has no target on 'mrr'"),
    ],
)
def test_refusals(ledger: Path, metric: str, goal: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        chart(ledger, dt.date(2026, 5, 1), metric, goal=goal)
