"""What this clone holds of its history: whether it is shallow (GitHub's default checkout
fetches one commit), the line that says which commits are not here, and the first commit,
which names the history (and so the ledger) whatever the clone's path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartgoals.errors import GitError
from smartgoals.vcs.repo import find_work_tree, open_work_tree, run_git

FETCH_ALL = "run git fetch --unshallow (or check out with fetch-depth: 0)"


def shallow_boundary(repo: Any) -> list[str]:
    """The commits whose parents this clone does not have; none when it is not shallow."""
    try:
        answer = run_git(repo, "rev-parse", "--is-shallow-repository").strip()
    except GitError:
        return []
    if answer != b"true":
        return []
    try:  # git's own list of the cut: one sha a line
        text = (Path(repo.git_dir) / "shallow").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    return text.split()


def shallow_warning(repo: Any) -> str | None:
    """`shallow clone: history before <sha> is not here; run git fetch --unshallow ...`, or
    None for a clone with all of its history."""
    cut = shallow_boundary(repo)
    if not cut:
        return None
    shown = cut[0][:12] + (f" (and {len(cut) - 1} more)" if len(cut) > 1 else "")
    return f"shallow clone: history before {shown} is not here; {FETCH_ALL}"


def history_identity(root: Path) -> str | None:
    """`<first commit>:<the ledger's folder in the repository>`: the same in every full clone
    of the repository, different for two repositories or two ledgers in one; None outside
    git, before the first commit, or in a shallow clone (its first commit is not here)."""
    work_tree = find_work_tree(root)
    if work_tree is None:
        return None
    try:
        repo = open_work_tree(work_tree)
        if shallow_boundary(repo):
            return None
        roots = run_git(repo, "rev-list", "--max-parents=0", "HEAD").decode("ascii").split()
    except (GitError, UnicodeDecodeError):
        return None
    if not roots:
        return None
    top = Path(repo.working_tree_dir).resolve()
    folder = root.resolve().relative_to(top).as_posix() if root.resolve() != top else ""
    return f"{min(roots)}:{folder}"


def shallow_warning_at(root: Path) -> str | None:
    """shallow_warning for the repository holding root; None outside git."""
    work_tree = find_work_tree(root)
    if work_tree is None:
        return None
    try:
        return shallow_warning(open_work_tree(work_tree))
    except GitError:
        return None
