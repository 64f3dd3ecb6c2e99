"""The commits: which ones changed the goal files or the journal, on HEAD's first-parent line,
by whom and when; the user's own last recording commit, and where a commit has been pushed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

from smartgoals.errors import GitError
from smartgoals.vcs.objects import CommitInfo, commit_info, committed_blob, missing_object
from smartgoals.vcs.repo import (
    failure_message,
    find_work_tree,
    open_history,
    open_repository,
    own_email,
    run_git,
)

RECORDING_SUBJECTS = ("log:", "check-in")  # commits `undo` may cancel
UNDO_SUBJECT = "undo:"  # `undo: <sha10> (...)`: the commit it cancelled is not undone again


def goal_file_commits(repo: Any, prefix: str) -> list[tuple[CommitInfo, list[str]]]:
    """Every commit that changed a goal file or the settings, oldest first, with its parents."""
    import git

    paths = [f"{prefix}goals/*.yaml", f"{prefix}goals/*.yml", f"{prefix}smartgoals.yaml"]
    try:
        out = repo.git.log("--format=%H %P", "--reverse", "--", *paths)
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc.stderr):
            return []
        raise GitError(f"git log failed: {failure_message(exc)}") from None
    result = []
    for line in out.splitlines():
        sha, *parents = line.split()
        try:
            result.append((commit_info(repo.commit(sha)), parents))
        except ValueError:
            raise missing_object(repo, f"commit {sha[:10]}") from None
    return result


def first_parent_commits(repo: Any, path: str) -> list[CommitInfo] | None:
    """The commits of HEAD's first-parent line that changed path, oldest first; None when one
    is a merge (its lines come from other branches) or git cannot list them."""
    import git

    try:
        out = repo.git.log(
            "--first-parent",
            "--reverse",
            "--format=%H%x09%P%x09%at%x09%ae%x09%an%x09%s",
            "--",
            path,
        )
    except git.GitCommandError:
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
    import git

    try:
        out = repo.git.log("--first-parent", "--format=%H %cI", "HEAD")
    except git.GitCommandError:
        return None  # no commits yet
    for line in str(out).splitlines():
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
    import git

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
        out = repo.git.log(
            "--first-parent", "--format=%H%x09%ae%x09%s", "--", path, *(prefix + a for a in also)
        )
    except git.GitCommandError:
        return None
    undone: set[str] = set()
    for line in out.splitlines():
        sha, author, subject = [*line.split("\t", 2), "", ""][:3]
        if subject.startswith(UNDO_SUBJECT):
            undone.update(word[:10] for word in subject.removeprefix(UNDO_SUBJECT).split()[:1])
            continue
        if author != email or sha[:10] in undone or not subject.startswith(RECORDING_SUBJECTS):
            continue
        commit = repo.commit(sha)
        after = committed_blob(commit, path)
        before = committed_blob(commit.parents[0], path) if commit.parents else b""
        return commit_info(commit), before, after
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
    repo = open_repository(work_tree)
    rel = os.path.relpath(path.resolve(), work_tree).replace(os.sep, "/")
    try:
        day = run_git(repo, "log", "-1", "--format=%cs", "--", rel).decode().strip()
        # a source reads, never writes: no index refresh in the ledger's repository
        status = run_git(repo, "--no-optional-locks", "status", "--porcelain", "--", rel)
        dirty = bool(status.strip())
    except GitError:
        return None, True
    return (dt.date.fromisoformat(day) if day else None), dirty or not day
