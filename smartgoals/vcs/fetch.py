"""Bringing in the history a check needs, for CI: a shallow clone unshallowed, a missing
commit fetched from origin. Best effort: what cannot be fetched is said, and the check that
needs it then fails with its own sentence."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from smartgoals.errors import GitError
from smartgoals.vcs.repo import open_history, run_git


def _has_commit(repo: object, sha: str) -> bool:
    try:
        run_git(repo, "cat-file", "-e", f"{sha}^{{commit}}")
    except GitError:
        return False
    return True


def fetch_missing(root: Path, shas: Iterable[str], remote: str = "origin") -> list[str]:
    """Unshallow the clone holding the ledger at root, then fetch each of shas it still lacks;
    the sentences of what failed (empty when everything is here)."""
    try:
        repo, _ = open_history(root)
    except GitError as exc:
        return [str(exc)]
    failed: list[str] = []
    if (Path(repo.git_dir) / "shallow").exists():
        try:
            run_git(repo, "fetch", "--quiet", "--no-tags", "--unshallow", remote)
        except GitError as exc:
            failed.append(f"{exc} (check out with fetch-depth: 0)")
    for sha in dict.fromkeys(shas):
        if sha and not _has_commit(repo, sha):
            try:
                run_git(repo, "fetch", "--quiet", "--no-tags", remote, sha)
            except GitError as exc:
                failed.append(str(exc))
    return failed
