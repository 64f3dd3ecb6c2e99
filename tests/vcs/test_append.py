"""vcs/append.py: the state an append builds on, and a commit of HEAD's copy plus exactly the
appended bytes, in real repositories."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.vcs.append import append_base, commit_append
from smartgoals.vcs.repo import open_repository
from tests.conftest import git
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]

HEADER = "date,metric,value,note\n"
ROW = b"2026-03-01,mrr,130,\n"


def append(path: Path, data: bytes) -> None:
    with path.open("ab") as handle:
        handle.write(data)


def test_append_base_of_a_committed_file(repo: Path) -> None:
    write(repo, "goals/log.csv", HEADER)
    head = commit_all(repo, "start")
    base = append_base(open_repository(repo), "goals/log.csv")
    blob = git(repo, "rev-parse", "HEAD:goals/log.csv").strip()
    assert base == (head, blob, len(HEADER), True, False, b"")


def test_append_base_of_an_unborn_branch_and_an_unknown_file(repo: Path) -> None:
    base = append_base(open_repository(repo), "goals/log.csv")
    assert base == (None, None, 0, False, False, b"")


def test_append_base_sees_conversions_and_refuses_filters(repo: Path) -> None:
    write(repo, ".gitattributes", "goals/log.csv ident\n")
    commit_all(repo, "attrs")
    assert append_base(open_repository(repo), "goals/log.csv").converts is True
    write(repo, ".gitattributes", "goals/log.csv filter=lfs\n")
    with pytest.raises(GitError, match="under the git filter 'lfs'"):
        append_base(open_repository(repo), "goals/log.csv")


def test_commit_append_commits_only_the_journal(repo: Path) -> None:
    journal = write(repo, "goals/log.csv", HEADER)
    write(repo, "notes.txt", "a\n")
    commit_all(repo, "start")
    write(repo, "notes.txt", "changed, not committed\n")
    git(repo, "add", "notes.txt")  # staged: must stay out of the commit
    handle = open_repository(repo)
    base = append_base(handle, "goals/log.csv")
    append(journal, ROW)
    sha, warning = commit_append(handle, journal, "log: mrr", base, ROW)
    assert warning is None
    assert sha == git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "show", "HEAD:goals/log.csv") == HEADER + ROW.decode()
    assert git(repo, "diff", "--name-only", "HEAD~1", "HEAD") == "goals/log.csv\n"
    assert git(repo, "diff", "--cached", "--name-only") == "notes.txt\n"


def test_commit_append_of_a_new_file(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    journal = repo / "goals" / "log.csv"
    journal.parent.mkdir()
    handle = open_repository(repo)
    base = append_base(handle, "goals/log.csv")
    data = HEADER.encode() + ROW
    journal.write_bytes(data)
    commit_append(handle, journal, "log: first", base, data)
    assert git(repo, "show", "HEAD:goals/log.csv").encode() == data


def test_lines_not_committed_before_the_append_are_refused(repo: Path) -> None:
    journal = write(repo, "goals/log.csv", HEADER)
    head = commit_all(repo, "start")
    append(journal, b"2026-02-01,mrr,1,\n")  # by hand, not committed
    handle = open_repository(repo)
    base = append_base(handle, "goals/log.csv")
    append(journal, ROW)
    with pytest.raises(GitError, match="is not what HEAD holds plus the new row"):
        commit_append(handle, journal, "log: mrr", base, ROW)
    assert git(repo, "rev-parse", "HEAD").strip() == head


def test_crlf_bytes_are_checked_by_git(repo: Path) -> None:
    journal = repo / "goals" / "log.csv"
    journal.parent.mkdir()
    journal.write_bytes(b"date,metric,value,note\r\n")
    commit_all(repo, "start")
    handle = open_repository(repo)
    base = append_base(handle, "goals/log.csv")
    row = b"2026-03-01,mrr,130,\r\n"
    append(journal, row)
    commit_append(handle, journal, "log: mrr", base, row)
    stored = subprocess.run(
        ["git", "cat-file", "blob", "HEAD:goals/log.csv"], cwd=repo, capture_output=True
    ).stdout
    assert stored == b"date,metric,value,note\r\n" + row  # no autocrlf: stored as written
