"""vcs.repo against real git repositories: finding the work tree and the ledger's place in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.vcs.repo import find_work_tree, open_history
from tests.conftest import git
from tests.vcs.gitrepo import only_the_repositorys_config

__all__ = ["only_the_repositorys_config"]


# --- find_work_tree ----------------------------------------------------------------------------


def test_find_work_tree_inside_at_the_top_and_below(repo: Path) -> None:
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    assert find_work_tree(repo) == repo.resolve()
    assert find_work_tree(deep) == repo.resolve()


def test_find_work_tree_outside_any_repository(tmp_path: Path) -> None:
    assert find_work_tree(tmp_path) is None


def test_find_work_tree_takes_the_nearest_of_nested_repositories(repo: Path) -> None:
    inner = repo / "vendor" / "inner"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")
    (inner / "x").mkdir()
    assert find_work_tree(inner / "x") == inner.resolve()
    assert find_work_tree(repo / "vendor") == repo.resolve()


def test_open_history_outside_git(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="is not inside a git repository"):
        open_history(tmp_path)
