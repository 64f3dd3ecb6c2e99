"""vcs.log against real git repositories: the commits that changed a file, by the day, and since
another commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.vcs.log import commit_on_or_before, commits_since, first_parent_commits
from smartgoals.vcs.repo import open_history
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]


def dated_commit(repo: Path, day: str, message: str) -> str:
    stamp = f"{day}T12:00:00+00:00"
    write(repo, "goals/log.csv", f"date,metric,value,note\n{day},mrr,1,\n")
    return commit_all(repo, message, "--date", stamp, "--no-verify")


def test_commit_on_or_before_takes_the_newest_by_the_committers_day(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shas = []
    for day in ("2026-01-05", "2026-01-10", "2026-01-20"):
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+00:00")
        shas.append(dated_commit(repo, day, f"log {day}"))
    handle, _ = open_history(repo)
    assert commit_on_or_before(handle, dt.date(2026, 1, 4)) is None
    assert commit_on_or_before(handle, dt.date(2026, 1, 10)) == shas[1]
    assert commit_on_or_before(handle, dt.date(2026, 1, 19)) == shas[1]
    assert commit_on_or_before(handle, dt.date(2026, 2, 1)) == shas[2]
    assert commits_since(handle, shas[0]) == {shas[1], shas[2]}
    assert commits_since(handle, shas[2]) == set()


def test_commit_on_or_before_in_an_empty_repository(repo: Path) -> None:
    handle, _ = open_history(repo)
    assert commit_on_or_before(handle, dt.date(2026, 1, 1)) is None


def test_first_parent_commits_oldest_first(repo: Path) -> None:
    first = dated_commit(repo, "2026-01-05", "log one")
    write(repo, "README", "x\n")
    commit_all(repo, "not the journal")
    second = dated_commit(repo, "2026-01-06", "log two")
    handle, _ = open_history(repo)
    found = first_parent_commits(handle, "goals/log.csv")
    assert found is not None
    assert [(c.sha, c.message) for c in found] == [(first, "log one"), (second, "log two")]
    assert first_parent_commits(handle, "goals/none.csv") == []
