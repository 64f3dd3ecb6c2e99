"""commands/show.py: one goal judged at a date, with the history of its targets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.show import show
from smartgoals.errors import InvalidInputError
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: revenue
    title: Grow revenue
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
"""


def test_the_goal_and_its_target_history(repo: Path) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    write_ledger(repo, GOALS.replace('">= 1000"', '">= 800"'))
    git(repo, "commit", "-q", "-a", "-m", "ease mrr")
    view = show(repo, dt.date(2026, 3, 1), "revenue", recent=3)
    assert (view.goal.goal.id, view.goal.status, view.as_of) == (
        "revenue",
        "on_track",
        dt.date(2026, 3, 1),
    )
    assert view.recent == 3
    assert [(c.commit.message, c.change.change, c.change.eased) for c in view.history] == [
        ("start", "added", None),
        ("ease mrr", "changed", True),
    ]
    assert view.history_missing is None


def test_outside_git_the_history_is_missing_and_said_why(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    view = show(tmp_path, dt.date(2026, 3, 1), "revenue", as_of="2026-02-01")
    assert view.as_of == dt.date(2026, 2, 1)
    assert view.goal.targets[0].current == 100.0
    assert view.history == ()
    assert view.history_missing  # the reason, shown instead of the history


def test_an_unknown_goal_is_refused(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    with pytest.raises(InvalidInputError, match="revenu"):
        show(tmp_path, dt.date(2026, 3, 1), "revenu")
