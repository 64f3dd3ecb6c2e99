"""vcs.objects against real git repositories: revisions resolved and a ledger's files read at a
commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.errors import GitError, InvalidInputError
from smartgoals.vcs.objects import file_around, file_at, resolve, snapshot
from smartgoals.vcs.repo import open_history
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]


# --- history: open_history, resolve, snapshot --------------------------------------------------

LEDGER = {
    "smartgoals.yaml": "at_risk_band: 0.2\n",
    "goals/a.yaml": "goals: []\n",
    "goals/b.yml": "metrics: {}\n",
    "goals/log.csv": "date,metric,value,note\n",
    "goals/notes.txt": "not a goal file\n",
    "goals/sub/deep.yaml": "goals: []\n",
}
READ = {"smartgoals.yaml", "goals/a.yaml", "goals/b.yml", "goals/log.csv"}


@pytest.mark.parametrize("prefix", ["", "company/ledger/"])
def test_snapshot_reads_the_ledgers_files_at_a_commit(repo: Path, prefix: str) -> None:
    for rel, text in LEDGER.items():
        write(repo, prefix + rel, text)
    write(repo, "goals.yaml", "outside the ledger\n")
    first = commit_all(repo, "ledger")
    write(repo, prefix + "goals/log.csv", "date,metric,value,note\n2026-01-01,m,1,\n")
    write(repo, prefix + "goals/a.yaml", "goals: [changed]\n")
    commit_all(repo, "later")
    write(repo, prefix + "goals/a.yaml", "uncommitted\n")

    handle, found_prefix = open_history(repo / prefix)
    assert found_prefix == prefix
    shot = snapshot(handle, resolve(handle, "HEAD~1"), found_prefix)
    assert shot.commit.sha == first
    assert shot.commit.message == "ledger"
    assert (shot.commit.author, shot.commit.email) == ("Ada Founder", "ada@example.com")
    assert shot.files == {rel: LEDGER[rel].encode() for rel in READ}
    head = snapshot(handle, resolve(handle, "HEAD"), found_prefix).files
    assert head["goals/a.yaml"] == b"goals: [changed]\n"  # committed bytes, not the working tree


def test_snapshot_of_a_commit_without_a_ledger_is_empty(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    handle, prefix = open_history(repo)
    assert snapshot(handle, resolve(handle, "HEAD"), prefix).files == {}


def test_resolve_an_unknown_revision(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    handle, _ = open_history(repo)
    # a bad revision given on the command line is invalid input (exit 1), not the environment
    for rev in ("nope", "HEAD~5", "deadbeef" * 5, "0000000", "0" * 40):
        with pytest.raises(InvalidInputError, match=r"^unknown revision '"):
            resolve(handle, rev)


def test_resolve_in_an_empty_repository(repo: Path) -> None:
    handle, _ = open_history(repo)
    with pytest.raises(GitError, match="the repository has no commits yet"):
        resolve(handle, "HEAD")


def test_file_at_and_file_around_a_commit(repo: Path) -> None:
    write(repo, "goals/checkins.csv", "one\n")
    first = commit_all(repo, "start")
    write(repo, "goals/checkins.csv", "one\ntwo\n")
    second = commit_all(repo, "check-in")
    handle, _ = open_history(repo)
    assert file_at(handle, first, "goals/checkins.csv") == b"one\n"
    assert file_at(handle, first, "goals/none.csv") == b""
    assert file_around(handle, second, "goals/checkins.csv") == (b"one\n", b"one\ntwo\n")
    assert file_around(handle, first, "goals/checkins.csv") == (b"", b"one\n")
    with pytest.raises(InvalidInputError):
        file_at(handle, "nope", "goals/checkins.csv")
