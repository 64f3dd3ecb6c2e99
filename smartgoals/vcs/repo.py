"""Finding and opening the repository, running git, and its failures as one actionable sentence."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from smartgoals.errors import GitError
from smartgoals.safetext import clean

# The operations that make committing or syncing unsafe while they are under way.
IN_PROGRESS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or am",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "BISECT_LOG": "a bisect",
}
STRICT_IDENTITY = ("-c", "user.useConfigOnly=true")
# Variables that point git at another repository, work tree or index than the ledger's.
REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")


def find_work_tree(path: Path) -> Path | None:
    """The top of the git work tree holding path, found without starting git; None outside git."""
    here = path.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def open_repository(work_tree: Path) -> Any:
    """The GitPython repository at work_tree (GitError when it is not a usable one)."""
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


def open_history(root: Path) -> tuple[WorkTree, str]:
    """The repository holding the ledger, and the ledger's path inside it ('' at the top);
    GitPython is not imported for it."""
    work_tree = find_work_tree(root)
    if work_tree is None:
        raise GitError(f"{root} is not inside a git repository: there is no history to read")
    repo = open_work_tree(work_tree)
    prefix = os.path.relpath(root.resolve(), Path(repo.working_tree_dir).resolve())
    return repo, "" if prefix == "." else prefix.replace(os.sep, "/") + "/"


class WorkTree:
    """A repository for the write path (log, checkin, undo, import) and for reading history
    (show, history, diff, status --rev, report): its two directories, found with one
    `git rev-parse`, every operation a git command, and objects read through one
    `git cat-file --batch` (vcs.batch). Importing GitPython costs about as much as the rest of a
    `log` run; it stays with commit and sync."""

    __slots__ = ("git_dir", "object_reader", "working_tree_dir")

    def __init__(self, working_tree_dir: str, git_dir: str) -> None:
        self.working_tree_dir = working_tree_dir
        self.git_dir = git_dir
        self.object_reader: Any = None  # vcs.batch's one `git cat-file --batch`, on first use


def git_executable(repo: Any = None) -> str:
    """The git program: GitPython's choice for its repositories, else GIT_PYTHON_GIT_EXECUTABLE
    (which GitPython honours too), else git from PATH."""
    if repo is not None and not isinstance(repo, WorkTree):
        return str(repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git")
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def open_work_tree(work_tree: Path) -> WorkTree:
    """The repository at work_tree for writing; GitError when git is missing or it is not a
    usable repository (dubious ownership included, in git's words)."""
    import subprocess

    # found as the directory's own repository: GIT_DIR and its kin are judged against it later
    # (check_environment), not obeyed here
    env = {k: v for k, v in os.environ.items() if k not in REDIRECTS}
    try:
        done = subprocess.run(
            [git_executable(), "rev-parse", "--absolute-git-dir", "--show-toplevel"],
            cwd=work_tree,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(
            f"git is not available ({exc.strerror or exc}); use --no-commit to record without it"
        ) from None
    lines = done.stdout.decode("utf-8", "surrogateescape").splitlines()
    if done.returncode != 0 or len(lines) != 2:
        failure = Failure(done.stderr, done.returncode)
        raise GitError(f"{work_tree} is not a usable git repository ({failure_message(failure)})")
    return WorkTree(lines[1], lines[0])


class Failure:
    """A git command that failed: its stderr as text and its exit status, for failure_message."""

    def __init__(self, stderr: bytes, status: int) -> None:
        self.stderr = stderr.decode("utf-8", "replace")
        self.status = status


def failure_message(exc: Any) -> str:
    """The first line of git's stderr that says something: GitPython's wrapping, `hint:` lines
    and the `fatal:`/`error:` prefixes removed; else how git ended. One line, escape codes shown."""

    stderr = getattr(exc, "stderr", "") or ""
    if isinstance(stderr, bytes):
        stderr = stderr.decode("utf-8", "replace")
    stderr = stderr.strip()
    stderr = stderr.removeprefix("stderr:").strip()
    if stderr[:1] in ("'", '"') and stderr[-1:] == stderr[:1]:
        stderr = stderr[1:-1]
    for line in stderr.splitlines():
        line = line.strip()
        for prefix in ("fatal:", "error:", "warning:"):
            line = line.removeprefix(prefix).strip()
        if line and not line.startswith(("hint:", "***")):
            return clean(line)
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status < 0:
        return f"git was killed by signal {-status}"
    if isinstance(status, int):
        return f"git exited with code {status}"
    text = str(exc).strip().splitlines()
    return clean(text[0]) if text else type(exc).__name__


def run_git(repo: Any, *args: str, data: bytes | None = None) -> bytes:
    """Run one git command in the repository's work tree; its stdout, or a one-line GitError
    naming the command."""
    import subprocess

    command = [git_executable(repo), *args]
    try:
        done = subprocess.run(
            command,
            input=data,
            stdin=None if data is not None else subprocess.DEVNULL,
            cwd=repo.working_tree_dir,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git {_name(args)} failed: {exc.strerror or exc}") from None
    if done.returncode != 0:
        failure = Failure(done.stderr, done.returncode)
        raise GitError(f"git {_name(args)} failed: {failure_message(failure)}")
    return done.stdout


def _name(args: tuple[str, ...]) -> str:
    """The git subcommand in an argument list (`-c key=value` options skipped)."""
    words = iter(args)
    for word in words:
        if word == "-c":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return "command"


def git_text(repo: Any, *args: str) -> str:
    """Run git as the configured identity only (user.useConfigOnly); its stdout as text,
    stripped, or a one-line GitError."""
    return run_git(repo, *STRICT_IDENTITY, *args).decode("utf-8", "replace").strip()


def check_environment(repo: Any) -> None:
    """Refuse when GIT_DIR, GIT_WORK_TREE or GIT_INDEX_FILE point git elsewhere.

    They are not scrubbed: a commit made with them would land in another repository or build
    on another index (a stale one can delete the journal's history), and silently ignoring a
    variable the user set is no safer. Set to the ledger's own repository, they are fine.
    """
    git_dir = Path(repo.git_dir).resolve()
    own = {
        "GIT_DIR": git_dir,
        "GIT_WORK_TREE": Path(repo.working_tree_dir).resolve(),
        "GIT_INDEX_FILE": git_dir / "index",
    }
    for name in REDIRECTS:
        value = os.environ.get(name)
        if value is None:
            continue
        # git resolves a relative value against its working directory: the work tree
        given = (Path(repo.working_tree_dir) / value).resolve() if value else None
        if given != own[name]:
            raise GitError(
                f"{name}={value} points git at another "
                f"{'index' if name == 'GIT_INDEX_FILE' else 'repository'} than the ledger's "
                f"({own[name]}); unset it to log here, or use --no-commit"
            )


def init_repository(path: Path) -> None:
    """git init, for a new ledger outside any repository."""
    try:
        import git

        git.Repo.init(path)
    except Exception as exc:  # GitPython raises several types when git is missing or fails
        raise GitError(f"git init failed in {path}: {failure_message(exc)}") from None


def own_email(repo: Any) -> str:
    """The email git would put on a commit by the current user ('' when it has none)."""
    ident = run_git(repo, *STRICT_IDENTITY, "var", "GIT_AUTHOR_IDENT").decode("utf-8", "replace")
    start, end = ident.find("<"), ident.find(">")
    return ident[start + 1 : end] if 0 <= start < end else ""


def user_email(root: Path) -> str:
    """git's configured email for the repository holding root (the author of its commits);
    GitError when there is no repository or no email configured."""
    top = find_work_tree(root)
    if top is None:
        raise GitError(
            f"{root} is not in a git repository, so {{user}} in journal: (git's user.email) is "
            "not known"
        )
    try:
        email = own_email(open_work_tree(top))
    except GitError:
        email = ""
    if not email:
        raise GitError(
            "git does not know your email, which names your journal file (journal: "
            "log.d/{user}.csv); run git config user.email you@example.com"
        )
    return email


def ref_names(root: Path, timeout: float = 5.0) -> list[str]:
    """Local and remote branches and tags, as git lists them; none when git cannot say (for
    completion, which must never fail)."""
    import subprocess

    try:
        done = subprocess.run(
            [
                "git",
                "for-each-ref",
                "--format=%(refname:short)",
                "refs/heads",
                "refs/remotes",
                "refs/tags",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return done.stdout.split() if done.returncode == 0 else []


def push_head(work_tree: Path, remote: str, branch: str) -> tuple[int, str, str]:
    """git push --porcelain REMOTE HEAD:refs/heads/BRANCH: (exit status, stdout, stderr); the
    caller reads the refusal (sync tells a moved upstream from a real refusal)."""
    import subprocess

    command = ["git", "push", "--porcelain", remote, f"HEAD:refs/heads/{branch}"]
    try:
        done = subprocess.run(
            command,
            cwd=work_tree,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            check=False,
        )
    except OSError as exc:
        raise GitError(f"git push failed: {exc.strerror or exc}") from None
    return done.returncode, done.stdout, done.stderr
