"""commands/history.py: a metric's observations with their commits, and its target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.history import history
from smartgoals.errors import InvalidInputError
from tests.conftest import committed_ledger, git

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000}
"""


@pytest.fixture
def ledger(repo: Path) -> Path:
    committed_ledger(
        repo, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n2026-01-31,users,4,\n"
    )
    with (repo / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-28,mrr,300,deal\n")
    git(repo, "commit", "-q", "-a", "-m", "log mrr")
    return repo


def test_each_row_with_its_change_and_commit(ledger: Path) -> None:
    found = history(ledger, "mrr").history
    assert found.metric.id == "mrr"
    assert [(r.date, r.value, r.change, r.note, r.line) for r in found.rows] == [
        (dt.date(2026, 1, 31), 100.0, None, "", 2),
        (dt.date(2026, 2, 28), 300.0, 200.0, "deal", 4),
    ]
    assert [r.commit.message for r in found.rows] == ["start", "log mrr"]
    assert [(t.commit.message, t.change.change) for t in found.targets] == [("start", "added")]


def test_since_drops_earlier_rows(ledger: Path) -> None:
    rows = history(ledger, "mrr", since="2026-02", today=dt.date(2026, 3, 1)).history.rows
    assert [r.date for r in rows] == [dt.date(2026, 2, 28)]


def test_a_derived_metric_reads_its_inputs(ledger: Path) -> None:
    rows = history(ledger, "arpu").history.rows
    assert [(r.date, r.value) for r in rows] == [
        (dt.date(2026, 1, 31), 25.0),  # 100 / 4
        (dt.date(2026, 2, 28), 75.0),  # 300 / 4
    ]


def test_an_unknown_metric_is_refused_with_a_suggestion(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"unknown metric 'mr'.*mrr"):
        history(ledger, "mr")
