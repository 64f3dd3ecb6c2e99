"""commands/status.py: the ledger judged at a date, filtered and sorted, or as committed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.status import status, trends
from smartgoals.engine.evaluation import evaluate
from tests.commands.ledgers import STATUS_GOALS, STATUS_JOURNAL, STATUS_TODAY
from tests.conftest import git, ledger_from_strings, write_ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, STATUS_GOALS, STATUS_JOURNAL)


def judged(view) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(g.goal.id, g.status) for g in view.evaluation.goals]


def test_every_goal_judged_at_today(ledger: Path) -> None:
    view = status(ledger, STATUS_TODAY)
    assert view.evaluation.as_of == STATUS_TODAY
    # mrr: progress 300/1000 = 0.3, ahead of the share of the year gone; tickets: 2 of 40 fewer
    # with two thirds of the quarter gone
    assert sorted(judged(view)) == [("revenue", "on_track"), ("support", "off_track")]
    assert view.trends == {"mrr": (100.0, 300.0), "tickets": (48.0,)}  # 2026-03-31 is later
    assert view.problems == ()
    assert view.exit_code == 0


def test_filters_by_area_owner_and_status(ledger: Path) -> None:
    assert judged(status(ledger, STATUS_TODAY, area="Sales")) == [("revenue", "on_track")]
    assert judged(status(ledger, STATUS_TODAY, owner="Bob")) == [("support", "off_track")]
    assert judged(status(ledger, STATUS_TODAY, statuses=["off_track"])) == [
        ("support", "off_track")
    ]
    assert judged(status(ledger, STATUS_TODAY, goals=["revenue"])) == [("revenue", "on_track")]


def test_fail_on_makes_the_gate_fail(ledger: Path) -> None:
    assert status(ledger, STATUS_TODAY, fail_on=["off_track"]).exit_code == 4
    assert status(ledger, STATUS_TODAY, fail_on=["off_track"], area="Sales").exit_code == 0


def test_as_of_takes_later_values(ledger: Path) -> None:
    view = status(ledger, STATUS_TODAY, as_of="2026-04-01")
    assert view.trends["mrr"] == (100.0, 300.0, 900.0)


def test_forecasts_only_when_asked(ledger: Path) -> None:
    assert status(ledger, STATUS_TODAY).forecasts == {}
    assert set(status(ledger, STATUS_TODAY, forecast=True).forecasts) == {
        ("revenue", 0),
        ("support", 0),
    }


def test_a_revision_is_judged_at_its_commit_date(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ledger(repo, STATUS_GOALS, STATUS_JOURNAL)
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-02-15T12:00:00+00:00")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    write_ledger(repo, STATUS_GOALS.replace('">= 1000"', '">= 2000"'))
    view = status(repo, STATUS_TODAY, rev="HEAD")
    assert view.commit is not None and view.commit.message == "start"
    assert view.evaluation.as_of == dt.date(2026, 2, 15)
    revenue = next(g for g in view.evaluation.goals if g.goal.id == "revenue")
    assert revenue.targets[0].rung.value == 1000  # as committed, not the working tree
    assert view.trends["mrr"] == (100.0,)


def test_trends_keep_the_last_points() -> None:
    ledger = ledger_from_strings(
        STATUS_GOALS,
        """\
        2026-01-01,mrr,1,
        2026-01-02,mrr,2,
        2026-01-03,mrr,3,
        2026-01-04,mrr,4,
        """,
    )
    evaluation = evaluate(ledger, dt.date(2026, 1, 3))
    assert trends(ledger, evaluation, points=2) == {"mrr": (2.0, 3.0)}
