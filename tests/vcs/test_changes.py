"""A range's commits and their hunks against each parent, read from real git."""

from __future__ import annotations

from pathlib import Path

from smartgoals.vcs.changes import range_commits, range_hunks
from smartgoals.vcs.repo import open_repository
from tests.conftest import git


def commit(repo: Path, text: str, message: str) -> str:
    (repo / "log.csv").write_text(text)
    git(repo, "add", "log.csv")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def test_hunks_of_each_commit_against_each_parent(repo: Path) -> None:
    root = commit(repo, "h\n-- a\n", "root")
    git(repo, "switch", "-q", "-c", "side")
    side = commit(repo, "h\n-- a\nb\n", "side")
    git(repo, "switch", "-q", "main")
    main = commit(repo, "h\n-- b\n", "main")  # a line that looks like a diff header
    git(repo, "merge", "-q", "-s", "ours", "--no-edit", "side")
    merge = git(repo, "rev-parse", "HEAD").strip()
    handle = open_repository(repo)
    commits = range_commits(handle, "HEAD", ["log.csv"])
    assert commits[0].sha == root and commits[-1].parents == (main, side)
    found = [
        (h.commit.sha, h.parent, h.start, h.removed, h.added)
        for h in range_hunks(handle, commits, ["log.csv"])
    ]
    assert (root, "", 0, (), ("h", "-- a")) in found
    assert (main, root, 2, ("-- a",), ("-- b",)) in found
    assert (merge, side, 2, ("-- a", "b"), ("-- b",)) in found
    assert not [f for f in found if f[0] == merge and f[1] == main]  # no change against main
    assert len(found) == 4


def test_an_empty_range_has_no_hunks(repo: Path) -> None:
    commit(repo, "h\n", "root")
    handle = open_repository(repo)
    assert range_commits(handle, "HEAD..HEAD", ["log.csv"]) == []
    assert list(range_hunks(handle, [], ["log.csv"])) == []
