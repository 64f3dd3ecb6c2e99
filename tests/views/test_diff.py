"""views/diff.py: `diff` as JSON and plain sections."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.diff import diff
from smartgoals.rendering import Display
from smartgoals.views.diff import diff_json, diff_plain
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31}
"""
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    write_ledger(repo, GOALS.replace('">= 1000"', '">= 800"'))
    with (repo / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-28,mrr,300,deal\n")
    git(repo, "commit", "-q", "-a", "-m", "ease mrr")
    return repo


def test_json(ledger: Path) -> None:
    data = diff_json(diff(ledger, TODAY, "HEAD~1", "HEAD"), Display())
    start = git(ledger, "rev-parse", "HEAD~1").strip()
    assert data["a"] == {"rev": "HEAD~1", "commit": start, "label": f"HEAD~1 ({start[:10]})"}
    assert data["as_of"] == "2026-03-01"
    assert data["goals"] == {"added": [], "removed": [], "renamed": []}
    (target,) = data["targets"]
    assert (target["goal"], target["metric"], target["change"], target["eased"]) == (
        "revenue",
        "mrr",
        "changed",
        True,
    )
    assert [r["value"] for r in target["old"]] == [1000.0]
    assert [r["value"] for r in target["new"]] == [800.0]
    assert data["observations"] == [
        {
            "metric": "mrr",
            "added": [{"date": "2026-02-28", "value": 300, "note": "deal"}],
            "removed": [],
            "current": {"old": 100, "new": 300},
        }
    ]
    assert data["changed"] is True


def test_plain(ledger: Path) -> None:
    lines = diff_plain(diff(ledger, TODAY, "HEAD~1", "HEAD"), Display())
    start = git(ledger, "rev-parse", "--short=10", "HEAD~1").strip()
    head = git(ledger, "rev-parse", "--short=10", "HEAD").strip()
    assert lines[0] == (f"diff HEAD~1 ({start}) -> HEAD ({head}), both judged as of 2026-03-01")
    assert "Targets" in lines and "Observations" in lines
    assert any(
        line.split()
        == [
            "revenue",
            "mrr:",
            ">=",
            "$1,000",
            "by",
            "2026-12-31",
            "->",
            ">=",
            "$800",
            "by",
            "2026-12-31",
            "(eased)",
        ]
        for line in lines
    )
    assert lines[-1].split() == ["+", "2026-02-28", "$300", "deal"]


def test_no_change(ledger: Path) -> None:
    view = diff(ledger, TODAY)
    assert diff_json(view, Display())["changed"] is False
    assert diff_json(view, Display())["b"]["commit"] is None  # the working tree
