"""views/status.py: `status` as JSON (a contract: asserted field by field), and the plain and
painted forms checked for what any layout keeps (the table itself is being reworked)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartgoals.commands.status import status
from smartgoals.rendering import Display
from smartgoals.views.status import StatusView, status_json, status_lines, status_painted
from tests.commands.ledgers import STATUS_GOALS, STATUS_JOURNAL, STATUS_TODAY
from tests.conftest import git, write_ledger

ESCAPE = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, STATUS_GOALS, STATUS_JOURNAL)


def test_json_goals_targets_and_no_forecast_unless_asked(ledger: Path) -> None:
    data = status_json(status(ledger, STATUS_TODAY), Display())
    assert data["as_of"] == "2026-03-01"
    assert [(g["id"], g["area"], g["status"]) for g in data["goals"]] == [
        ("revenue", "Sales", "on_track"),
        ("support", "Product", "off_track"),
    ]
    mrr = data["goals"][0]["targets"][0]
    assert (mrr["metric"], mrr["current"], mrr["target"], mrr["progress"], mrr["left"]) == (
        "mrr",
        300,
        1000,
        0.3,
        700,
    )
    tickets = data["goals"][1]["targets"][0]
    assert (tickets["progress"], tickets["left"]) == (0.05, 38)  # (50 - 48) / (50 - 10)
    assert mrr["forecast"] is None
    assert all(g["checkin"] is None for g in data["goals"])
    assert "rev" not in data
    assert {a["area"] for a in data["areas"]} == {"Sales", "Product"}


def test_json_with_a_forecast(ledger: Path) -> None:
    data = status_json(status(ledger, STATUS_TODAY, forecast=True), Display())
    forecast = data["goals"][0]["targets"][0]["forecast"]
    assert forecast is not None and forecast["verdict"] == "unknown"  # two points only


def test_json_with_a_revision(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(repo, STATUS_GOALS, STATUS_JOURNAL)
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-02-28T18:00:00+00:00")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    data = status_json(status(repo, STATUS_TODAY, rev="HEAD"), Display())
    assert data["as_of"] == "2026-02-28"
    assert data["rev"] == {
        "rev": "HEAD",
        "commit": git(repo, "rev-parse", "HEAD").strip(),
        "date": "2026-02-28T18:00:00+00:00",
        "author": "Ada Founder",
        "message": "start",
    }


def test_exit_codes(ledger: Path) -> None:
    assert status(ledger, STATUS_TODAY).exit_code == 0
    assert status(ledger, STATUS_TODAY, fail_on=["off_track"]).exit_code == 4
    view = status(ledger, STATUS_TODAY)
    broken = view._replace(problems=(object(),))
    assert isinstance(broken, StatusView) and broken.exit_code == 1


def test_plain_lines_name_every_goal_and_target_without_escape_codes(ledger: Path) -> None:
    for display in (Display(), Display(width=70), Display(width=140, wide=True)):
        lines = status_lines(status(ledger, STATUS_TODAY), display)
        text = "\n".join(lines)
        assert "\x1b" not in text
        for word in ("Grow revenue", "Fewer tickets", "MRR", "Tickets", "on track", "off track"):
            assert word in text
        assert lines[-1] == "2 goals as of 2026-03-01: 1 on track, 1 off track"
        if display.width:
            assert all(len(line) <= display.width for line in lines)


def test_painted_is_the_same_words_in_colour(ledger: Path) -> None:
    painted = status_painted(status(ledger, STATUS_TODAY), Display(width=100, color=True)).ansi()
    assert "\x1b[" in painted
    plain = ESCAPE.sub("", painted)
    for word in ("Grow revenue", "Fewer tickets", "MRR", "Tickets", "on track", "off track"):
        assert word in plain
    assert plain.splitlines()[-1] == "2 goals as of 2026-03-01: 1 on track, 1 off track"
