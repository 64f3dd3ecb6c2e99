"""The commits: which ones changed the goal files or the journal, on HEAD's first-parent line,
by whom and when; the user's own last recording commit, and where a commit has been pushed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from smartgoals.errors import GitError
from smartgoals.vcs.objects import CommitInfo, commit_by_id, committed_blob
from smartgoals.vcs.repo import (
    find_work_tree,
    open_history,
    open_work_tree,
    own_email,
    run_git,
)

RECORDING_SUBJECTS = ("log:", "check-in")  # commits `undo` may cancel
UNDO_SUBJECT = "undo:"  # `undo: <sha10> (...)`: the commit it cancelled is not undone again


def goal_file_commits(repo: Any, prefix: str) -> list[tuple[CommitInfo, list[str]]]:
    """Every commit that changed a goal file or the settings, oldest first, with its parents."""
    paths = [f"{prefix}goals/*.yaml", f"{prefix}goals/*.yml", f"{prefix}smartgoals.yaml"]
    try:
        out = _log(repo, "--format=%H %P", "--reverse", "--", *paths)
    except GitError as exc:
        if "does not have any commits" in str(exc):
            return []
        raise
    result = []
    for line in out.splitlines():
        sha, *parents = line.split()
        result.append((commit_by_id(repo, sha).info, parents))
    return result


def _log(repo: Any, *args: str) -> str:
    """`git log` with these arguments, its output as text."""
    return run_git(repo, "log", *args).decode("utf-8", "replace")


def first_parent_commits(repo: Any, path: str) -> list[CommitInfo] | None:
    """The commits of HEAD's first-parent line that changed path, oldest first; None when one
    is a merge (its lines come from other branches) or git cannot list them."""
    try:
        out = _log(
            repo,
            "--first-parent",
            "--reverse",
            "--format=%H%x09%P%x09%at%x09%ae%x09%an%x09%s",
            "--",
            path,
        )
    except GitError:
        return None
    commits: list[CommitInfo] = []
    for line in out.splitlines():
        sha, parents, stamp, email, name, summary = (line.split("\t", 5) + [""] * 6)[:6]
        if len(parents.split()) > 1:
            return None
        when = dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC)
        commits.append(CommitInfo(sha, name, email, when, summary))
    return commits


def commit_on_or_before(repo: Any, day: dt.date) -> str | None:
    """The newest commit on HEAD's first-parent line committed on or before day (by the
    committer's own calendar date); None when there is none."""
    try:
        out = _log(repo, "--first-parent", "--format=%H %cI", "HEAD")
    except GitError:
        return None  # no commits yet
    for line in out.splitlines():
        sha, _, when = line.partition(" ")
        if dt.date.fromisoformat(when[:10]) <= day:
            return sha
    return None


def commits_since(repo: Any, sha: str) -> set[str]:
    """The commits HEAD has that sha does not (`git rev-list sha..HEAD`)."""
    return set(run_git(repo, "rev-list", f"{sha}..HEAD").decode().split())


def last_own_commit(
    root: Path, rel: str, also: tuple[str, ...] = ()
) -> tuple[CommitInfo, bytes, bytes] | None:
    """The current user's newest log or check-in commit on HEAD's first-parent line that
    changed rel (or one of `also`) and was not undone yet, with rel's bytes before and after
    it; None if none."""
    repo, prefix = open_history(root)
    try:
        email = own_email(repo)
    except GitError:
        raise GitError(
            "git does not know who you are (no user.email configured), so undo cannot tell "
            "which commits are yours"
        ) from None
    path = prefix + rel
    try:
        out = _log(
            repo,
            "--first-parent",
            "--format=%H%x09%ae%x09%s",
            "--",
            path,
            *(prefix + a for a in also),
        )
    except GitError:
        return None
    undone: set[str] = set()
    for line in out.splitlines():
        sha, author, subject = [*line.split("\t", 2), "", ""][:3]
        if subject.startswith(UNDO_SUBJECT):
            undone.update(word[:10] for word in subject.removeprefix(UNDO_SUBJECT).split()[:1])
            continue
        if author != email or sha[:10] in undone or not subject.startswith(RECORDING_SUBJECTS):
            continue
        commit = commit_by_id(repo, sha)
        after = committed_blob(repo, commit, path)
        before = (
            committed_blob(repo, commit_by_id(repo, commit.parents[0]), path)
            if commit.parents
            else b""
        )
        return commit.info, before, after
    return None


def pushed_to(root: Path, sha: str) -> str:
    """A remote-tracking branch that already holds the commit ('' when none does)."""
    repo, _prefix = open_history(root)
    out = run_git(
        repo, "for-each-ref", "--contains", sha, "--format=%(refname:short)", "refs/remotes"
    )
    names = out.decode("utf-8", "replace").split()
    return names[0] if names else ""


def file_commit_date(path: Path) -> tuple[dt.date | None, bool]:
    """The date of the last commit that changed path (committer date, its own time zone), and
    whether the file differs from that commit now; (None, True) outside git or uncommitted."""
    work_tree = find_work_tree(path.parent)
    if work_tree is None:
        return None, True
    repo = open_work_tree(work_tree)
    rel = os.path.relpath(path.resolve(), work_tree).replace(os.sep, "/")
    try:
        day = run_git(repo, "log", "-1", "--format=%cs", "--", rel).decode().strip()
        # a source reads, never writes: no index refresh in the ledger's repository
        status = run_git(repo, "--no-optional-locks", "status", "--porcelain", "--", rel)
        dirty = bool(status.strip())
    except GitError:
        return None, True
    return (dt.date.fromisoformat(day) if day else None), dirty or not day
