"""commands/init.py: a new ledger whose starter goals begin in today's quarter, committed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.init import init
from tests.conftest import IDENTITY, git


@pytest.fixture
def identity(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def test_init_creates_the_files_and_the_first_commit(tmp_path: Path, identity: None) -> None:
    root = tmp_path / "new"
    view = init(root, dt.date(2026, 5, 3))
    assert view.directory == root
    created = {p.relative_to(root).as_posix() for p in view.done.created}
    assert {"goals/goals.yaml", "goals/log.csv", "smartgoals.yaml"} <= created
    assert view.done.git_initialized
    assert view.done.commit is not None
    assert git(root, "rev-parse", "HEAD").strip() == view.done.commit
    assert git(root, "status", "--porcelain") == ""  # every file is in the commit
    assert view.exit_code == 0


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (dt.date(2026, 1, 1), "2026-Q1"),
        (dt.date(2026, 5, 3), "2026-Q2"),
        (dt.date(2026, 12, 31), "2026-Q4"),
    ],
)
def test_the_starter_goals_start_in_todays_quarter(
    tmp_path: Path, identity: None, today: dt.date, start: str
) -> None:
    init(tmp_path, today)
    text = (tmp_path / "goals" / "goals.yaml").read_text(encoding="utf-8")
    assert f"start: {start}" in text
