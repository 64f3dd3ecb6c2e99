"""commands/pull.py: declared sources read, new values appended in one commit; programs only
where allowed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.pull import declared_sources, pull
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_definitions_at
from smartgoals.views.exchange import PullView
from smartgoals.views.log import RefusedView
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  followers:
    name: Followers
    unit: count
    source: {json: profile.json, path: followers, date: day}
  signups:
    name: Signups
    unit: count
    source: {csv: signups.csv, date: day, value: count}
  echoed:
    name: Echoed
    unit: count
    source: {command: "echo 2026-01-05,3"}
  typed: {name: Typed, unit: count}
goals: []
"""
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    write_ledger(repo, GOALS, "date,metric,value,note\n")
    (repo / "profile.json").write_text('{"followers": 412, "day": "2026-02-01"}', "utf-8")
    (repo / "signups.csv").write_text("day,count\n2026-01-01,4\n2026-01-01,6\n2026-01-02,5\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> list[str]:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_declared_sources_are_the_mappings(ledger: Path) -> None:
    specs, problems = declared_sources(ledger, load_definitions_at(ledger).metrics)
    assert list(specs) == ["followers", "signups", "echoed"]
    assert [spec[0].adapter for spec in specs.values()] == ["json", "csv", "command"]
    assert specs["followers"][2] == "goals/goals.yaml"
    assert problems == []


def test_chosen_sources_pulled_once_last_value_per_day(ledger: Path) -> None:
    view = pull(ledger, TODAY, ["followers", "signups"])
    assert isinstance(view, PullView)
    assert view.metrics == ("followers", "signups")
    assert journal(ledger) == [
        "2026-01-01,signups,6,",  # the source's last value of the day
        "2026-01-02,signups,5,",
        "2026-02-01,followers,412,",
    ]
    assert git(ledger, "log", "-1", "--format=%s") == "pull: 3 values (signups, followers)\n"
    again = pull(ledger, TODAY, ["followers", "signups"])
    assert isinstance(again, PullView)
    assert (again.entries, again.same, again.written) == ((), 3, None)


def test_a_program_runs_only_when_allowed(ledger: Path) -> None:
    refused = pull(ledger, TODAY, ["echoed"], environ={})
    assert isinstance(refused, RefusedView)
    assert "runs a program" in refused.problems[0].message
    assert journal(ledger) == []
    view = pull(ledger, TODAY, ["echoed"], allow_commands=True, dry_run=True)
    assert isinstance(view, PullView)
    assert [(e.metric.id, e.day, e.value) for e in view.entries] == [
        ("echoed", dt.date(2026, 1, 5), 3.0)
    ]
    assert journal(ledger) == []  # a dry run


def test_a_value_in_the_future_refuses_everything(ledger: Path) -> None:
    view = pull(ledger, dt.date(2026, 1, 1), ["signups"])
    assert isinstance(view, RefusedView)
    assert [p.message for p in view.problems] == ["2026-01-02 is in the future"]
    assert journal(ledger) == []


@pytest.mark.parametrize(
    ("chosen", "message"),
    [(["nope"], "unknown metric 'nope'"), (["typed"], "typed declares no source")],
)
def test_refusals(ledger: Path, chosen: list[str], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        pull(ledger, TODAY, chosen)
