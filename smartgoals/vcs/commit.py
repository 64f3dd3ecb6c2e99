"""Committing the ledger's files: the checks before anything is written, and commits of exactly
the files meant, kept when git says it failed but the commit landed."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from smartgoals.errors import GitError
from smartgoals.vcs.objects import head_sha, journal_filter
from smartgoals.vcs.repo import (
    IN_PROGRESS,
    STRICT_IDENTITY,
    check_environment,
    open_repository,
    open_work_tree,
    run_git,
)

INDEX_LOCK_WAIT_SECONDS = 3.0


def check_ready(work_tree: Path) -> Any:
    """Refuse early, before anything is written, when a commit could not be made safely; the
    repository to commit in."""
    repo = open_work_tree(work_tree)
    check_environment(repo)
    git_dir = Path(repo.git_dir)
    for name, what in IN_PROGRESS.items():
        if (git_dir / name).exists():
            raise GitError(
                f"{what} is in progress in {work_tree}; finish or abort it, or use --no-commit"
            )
    # ask git itself, so that every config layer and environment variable counts as git sees
    # it; user.useConfigOnly stops git from inventing a name from passwd or an address from the
    # host name, for the committer as much as for the author
    for who, variable in (("author", "GIT_AUTHOR_IDENT"), ("committer", "GIT_COMMITTER_IDENT")):
        try:
            run_git(repo, *STRICT_IDENTITY, "var", variable)
        except GitError as exc:
            if "dubious ownership" in str(exc) or "safe.directory" in str(exc):
                raise
            raise GitError(
                f"git does not know who you are (no {who} name and email configured); run "
                "git config user.name 'Your Name' and git config user.email you@example.com "
                "(or use --no-commit)"
            ) from None
    wait_for_index_lock(git_dir)
    return repo


def wait_for_index_lock(git_dir: Path) -> None:
    """Wait briefly for another git process to release the index; never delete its lock."""
    lock = git_dir / "index.lock"
    deadline = time.monotonic() + INDEX_LOCK_WAIT_SECONDS
    while lock.exists():
        if time.monotonic() > deadline:
            raise GitError(
                f"{lock} exists: another git process is running (if none is, remove the file)"
            )
        time.sleep(0.05)


def detached_warning(repo: Any) -> str | None:
    """A one-line warning when HEAD is detached: the commit will be on no branch. Read from
    HEAD's file (a symbolic ref starts with `ref:`), as git does, without starting git."""
    try:
        head = (Path(repo.git_dir) / "HEAD").read_bytes()
    except OSError:
        return None
    if head.startswith(b"ref:"):
        return None
    return "HEAD is detached: the commit is on no branch (git switch -c NAME keeps it on a new one)"


def refuse_filtered(repo: Any, rel: str) -> None:
    """Refuse a journal that git stores through a clean/smudge filter."""
    filtered = journal_filter(repo, rel)
    if filtered is not None:
        raise GitError(
            f"{rel} is under the git filter {filtered!r} (.gitattributes): git would store "
            "other bytes than the journal's, so smartgoals does not use it; remove the filter "
            "for the journal"
        )


def check_would_commit(repo: Any, rel: str, expected: bytes) -> str:
    """Refuse unless committing rel now stores exactly `expected` (compared as git blobs, so
    after git's own line-end conversion); the expected blob's id."""
    stored = run_git(repo, "hash-object", "--", rel).strip().decode()
    wanted = run_git(repo, "hash-object", "--no-filters", "--stdin", data=expected)
    if stored != wanted.strip().decode():
        raise GitError(
            f"{rel} is not what HEAD holds plus the new row (lines not committed yet, edited "
            f"or removed); commit or restore them first (git diff -- {rel} shows them), or use "
            "--no-commit"
        )
    return wanted.strip().decode()


def relative(repo: Any, path: Path) -> str:
    """path as git names it in the repository: relative to the work tree, with slashes."""
    return os.path.relpath(path, repo.working_tree_dir).replace(os.sep, "/")


def commit_only(repo: Any, message: str, rels: list[str]) -> None:
    """git commit --only of rels: HEAD plus these paths in a temporary index, so nothing else
    that is staged or modified is swept in; hooks run as usual."""
    run_git(repo, *STRICT_IDENTITY, "commit", "--only", "--quiet", "-m", message, "--", *rels)


def unstage(repo: Any, rels: list[str]) -> None:
    """Take newly added paths out of the index again, after a commit that did not happen."""
    with contextlib.suppress(GitError):
        run_git(repo, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *rels)


def commit_file(repo: Any, path: Path, message: str, expected: bytes) -> tuple[str, str | None]:
    """Commit exactly this file's working-tree content; other staged changes stay staged.

    `git commit --only -- PATH` builds the commit from HEAD plus this one path in a temporary
    index, so nothing else that is staged or modified is swept in. Hooks run as usual. Before
    committing, the blob git is about to store must be `expected` (see check_would_commit).

    Returns the new commit's sha and a warning. When git reports a failure but HEAD now is a
    new commit on the old one whose copy of the file is the expected blob (a post-commit hook
    that failed or killed git, a signal after the ref moved), the commit happened: it is kept
    and the warning says so. Otherwise nothing is left staged and GitError is raised.
    """
    rel = relative(repo, path)
    before = head_sha(repo)
    tracked = False
    blob = ""
    try:
        tracked = bool(run_git(repo, "ls-files", "--", rel).strip())
        if not tracked:
            run_git(repo, "add", "--", rel)
        blob = check_would_commit(repo, rel, expected)
        commit_only(repo, message, [rel])
    except GitError as exc:
        landed = _landed(repo, before, rel, blob) if blob else None
        if landed is not None:
            return landed, f"{exc}; but the commit was made ({landed[:10]}), so the value is kept"
        if not tracked:
            unstage(repo, [rel])
        raise commit_failure(exc) from None
    return moved_head(repo, before), None


def commit_paths(repo: Any, expected: dict[Path, bytes], message: str) -> tuple[str, str | None]:
    """commit_file for several files in one commit (a check-in: the journal and
    goals/checkins.csv): each must store exactly its expected bytes; nothing else is swept in.
    The same outcome rules: a commit that landed is kept with a warning, else GitError."""
    rels = {path: relative(repo, path) for path in expected}
    before = head_sha(repo)
    added: list[str] = []
    blobs: dict[str, str] = {}
    try:
        for path, rel in rels.items():
            if not run_git(repo, "ls-files", "--", rel).strip():
                run_git(repo, "add", "--", rel)
                added.append(rel)
            blobs[rel] = check_would_commit(repo, rel, expected[path])
        commit_only(repo, message, list(rels.values()))
    except GitError as exc:
        if len(blobs) == len(rels):
            landed = {rel: _landed(repo, before, rel, blob) for rel, blob in blobs.items()}
            shas = set(landed.values())
            if len(shas) == 1 and None not in shas:
                sha = shas.pop()
                assert sha is not None
                return sha, f"{exc}; but the commit was made ({sha[:10]}), so the values are kept"
        for rel in added:
            unstage(repo, [rel])
        raise commit_failure(exc) from None
    return moved_head(repo, before), None


def commit_failure(exc: GitError) -> GitError:
    """A failed commit, worded for the user (`git add` of a first journal is part of it)."""
    text = str(exc)
    if text.startswith("git add failed: "):
        text = "git commit failed: " + text.removeprefix("git add failed: ")
    return GitError(text)


def moved_head(repo: Any, before: str | None) -> str:
    """HEAD after a commit git reported as made; an error when it did not move."""
    sha = head_sha(repo)
    if sha is None or sha == before:
        raise GitError("git commit failed: it reported success but HEAD did not move")
    return sha


def new_head(repo: Any, before: str | None) -> str | None:
    """HEAD, when it is a new commit whose only parent is `before` (none for a first commit)."""
    try:
        shas = run_git(repo, "rev-parse", "HEAD", "HEAD^@").decode().split()
    except GitError:
        return None
    if not shas or shas[0] == before:
        return None
    return shas[0] if shas[1:] == ([before] if before else []) else None


def _landed(repo: Any, before: str | None, rel: str, blob: str) -> str | None:
    """The new HEAD, when it is a commit on `before` that stores rel as blob; else None."""
    sha = new_head(repo, before)
    if sha is None:
        return None
    try:
        stored = run_git(repo, "rev-parse", "--verify", "--quiet", f"HEAD:{rel}").strip().decode()
    except GitError:
        return None
    return sha if stored == blob else None


def commit_new_files(
    work_tree: Path, rels: list[str], message: str
) -> tuple[str | None, str | None]:
    """Stage rels and make a commit of them as the configured identity: (sha, None), or
    (None, why not), leaving nothing of rels staged."""
    try:
        repo = open_repository(work_tree)
    except GitError as exc:
        return None, str(exc)
    try:
        run_git(repo, "add", "--", *rels)
        run_git(repo, *STRICT_IDENTITY, "commit", "--quiet", "-m", message)
        return head_sha(repo), None
    except GitError as exc:
        with contextlib.suppress(GitError):
            run_git(repo, "rm", "--cached", "-r", "--quiet", "--ignore-unmatch", "--", *rels)
        return None, str(exc)
