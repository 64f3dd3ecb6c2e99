"""Git: the only module that touches it. GitPython is imported lazily, inside the functions."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import time
from dataclasses import dataclass
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


# --- reading history: git objects only, never a checkout, the index or HEAD -------------------


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author: str
    email: str
    date: dt.datetime  # the author date, in the author's time zone
    message: str  # the first line

    @property
    def short(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class Snapshot:
    """A ledger's files at one commit: relative path -> bytes (only what a ledger reads)."""

    commit: CommitInfo
    files: dict[str, bytes]


def open_history(root: Path) -> tuple[Any, str]:
    """The repository holding the ledger, and the ledger's path inside it ('' at the top)."""
    work_tree = find_work_tree(root)
    if work_tree is None:
        raise GitError(f"{root} is not inside a git repository: there is no history to read")
    repo = _repo(work_tree)
    prefix = os.path.relpath(root.resolve(), Path(repo.working_tree_dir).resolve())
    return repo, "" if prefix == "." else prefix.replace(os.sep, "/") + "/"


def _info(commit: Any) -> CommitInfo:
    summary = commit.message.splitlines()[0] if commit.message else ""
    return CommitInfo(
        str(commit.hexsha),
        str(commit.author.name),
        str(commit.author.email),
        commit.authored_datetime,
        summary,
    )


def resolve(repo: Any, rev: str) -> Any:
    """A commit object for rev, or one clear sentence why there is none."""
    import git

    try:
        if not repo.head.is_valid():
            raise GitError("the repository has no commits yet")
    except ValueError:
        raise GitError("the repository has no commits yet") from None
    try:
        commit = repo.commit(rev)
    except (git.BadName, git.BadObject, ValueError, IndexError):
        shallow = (Path(repo.git_dir) / "shallow").exists()
        hint = " (a shallow clone: git fetch --unshallow brings the rest)" if shallow else ""
        if shallow:  # the history is missing here: the environment (exit 3)
            raise GitError(f"unknown revision {rev!r}{hint}") from None
        # a bad revision on the command line is invalid input (exit 1)
        from .errors import InvalidInputError

        raise InvalidInputError(f"unknown revision {rev!r}") from None
    return commit


def snapshot(repo: Any, commit: Any, prefix: str) -> Snapshot:
    """The ledger's goal files, settings and journal as committed."""
    files: dict[str, bytes] = {}
    tree = commit.tree
    for rel in ("smartgoals.yaml", "goals/log.csv"):
        with contextlib.suppress(KeyError):
            files[rel] = tree[prefix + rel].data_stream.read()
    with contextlib.suppress(KeyError):
        for item in tree[prefix + "goals"]:
            if item.type == "blob" and item.name.endswith((".yaml", ".yml")):
                files["goals/" + item.name] = item.data_stream.read()
    return Snapshot(_info(commit), files)


def goal_file_commits(repo: Any, prefix: str) -> list[tuple[CommitInfo, list[str]]]:
    """Every commit that changed a goal file or the settings, oldest first, with its parents."""
    import git

    paths = [f"{prefix}goals/*.yaml", f"{prefix}goals/*.yml", f"{prefix}smartgoals.yaml"]
    try:
        out = repo.git.log("--format=%H %P", "--reverse", "--", *paths)
    except git.GitCommandError as exc:
        if "does not have any commits" in str(exc.stderr):
            return []
        raise GitError(f"git log failed: {_message(exc)}") from None
    result = []
    for line in out.splitlines():
        sha, *parents = line.split()
        result.append((_info(repo.commit(sha)), parents))
    return result


@dataclass(frozen=True)
class Blame:
    commit: CommitInfo | None  # None: the line is not committed yet


def blame(repo: Any, path: str) -> dict[int, Blame]:
    """Who last changed each line of path in the working tree (1-based line -> Blame)."""
    import git

    try:
        out = repo.git.blame("--line-porcelain", "--", path)
    except git.GitCommandError as exc:
        text = str(exc.stderr)
        if "no such path" in text or "does not have any commits" in text or "no such ref" in text:
            return {}
        raise GitError(f"git blame failed: {_message(exc)}") from None
    result: dict[int, Blame] = {}
    cache: dict[str, CommitInfo] = {}
    headers: dict[str, str] = {}
    sha, final = "", 0
    for line in out.splitlines():
        if line.startswith("\t"):
            if set(sha) == {"0"}:
                result[final] = Blame(None)
            else:
                if sha not in cache:
                    zone = _zone(headers.get("author-tz", "+0000"))
                    when = dt.datetime.fromtimestamp(int(headers.get("author-time", "0")), zone)
                    cache[sha] = CommitInfo(
                        sha,
                        headers.get("author", ""),
                        headers.get("author-mail", "").strip("<>"),
                        when,
                        headers.get("summary", ""),
                    )
                result[final] = Blame(cache[sha])
            headers = {}
            continue
        parts = line.split(" ")
        if len(parts) >= 3 and len(parts[0]) == 40 and not headers:
            sha, final = parts[0], int(parts[2])
        else:
            key, _, value = line.partition(" ")
            headers[key] = value
    return result


def _zone(text: str) -> dt.timezone:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    hours, minutes = int(digits[:2] or 0), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def appended_by(repo: Any, path: str, current: bytes) -> dict[int, Blame] | None:
    """Who appended each line of an append-only file, from blob sizes alone: fast where
    `git blame` would diff every version. None when the shortcut does not hold (a merge or an
    edit in the file's history, or a working copy that rewrote committed bytes); use blame."""
    import subprocess

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
    commits: list[tuple[str, CommitInfo]] = []
    for line in out.splitlines():
        sha, parents, stamp, email, name, summary = (line.split("\t", 5) + [""] * 6)[:6]
        if len(parents.split()) > 1:
            return None  # a merge: its lines come from other branches; blame knows which
        when = dt.datetime.fromtimestamp(int(stamp or 0), dt.UTC)
        commits.append((sha, CommitInfo(sha, name, email, when, summary)))
    if not commits:
        return {}
    query = "".join(f"{sha}:{path}\n" for sha, _ in commits).encode()
    done = subprocess.run(
        [repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git", "cat-file", "--batch-check=%(objectsize)"],
        input=query,
        cwd=repo.working_tree_dir,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    sizes = []
    for word in done.stdout.decode().split("\n")[: len(commits)]:
        sizes.append(int(word) if word.isdigit() else 0)
    if any(later < earlier for earlier, later in itertools.pairwise(sizes)):
        return None  # the file shrank: not append-only
    head_blob = repo.commit(commits[-1][0]).tree[path].data_stream.read()
    if not current.startswith(head_blob):
        return None  # committed bytes were changed in the working tree
    from bisect import bisect_left

    result: dict[int, Blame] = {}
    end = 0
    for number, line in enumerate(current.splitlines(keepends=True), start=1):
        end += len(line)
        index = bisect_left(sizes, end)
        result[number] = Blame(commits[index][1] if index < len(commits) else None)
    return result
