"""`smartgoals sync`: bring the upstream's commits in (rebase, or merge), check the ledger,
push; one line for each thing that can go wrong, and never a lost row.

Git is run through vcs.repo. The journal is merged with git's
built-in `union` driver even when `.gitattributes` does not say so, through a private
attributes file (`core.attributesFile`), so that two people's appends never conflict. A
conflict anywhere else (a goal file both sides edited) is aborted: the branch is left exactly
as it was before `sync`, and the line says which file to resolve by hand.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.files import JOURNAL, SHARDS_DIR
from smartgoals.safetext import clean
from smartgoals.vcs.repo import (
    IN_PROGRESS,
    check_environment,
    find_work_tree,
    git_text,
    open_repository,
    push_head,
)

PUSH_ATTEMPTS = 3  # a push rejected because the upstream moved on is retried after a new sync


class Synced(NamedTuple):
    branch: str
    remote: str
    remote_branch: str
    brought_in: int  # upstream commits that were not here
    sent: int  # local commits that are not upstream (what a push sends)
    how: str  # up to date | fast-forward | rebase | merge
    pushed: bool
    commit: str  # HEAD after sync

    @property
    def upstream(self) -> str:
        return f"{self.remote}/{self.remote_branch}"


def _git(repo: Any, *args: str) -> str:
    return git_text(repo, *args)


def _count(repo: Any, spec: str) -> int:
    return int(_git(repo, "rev-list", "--count", spec) or 0)


def _conflicted(repo: Any) -> list[str]:
    try:
        return _git(repo, "diff", "--name-only", "--diff-filter=U").splitlines()
    except GitError:
        return []


def _attributes_file(repo: Any, root: Path) -> str:
    """A private attributes file that merges the journal (goals/log.csv and its shards,
    goals/log.d/*.csv) with git's union driver."""
    top = Path(repo.working_tree_dir).resolve()
    rel = (root.resolve() / JOURNAL).relative_to(top).as_posix()
    shards = (root.resolve() / SHARDS_DIR).relative_to(top).as_posix()
    handle, name = tempfile.mkstemp(prefix="smartgoals-", suffix=".gitattributes")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(f"/{rel} merge=union\n/{shards}/*.csv merge=union\n")
    return name


def _ready(root: Path) -> tuple[Any, str, str, str]:
    """The repository, branch, remote and upstream branch; refuses unsafe states first."""
    top = find_work_tree(root)
    if top is None:
        raise GitError(f"{root} is not in a git repository: there is nothing to sync")
    repo = open_repository(top)
    check_environment(repo)
    git_dir = Path(repo.git_dir)
    for name, what in IN_PROGRESS.items():
        if (git_dir / name).exists():
            raise GitError(f"{what} is in progress; finish or abort it, then sync")
    try:
        branch = _git(repo, "symbolic-ref", "--quiet", "--short", "HEAD")
    except GitError:
        raise GitError("HEAD is detached: switch to a branch to sync it") from None
    remote = _config(repo, f"branch.{branch}.remote")
    merge = _config(repo, f"branch.{branch}.merge")
    if not remote or not merge:
        raise GitError(
            f"branch {branch!r} has no upstream: push it once with "
            f"git push -u origin {branch}, then sync"
        )
    if _git(repo, "status", "--porcelain", "--untracked-files=no"):
        raise GitError(
            "there are uncommitted changes to tracked files; commit or stash them, then sync"
        )
    return repo, branch, remote, merge.removeprefix("refs/heads/")


def _config(repo: Any, key: str) -> str:
    try:
        return _git(repo, "config", "--get", key)
    except GitError:
        return ""


def _integrate(repo: Any, fetched: str, upstream: str, merge: bool, attributes: str) -> str:
    """Bring the fetched commit in; on a conflict, abort (the branch is as it was) and raise."""
    attrs = ("-c", f"core.attributesFile={attributes}")
    if _count(repo, f"HEAD..{fetched}") == 0:
        return "up to date"
    if _count(repo, f"{fetched}..HEAD") == 0:
        _git(repo, "merge", "--ff-only", "--quiet", fetched)
        return "fast-forward"
    message = f"Merge remote-tracking branch '{upstream}'"  # what git says for the ref
    command = (
        ("merge", "--no-edit", "--quiet", "-m", message, fetched) if merge else ("rebase", fetched)
    )
    try:
        _git(repo, *attrs, *command)
    except GitError as exc:
        files = _conflicted(repo)
        abort = "merge" if merge else "rebase"
        with contextlib.suppress(GitError):
            _git(repo, abort, "--abort")
        if files:
            raise GitError(
                f"conflict in {', '.join(files)} with {upstream}: nothing was changed; merge "
                f"by hand (git {'merge' if merge else 'rebase'} {upstream}), then sync"
            ) from None
        raise GitError(f"{exc}; nothing was changed") from None
    return "merge" if merge else "rebase"


def integrate(
    root: Path, merge: bool = False, vet: Callable[[str, str], None] | None = None
) -> Synced:
    """Fetch the upstream and bring its commits in (fast-forward, rebase, or with merge a
    merge commit); nothing is pushed. vet(range, upstream) sees the fetched commits that are
    not in HEAD (`HEAD..SHA`) before anything changes here, and refuses by raising."""
    repo, branch, remote, remote_branch = _ready(root)
    upstream = f"{remote}/{remote_branch}"
    _git(repo, "fetch", "--quiet", remote)
    # the very commit vetted is the one taken in, even if the upstream ref moves meanwhile
    fetched = _git(repo, "rev-parse", "--verify", "--quiet", f"{upstream}^{{commit}}")
    brought_in = _count(repo, f"HEAD..{fetched}")
    if vet is not None and brought_in:
        vet(f"HEAD..{fetched}", upstream)
    attributes = _attributes_file(repo, root)
    try:
        how = _integrate(repo, fetched, upstream, merge, attributes)
    finally:
        os.unlink(attributes)
    sent = _count(repo, f"{fetched}..HEAD")
    head = _git(repo, "rev-parse", "HEAD")
    return Synced(branch, remote, remote_branch, brought_in, sent, how, False, head)


def push(root: Path, synced: Synced) -> bool:
    """Push HEAD to the upstream branch: True when pushed, False when the upstream moved on in
    the meantime (fetch and integrate again); any other refusal is a GitError."""
    top = find_work_tree(root)
    if top is None:
        raise GitError(f"{root} is not in a git repository: there is nothing to push")
    returncode, stdout, stderr = push_head(top, synced.remote, synced.remote_branch)
    if returncode == 0:
        return True
    if "[rejected]" in stdout and ("fetch first" in stdout or "non-fast" in stdout):
        return False  # the upstream moved on before the push
    if "failed to update ref" in stdout and "but expected" in stderr:
        return False  # ... or while it ran (the remote's ref was no longer the one we saw)
    lines = [
        line.strip()
        for line in (stdout + "\n" + stderr).splitlines()
        if line.strip().startswith(("!", "error:", "fatal:", "remote:"))
    ]

    why = clean(lines[0].lstrip("!").strip()) if lines else f"git exited with {returncode}"
    raise GitError(f"git push to {synced.upstream} was refused ({why}); your commits are kept here")
