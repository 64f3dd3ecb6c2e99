"""Git: the only module that touches it. GitPython is imported lazily, inside the functions."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

from .errors import GitError

INDEX_LOCK_WAIT_SECONDS = 3.0
_IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or am",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}


def find_work_tree(path: Path) -> Path | None:
    """The top of the git work tree holding path, found without starting git; None outside git."""
    here = path.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _repo(work_tree: Path) -> Any:
    try:
        import git
    except ImportError as exc:  # GitPython imports fine but fails when there is no git binary
        raise GitError(
            f"git is not available ({exc}); use --no-commit to record without it"
        ) from None
    try:
        return git.Repo(work_tree)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise GitError(f"{work_tree} is not a usable git repository ({exc})") from None


def _message(exc: Any) -> str:
    stderr = (getattr(exc, "stderr", "") or "").strip()
    for prefix in ("stderr:", "error:", "fatal:"):
        stderr = stderr.strip().strip("'").removeprefix(prefix).strip()
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[0] if lines else str(exc)


def check_ready(work_tree: Path) -> Any:
    """Refuse early, before anything is written, when a commit could not be made safely."""
    repo = _repo(work_tree)
    git_dir = Path(repo.git_dir)
    for name, what in _IN_PROGRESS.items():
        if (git_dir / name).exists():
            raise GitError(
                f"{what} is in progress in {work_tree}; finish or abort it, or use --no-commit"
            )
    # ask git itself, so that every config layer and environment variable counts as git sees it
    name = os.environ.get("GIT_AUTHOR_NAME") or _config(repo, "user.name")
    email = (
        os.environ.get("GIT_AUTHOR_EMAIL") or os.environ.get("EMAIL") or _config(repo, "user.email")
    )
    if not name or not email:
        raise GitError(
            "git does not know who you are; run git config user.name 'Your Name' and "
            "git config user.email you@example.com (or use --no-commit)"
        )
    wait_for_index_lock(git_dir)
    return repo


def _config(repo: Any, key: str) -> str:
    import git

    try:
        return str(repo.git.config("--get", key)).strip()
    except git.GitCommandError:
        return ""


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


def commit_file(repo: Any, path: Path, message: str) -> str:
    """Commit exactly this file's working-tree content; other staged changes stay staged.

    `git commit --only -- PATH` builds the commit from HEAD plus this one path in a temporary
    index, so nothing else that is staged or modified is swept in. Hooks run as usual.
    """
    import git

    rel = os.path.relpath(path, repo.working_tree_dir)
    tracked = bool(repo.git.ls_files("--", rel))
    try:
        if not tracked:
            repo.git.add("--", rel)
        repo.git.commit("--only", "--quiet", "--message", message, "--", rel)
    except git.GitCommandError as exc:
        if not tracked:
            with contextlib.suppress(git.GitCommandError):
                repo.git.rm("--cached", "--quiet", "--", rel)
        raise GitError(f"git commit failed: {_message(exc)}") from None
    return str(repo.head.commit.hexsha)


def init_repository(path: Path) -> None:
    """git init, for a new ledger outside any repository."""
    try:
        import git

        git.Repo.init(path)
    except Exception as exc:  # GitPython raises several types when git is missing or fails
        raise GitError(f"git init failed in {path}: {_message(exc)}") from None
