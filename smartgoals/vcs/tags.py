"""Tags that name a closed period (`goals/2026-Q4`): whether one exists, and an annotated tag
made on a commit as the configured identity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.errors import GitError
from smartgoals.periods import parse_span
from smartgoals.vcs.repo import STRICT_IDENTITY, open_work_tree, run_git

TAG_PREFIX = "goals/"


def period_tag(period: str) -> str:
    """The tag that names the ledger as it stood when the period was closed."""
    return f"{TAG_PREFIX}{period}"


def tag_exists(work_tree: Path, name: str) -> bool:
    """Whether refs/tags/<name> exists in the repository at work_tree."""
    repo = open_work_tree(work_tree)
    try:
        run_git(repo, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}")
    except GitError:
        return False
    return True


def make_tag(work_tree: Path, name: str, commit: str, message: str) -> None:
    """An annotated tag `name` on commit, signed by nobody, as git's configured identity
    (GitError, in git's words, when the name is taken or invalid)."""
    repo = open_work_tree(work_tree)
    run_git(repo, *STRICT_IDENTITY, "tag", "--annotate", "--no-sign", "-m", message, name, commit)


def tag_period_end(rev: str) -> dt.date | None:
    """The last day of the period a tag such as goals/2026-Q4 names (what `status --rev` judges
    it at); None for any other revision."""
    if not rev.startswith(TAG_PREFIX):
        return None
    try:
        return parse_span(rev.removeprefix(TAG_PREFIX)).last
    except ValueError:
        return None
