"""vcs.commit against real git repositories: the checks before a commit, and commits of exactly the
files meant."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.vcs import commit as vcs_commit
from smartgoals.vcs.commit import check_ready, commit_file
from tests.conftest import git
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]


# --- check_ready -------------------------------------------------------------------------------


def test_check_ready_in_a_clean_repository(repo: Path) -> None:
    found = check_ready(repo)
    assert Path(found.working_tree_dir) == repo.resolve()


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("rebase-merge", "a rebase"),
    ],
)
def test_check_ready_refuses_an_operation_in_progress(repo: Path, name: str, what: str) -> None:
    write(repo, "f", "x\n")
    commit_all(repo, "start")
    marker = repo / ".git" / name
    if name == "rebase-merge":
        marker.mkdir()
    else:
        marker.write_text(git(repo, "rev-parse", "HEAD"))
    with pytest.raises(GitError, match=f"{what} is in progress in "):
        check_ready(repo)


def test_check_ready_refuses_without_an_identity(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")  # conftest's git() sets an identity for itself only
    with pytest.raises(GitError, match="git does not know who you are"):
        check_ready(tmp_path)


def test_check_ready_waits_for_an_index_lock_that_is_released(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    waits = []

    def sleep(_seconds: float) -> None:  # another git process finishes while we wait
        waits.append(_seconds)
        if len(waits) == 3:
            lock.unlink()

    clock = types.SimpleNamespace(monotonic=lambda: 0.0, sleep=sleep)
    monkeypatch.setattr(vcs_commit, "time", clock)
    check_ready(repo)
    assert len(waits) == 3


def test_check_ready_gives_up_on_an_index_lock_that_stays_and_leaves_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(
        vcs_commit, "time", types.SimpleNamespace(monotonic=lambda: now[0], sleep=sleep)
    )
    with pytest.raises(GitError, match=r"index\.lock exists: another git process is running"):
        check_ready(repo)
    assert lock.exists()  # never deleted: it may be another process's
    assert now[0] > vcs_commit.INDEX_LOCK_WAIT_SECONDS


# --- commit_file -------------------------------------------------------------------------------


def test_commit_file_commits_exactly_that_path_and_leaves_staged_changes_staged(
    repo: Path,
) -> None:
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    write(repo, "other.txt", "one\n")
    commit_all(repo, "start")
    write(repo, "other.txt", "two\n")
    write(repo, "staged-new.txt", "new\n")
    git(repo, "add", "other.txt", "staged-new.txt")
    write(repo, "unstaged.txt", "loose\n")
    journal.write_text("date,metric,value,note\n2026-01-01,mrr,5,\n")

    sha, warning = commit_file(check_ready(repo), journal, "log: mrr 5", journal.read_bytes())
    assert warning is None

    assert sha == git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").split() == [
        "log:",
        "mrr",
        "5",
        "goals/log.csv",
    ]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["other.txt", "staged-new.txt"]
    assert git(repo, "show", "HEAD:other.txt") == "one\n"
    assert "?? unstaged.txt" in git(repo, "status", "--porcelain")


def test_commit_file_adds_an_untracked_file(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    commit_file(check_ready(repo), journal, "first journal", journal.read_bytes())
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_failed_commit_unstages_the_file_it_added(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    hook = write(repo, ".git/hooks/pre-commit", "#!/bin/sh\necho refused by hook >&2\nexit 1\n")
    hook.chmod(0o755)
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    with pytest.raises(GitError, match="git commit failed: refused by hook"):
        commit_file(check_ready(repo), journal, "first journal", journal.read_bytes())
    assert git(repo, "status", "--porcelain").split() == ["??", "goals/"]
