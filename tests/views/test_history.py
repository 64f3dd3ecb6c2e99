"""views/history.py: `history` as JSON and as plain rows and target history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.history import history
from smartgoals.rendering import Display
from smartgoals.views.history import history_json, history_plain
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


@pytest.fixture
def ledger(repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-02-01T09:00:00+00:00")
    write_ledger(repo, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-03-01T09:00:00+00:00")
    write_ledger(repo, GOALS.replace('">= 1000"', '">= 800"'))
    with (repo / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-28,mrr,300,deal\n")
    git(repo, "commit", "-q", "-a", "-m", "ease mrr")
    return repo


def test_json(ledger: Path) -> None:
    data = history_json(history(ledger, "mrr"), Display())
    assert (data["metric"], data["name"], data["unit"], data["derived"], data["git"]) == (
        "mrr",
        "MRR",
        "USD",
        False,
        True,
    )
    first, second = data["observations"]
    assert {k: first[k] for k in ("date", "value", "change", "note", "line", "author")} == {
        "date": "2026-01-31",
        "value": 100,
        "change": None,
        "note": None,
        "line": 2,
        "author": "Ada Founder",
    }
    assert (second["value"], second["change"], second["note"]) == (300, 200, "deal")
    assert second["recorded_at"] == "2026-03-01T09:00:00+00:00"
    assert second["commit"] == git(ledger, "rev-parse", "HEAD").strip()
    assert [(t["message"], t["change"], t["eased"]) for t in data["targets"]] == [
        ("start", "added", None),
        ("ease mrr", "changed", True),
    ]
    assert data["targets"][1]["new"][0]["text"] == ">= $800 by 2026-12-31"


def test_plain(ledger: Path) -> None:
    head = git(ledger, "rev-parse", "--short=10", "HEAD").strip()
    start = git(ledger, "rev-parse", "--short=10", "HEAD~1").strip()
    lines = history_plain(history(ledger, "mrr"), Display())
    assert lines[0] == "MRR [mrr, USD]"
    assert lines[2].split() == [
        "2026-01-31",
        "$100",
        "Ada",
        "Founder",
        start,
        "2026-02-01",
        "none",
    ]  # signed: none
    assert lines[3].split() == [
        "2026-02-28",
        "$300",
        "+$200",
        "Ada",
        "Founder",
        head,
        "2026-03-01",
        "none",
        "deal",
    ]
    assert "Target history" in lines
    assert lines[-1].strip() == (
        "revenue: >= $1,000 by 2026-12-31 -> >= $800 by 2026-12-31  (eased)"
    )


def test_outside_git_json_says_so(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n")
    data = history_json(history(tmp_path, "mrr", today=dt.date(2026, 3, 1)), Display())
    assert data["git"] is False
    assert data["reason"]
    assert [o["value"] for o in data["observations"]] == [100]
