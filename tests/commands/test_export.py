"""commands/export.py: observations, or every target's status, as rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.export import OBSERVATION_COLUMNS, STATUS_COLUMNS, export
from smartgoals.errors import InvalidInputError
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
  mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
goals:
  - id: revenue
    title: Grow revenue
    area: Sales
    owner: Ada
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
"""
JOURNAL = """\
date,metric,value,note
2026-02-28,mrr,300,first deal
2026-01-31,mrr,100,
2026-01-31,users,10,
2026-02-01,mvp,doing,
2026-03-05,mrr,400,
"""


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, JOURNAL)


def test_observations_by_date_then_metric_order_derived_marked(ledger: Path) -> None:
    view = export(ledger, dt.date(2026, 3, 1))
    assert view.columns == OBSERVATION_COLUMNS
    assert view.rows == (
        ("2026-01-31", "mrr", 100.0, "USD", False, ""),
        ("2026-01-31", "users", 10.0, "count", False, ""),
        ("2026-01-31", "arpu", 10.0, "USD", True, ""),
        ("2026-02-01", "mvp", "doing", "stage", False, ""),
        ("2026-02-28", "mrr", 300.0, "USD", False, "first deal"),
        ("2026-02-28", "arpu", 30.0, "USD", True, ""),
    )  # 2026-03-05 is after today


def test_status_one_row_per_target(ledger: Path) -> None:
    view = export(ledger, dt.date(2026, 3, 1), what="status")
    assert view.columns == STATUS_COLUMNS
    (row,) = view.rows
    fields = dict(zip(STATUS_COLUMNS, row, strict=True))
    assert fields["goal"] == "revenue"
    assert (fields["area"], fields["owner"]) == ("Sales", "Ada")
    assert (fields["metric"], fields["current"], fields["current_date"]) == (
        "mrr",
        300,
        "2026-02-28",
    )
    assert (fields["target"], fields["op"], fields["due"]) == (1000, ">=", "2026-12-31")
    assert (fields["progress"], fields["left"]) == (0.3, 700)
    assert fields["status"] == "on_track"


def test_as_of_takes_later_rows_in(ledger: Path) -> None:
    view = export(ledger, dt.date(2026, 3, 1), as_of="2026-03-31")
    assert view.as_of == dt.date(2026, 3, 31)
    assert ("2026-03-05", "mrr", 400.0, "USD", False, "") in view.rows


def test_an_unknown_what_is_refused(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match="--what: 'goals'"):
        export(ledger, dt.date(2026, 3, 1), what="goals")


def test_status_rows_carry_the_goals_declared_state(tmp_path: Path) -> None:
    from tests.views.reportledger import ALIGNED, ALIGNED_JOURNAL

    write_ledger(tmp_path, ALIGNED, ALIGNED_JOURNAL)
    view = export(tmp_path, dt.date(2026, 3, 1), what="status", as_of="2026-02-28")
    rows = [dict(zip(STATUS_COLUMNS, row, strict=True)) for row in view.rows]
    revenue = next(row for row in rows if row["goal"] == "revenue")
    assert (revenue["goal_declared"], revenue["goal_disagreement"]) == (
        "not_started",
        "declared not_started, computed on_track",
    )
    assert next(row for row in rows if row["goal"] == "lonely")["goal_declared"] is None
