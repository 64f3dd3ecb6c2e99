"""vcs/sync.py: fetch and integrate the upstream (fast-forward, rebase, merge), the journal
merged by union, conflicts aborted, and push."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.vcs.sync import integrate, push
from tests.conftest import IDENTITY, git
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]

HEADER = "date,metric,value,note\n"


def configure(clone: Path) -> None:
    git(clone, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(clone, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(clone, "config", "commit.gpgsign", "false")


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path, Path]:
    upstream, ada, bob = tmp_path / "upstream.git", tmp_path / "ada", tmp_path / "bob"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    git(tmp_path, "clone", "-q", str(upstream), str(ada))
    configure(ada)
    write(ada, "goals/log.csv", HEADER)
    write(ada, "goals/goals.yaml", "metrics: {}\n")
    commit_all(ada, "start")
    git(ada, "push", "-q", "-u", "origin", "main")
    git(tmp_path, "clone", "-q", str(upstream), str(bob))
    configure(bob)
    return upstream, ada, bob


def append(root: Path, row: str, message: str) -> None:
    with (root / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write(row)
    commit_all(root, message)


def test_up_to_date(clones: tuple[Path, Path, Path]) -> None:
    _upstream, _ada, bob = clones
    synced = integrate(bob)
    assert (synced.branch, synced.remote, synced.remote_branch) == ("main", "origin", "main")
    assert (synced.brought_in, synced.sent, synced.how, synced.pushed) == (
        0,
        0,
        "up to date",
        False,
    )
    assert synced.upstream == "origin/main"
    assert synced.commit == git(bob, "rev-parse", "HEAD").strip()


def test_fast_forward(clones: tuple[Path, Path, Path]) -> None:
    _upstream, ada, bob = clones
    append(ada, "2026-01-01,mrr,1,\n", "ada")
    git(ada, "push", "-q")
    synced = integrate(bob)
    assert (synced.brought_in, synced.sent, synced.how) == (1, 0, "fast-forward")
    assert git(bob, "log", "-1", "--format=%s") == "ada\n"


@pytest.mark.parametrize(("merge", "how"), [(False, "rebase"), (True, "merge")])
def test_both_appends_kept_by_union(clones: tuple[Path, Path, Path], merge: bool, how: str) -> None:
    _upstream, ada, bob = clones
    append(ada, "2026-01-01,mrr,1,\n", "ada")
    git(ada, "push", "-q")
    append(bob, "2026-01-02,mrr,2,\n", "bob")
    synced = integrate(bob, merge=merge)
    assert (synced.brought_in, synced.how) == (1, how)
    assert synced.sent == (2 if merge else 1)  # bob's commit, and with merge the merge commit
    rows = (bob / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()
    # a rebase replays bob's row after ada's; a merge keeps ours first, then theirs
    mine, theirs = "2026-01-02,mrr,2,", "2026-01-01,mrr,1,"
    assert rows == [HEADER.strip(), *([mine, theirs] if merge else [theirs, mine])]


def test_a_conflict_elsewhere_is_aborted(clones: tuple[Path, Path, Path]) -> None:
    _upstream, ada, bob = clones
    write(ada, "goals/goals.yaml", "metrics: {a: {name: A}}\n")
    commit_all(ada, "ada edits")
    git(ada, "push", "-q")
    write(bob, "goals/goals.yaml", "metrics: {b: {name: B}}\n")
    before = commit_all(bob, "bob edits")
    with pytest.raises(GitError, match=r"conflict in goals/goals\.yaml with origin/main"):
        integrate(bob)
    assert git(bob, "rev-parse", "HEAD").strip() == before
    assert git(bob, "status", "--porcelain") == ""


def test_refusals(clones: tuple[Path, Path, Path], tmp_path: Path) -> None:
    _upstream, _ada, bob = clones
    write(bob, "goals/log.csv", HEADER + "dirty\n")
    with pytest.raises(GitError, match="uncommitted changes"):
        integrate(bob)
    git(bob, "checkout", "-q", "--", "goals/log.csv")
    git(bob, "checkout", "-q", "-b", "topic")
    with pytest.raises(GitError, match="branch 'topic' has no upstream"):
        integrate(bob)
    outside = tmp_path / "outside"
    outside.mkdir()
    with pytest.raises(GitError, match="not in a git repository"):
        integrate(outside)


def test_push_and_a_rejected_push(clones: tuple[Path, Path, Path]) -> None:
    upstream, ada, bob = clones
    append(bob, "2026-01-02,mrr,2,\n", "bob")
    synced = integrate(bob)
    assert push(bob, synced) is True
    assert git(upstream, "rev-parse", "main") == git(bob, "rev-parse", "HEAD")
    append(ada, "2026-01-03,mrr,3,\n", "ada")  # ada has not brought bob's commit in
    assert push(ada, synced) is False  # the upstream moved on: integrate again
    assert git(upstream, "rev-parse", "main") == git(bob, "rev-parse", "HEAD")
    assert push(ada, integrate(ada)) is True
    assert git(upstream, "rev-parse", "main") == git(ada, "rev-parse", "HEAD")
