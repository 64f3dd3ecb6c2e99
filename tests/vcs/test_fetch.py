"""fetch_missing: a shallow clone of a real bare remote unshallowed, a missing commit fetched,
and what cannot be fetched said."""

from __future__ import annotations

from pathlib import Path

from smartgoals.vcs.fetch import fetch_missing
from tests.conftest import git


def test_a_shallow_clone_gets_the_history_a_range_needs(tmp_path: Path) -> None:
    remote, work, ci = tmp_path / "origin.git", tmp_path / "work", tmp_path / "ci"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(work))
    for name in ("a", "b", "c"):
        (work / name).write_text(name)
        git(work, "add", name)
        git(work, "commit", "-q", "-m", name)
    first = git(work, "rev-list", "--max-parents=0", "HEAD").strip()
    git(work, "push", "-q", "origin", "main")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{remote}", str(ci))
    assert (ci / ".git" / "shallow").exists()
    assert fetch_missing(ci, [first]) == []
    assert not (ci / ".git" / "shallow").exists()
    assert git(ci, "cat-file", "-t", first).strip() == "commit"


def test_what_cannot_be_fetched_is_said(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "a").write_text("a")
    git(tmp_path, "add", "a")
    git(tmp_path, "commit", "-q", "-m", "a")
    failed = fetch_missing(tmp_path, ["f" * 40])
    assert len(failed) == 1 and "git fetch failed" in failed[0]
    assert fetch_missing(tmp_path / "nowhere", ["f" * 40])
