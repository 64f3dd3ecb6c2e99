"""views/log.py: one value recorded, several, or nothing because of problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.log import log
from smartgoals.errors import Problem
from smartgoals.rendering import Display
from smartgoals.views.log import (
    BatchView,
    RecordedView,
    RefusedView,
    batch_lines,
    recorded_lines,
    refused_lines,
)
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
goals: []
"""
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, "date,metric,value,note\n2026-02-27,mrr,300,\n2026-02-27,mvp,todo,\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def head(root: Path) -> str:
    return git(root, "rev-parse", "--short=10", "HEAD").strip()


def test_one_value(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr", "1.2k"])
    assert isinstance(view, RecordedView)
    assert recorded_lines(view, Display()) == [
        f"mrr = $1,200 on 2026-03-01: committed {head(ledger)}"
    ]


def test_not_committed_says_why(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr", "310"], commit=False)
    assert isinstance(view, RecordedView)
    (line,) = recorded_lines(view, Display())
    assert line.startswith("mrr = $310 on 2026-03-01: not committed (")


def test_several_values_and_a_correction(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr=320", "mvp=doing"], date="2026-02-27", correct=True)
    assert isinstance(view, BatchView)
    assert batch_lines(view, Display()) == [
        "mrr = $320 on 2026-02-27  (correction: $300 -> $320)",
        "mvp = doing on 2026-02-27  (correction: todo -> doing)",
        f"2 values: committed {head(ledger)}",
    ]


def test_refused() -> None:
    one = RefusedView((Problem("goals/log.csv", 2, 0, "bad"),))
    assert refused_lines(one, Display()) == ["nothing was recorded: 1 problem"]
    two = RefusedView(one.problems * 2)
    assert refused_lines(two, Display()) == ["nothing was recorded: 2 problems"]
    assert one.exit_code == 1


def test_a_batch_without_correction_shows_no_note(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr=320", "mvp=done"], note="weekly")
    assert isinstance(view, BatchView)
    assert batch_lines(view, Display())[:2] == [
        "mrr = $320 on 2026-03-01",
        "mvp = done on 2026-03-01",
    ]
