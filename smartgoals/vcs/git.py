"""Git: the only module that touches it. GitPython is imported lazily, inside the functions."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.files import SHARDS_DIR, is_journal_file, journal_files

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


class _WorkTree:
    """A repository for the write path (log, checkin, undo, import): its two directories, found
    with one `git rev-parse`, and every operation a git command. Importing GitPython costs about
    as much as the rest of a `log` run; it stays with the commands that read history."""

    __slots__ = ("git_dir", "working_tree_dir")

    def __init__(self, working_tree_dir: str, git_dir: str) -> None:
        self.working_tree_dir = working_tree_dir
        self.git_dir = git_dir


def _git_executable(repo: Any = None) -> str:
    """The git program: GitPython's choice for its repositories, else GIT_PYTHON_GIT_EXECUTABLE
    (which GitPython honours too), else git from PATH."""
    if repo is not None and not isinstance(repo, _WorkTree):
        return str(repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git")
    return os.environ.get("GIT_PYTHON_GIT_EXECUTABLE") or "git"


def _work_tree(work_tree: Path) -> _WorkTree:
    """The repository at work_tree for writing; GitError when git is missing or it is not a
    usable repository (dubious ownership included, in git's words)."""
    import subprocess

    # found as the directory's own repository: GIT_DIR and its kin are judged against it later
    # (check_environment), not obeyed here
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
    try:
        done = subprocess.run(
            [_git_executable(), "rev-parse", "--absolute-git-dir", "--show-toplevel"],
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
        failure = _Failure(done.stderr, done.returncode)
        raise GitError(f"{work_tree} is not a usable git repository ({_message(failure)})")
    return _WorkTree(lines[1], lines[0])


def _message(exc: Any) -> str:
    """The first line of git's stderr that says something: GitPython's wrapping, `hint:` lines
    and the `fatal:`/`error:` prefixes removed; else how git ended. One line, escape codes shown."""
    from smartgoals.safetext import clean

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


def _run(repo: Any, *args: str, data: bytes | None = None) -> bytes:
    """Run one git command in the repository's work tree; its stdout, or a one-line GitError
    naming the command."""
    import subprocess

    command = [_git_executable(repo), *args]
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
        failure = _Failure(done.stderr, done.returncode)
        raise GitError(f"git {_name(args)} failed: {_message(failure)}")
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


class _Failure:
    def __init__(self, stderr: bytes, status: int) -> None:
        self.stderr = stderr.decode("utf-8", "replace")
        self.status = status


def check_ready(work_tree: Path) -> Any:
    """Refuse early, before anything is written, when a commit could not be made safely; the
    repository to commit in."""
    repo = _work_tree(work_tree)
    check_environment(repo)
    git_dir = Path(repo.git_dir)
    for name, what in _IN_PROGRESS.items():
        if (git_dir / name).exists():
            raise GitError(
                f"{what} is in progress in {work_tree}; finish or abort it, or use --no-commit"
            )
    # ask git itself, so that every config layer and environment variable counts as git sees
    # it; user.useConfigOnly stops git from inventing a name from passwd or an address from the
    # host name, for the committer as much as for the author
    for who, variable in (("author", "GIT_AUTHOR_IDENT"), ("committer", "GIT_COMMITTER_IDENT")):
        try:
            _run(repo, *_STRICT_IDENTITY, "var", variable)
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


_STRICT_IDENTITY = ("-c", "user.useConfigOnly=true")
# Variables that point git at another repository, work tree or index than the ledger's.
_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")


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
    for name in _REDIRECTS:
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


def journal_filter(repo: Any, rel: str) -> str | None:
    """The clean/smudge filter git applies to rel (e.g. 'lfs'), or None."""
    out = _run(repo, "check-attr", "filter", "--", rel).decode("utf-8", "replace")
    value = out.rstrip("\n").rsplit(": ", 1)[-1]
    return None if value in ("unspecified", "unset", "") else value


def refuse_filtered(repo: Any, rel: str) -> None:
    filtered = journal_filter(repo, rel)
    if filtered is not None:
        raise GitError(
            f"{rel} is under the git filter {filtered!r} (.gitattributes): git would store "
            "other bytes than the journal's, so smartgoals does not use it; remove the filter "
            "for the journal"
        )


def committed_bytes(repo: Any, rel: str) -> bytes | None:
    """HEAD's copy of rel, or None when there is no HEAD yet or HEAD has no such file (one
    `git cat-file --batch`: its answer is `<id> blob <size>` and the bytes, or `... missing`)."""
    out = _run(repo, "cat-file", "--batch", data=f"HEAD:{rel}\n".encode())
    header, _, rest = out.partition(b"\n")
    fields = header.split()
    if len(fields) != 3 or fields[1] != b"blob":
        return None  # missing: no HEAD, or no such path in it
    size = int(fields[2])
    if len(rest) < size:
        raise GitError(f"git cat-file failed: HEAD:{rel} was cut short")
    return rest[:size]


def head_sha(repo: Any) -> str | None:
    """HEAD's commit id, or None when HEAD has no commit yet (an unborn branch)."""
    try:
        out = _run(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return None
    return out.decode().strip() or None


def check_would_commit(repo: Any, rel: str, expected: bytes) -> str:
    """Refuse unless committing rel now stores exactly `expected` (compared as git blobs, so
    after git's own line-end conversion); the expected blob's id."""
    stored = _run(repo, "hash-object", "--", rel).strip().decode()
    wanted = _run(repo, "hash-object", "--no-filters", "--stdin", data=expected).strip().decode()
    if stored != wanted:
        raise GitError(
            f"{rel} is not what HEAD holds plus the new row (lines not committed yet, edited "
            f"or removed); commit or restore them first (git diff -- {rel} shows them), or use "
            "--no-commit"
        )
    return wanted


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
    rel = os.path.relpath(path, repo.working_tree_dir).replace(os.sep, "/")
    before = head_sha(repo)
    tracked = False
    blob = ""
    try:
        tracked = bool(_run(repo, "ls-files", "--", rel).strip())
        if not tracked:
            _run(repo, "add", "--", rel)
        blob = check_would_commit(repo, rel, expected)
        _run(repo, *_STRICT_IDENTITY, "commit", "--only", "--quiet", "-m", message, "--", rel)
    except GitError as exc:
        landed = _landed(repo, before, rel, blob) if blob else None
        if landed is not None:
            return landed, f"{exc}; but the commit was made ({landed[:10]}), so the value is kept"
        if not tracked:
            with contextlib.suppress(GitError):
                _run(repo, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel)
        raise _commit_failure(exc) from None
    return _moved_head(repo, before), None


class AppendBase(NamedTuple):
    """What one append-and-commit builds on, read before the append with two git commands
    (check-attr and one cat-file --batch-check) instead of six: HEAD's commit, HEAD's blob of
    the file (its id and size, never its bytes), whether the index knows the file, and whether
    git would convert its bytes when committing (ident or working-tree-encoding)."""

    head: str | None  # None: an unborn branch
    blob: str | None  # HEAD's object id of the file; None: HEAD has no such file
    size: int
    tracked: bool  # the index has an entry for the path (in any stage)
    converts: bool


def append_base(repo: Any, rel: str) -> AppendBase:
    """The state the append to rel builds on; GitError when the file is under a filter."""
    out = _run(repo, "check-attr", "filter", "ident", "working-tree-encoding", "--", rel).decode(
        "utf-8", "replace"
    )
    values = {}
    for line in out.splitlines():
        name, _, value = line.rpartition(": ")
        values[name.rpartition(": ")[2]] = value
    if values.get("filter", "unspecified") not in ("unspecified", "unset", ""):
        raise GitError(
            f"{rel} is under the git filter {values['filter']!r} (.gitattributes): git would "
            "store other bytes than the journal's, so smartgoals does not use it; remove the "
            "filter for the journal"
        )
    converts = any(
        values.get(name, "unspecified") not in ("unspecified", "unset", "")
        for name in ("ident", "working-tree-encoding")
    )
    names = ["HEAD^{commit}", f"HEAD:{rel}", f":{rel}", f":1:{rel}", f":2:{rel}", f":3:{rel}"]
    query = "".join(f"{name}\n" for name in names).encode()
    answers = _run(repo, "cat-file", "--batch-check", data=query).decode().splitlines()
    fields = [answer.split() for answer in answers]
    if len(fields) != len(names):
        raise GitError("git cat-file failed: it answered fewer questions than asked")
    found = [len(f) == 3 and not f[-1].startswith("missing") for f in fields]
    head = fields[0][0] if found[0] and fields[0][1] == "commit" else None
    blob = fields[1][0] if found[1] and fields[1][1] == "blob" else None
    return AppendBase(head, blob, int(fields[1][2]) if blob else 0, any(found[2:]), converts)


def commit_append(
    repo: Any, path: Path, message: str, base: AppendBase, appended: bytes
) -> tuple[str, str | None]:
    """commit_file for an append: commit exactly this file, which must be HEAD's copy (base)
    plus the appended bytes, as git will store it. Checked in Python where git would store the
    working bytes unchanged (no carriage return in them, no ident or working-tree-encoding):
    the bytes up to HEAD's size hash to HEAD's blob id and the rest are the appended bytes, read
    in chunks; only where git could convert them is git asked to hash the file. The same
    outcome rules as commit_file."""
    rel = os.path.relpath(path, repo.working_tree_dir).replace(os.sep, "/")
    before = base.head
    checked = False
    try:
        if not base.tracked:
            _run(repo, "add", "--", rel)
        if not _append_is_stored(repo, path, rel, base, appended):
            raise GitError(
                f"{rel} is not what HEAD holds plus the new row (lines not committed yet, "
                f"edited or removed); commit or restore them first (git diff -- {rel} shows "
                "them), or use --no-commit"
            )
        checked = True
        _run(repo, *_STRICT_IDENTITY, "commit", "--only", "--quiet", "-m", message, "--", rel)
    except GitError as exc:
        landed = _landed_append(repo, before, rel, base, appended) if checked else None
        if landed is not None:
            return landed, f"{exc}; but the commit was made ({landed[:10]}), so the value is kept"
        if not base.tracked:
            with contextlib.suppress(GitError):
                _run(repo, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel)
        raise _commit_failure(exc) from None
    return _moved_head(repo, before), None


def _commit_failure(exc: GitError) -> GitError:
    """A failed commit, worded for the user (`git add` of a first journal is part of it)."""
    text = str(exc)
    if text.startswith("git add failed: "):
        text = "git commit failed: " + text.removeprefix("git add failed: ")
    return GitError(text)


def _moved_head(repo: Any, before: str | None) -> str:
    """HEAD after a commit git reported as made; an error when it did not move."""
    sha = head_sha(repo)
    if sha is None or sha == before:
        raise GitError("git commit failed: it reported success but HEAD did not move")
    return sha


_CHUNK = 1 << 20


def _append_is_stored(repo: Any, path: Path, rel: str, base: AppendBase, appended: bytes) -> bool:
    """Whether committing rel now stores HEAD's copy plus appended (see commit_append)."""
    digest = _blob_hasher(base.blob, base.size)
    carriage = False
    try:
        with path.open("rb") as handle:
            left = base.size
            while left:
                chunk = handle.read(min(left, _CHUNK))
                if not chunk:
                    break
                digest.update(chunk)
                carriage = carriage or b"\r" in chunk
                left -= len(chunk)
            tail = handle.read()
    except OSError:
        return False
    carriage = carriage or b"\r" in tail or b"\r" in appended
    if not carriage and not base.converts:  # git stores these bytes as they are
        same = base.blob is None or (not left and digest.hexdigest() == base.blob)
        return same and tail == appended
    # git may convert line ends (core.autocrlf, eol) or more: ask it, as the commit will
    stored = _run(repo, "hash-object", "--", rel).strip().decode()
    committed = _run(repo, "cat-file", "blob", base.blob) if base.blob else b""
    wanted = _run(repo, "hash-object", "--no-filters", "--stdin", data=committed + appended)
    return stored == wanted.strip().decode()


def _blob_hasher(blob: str | None, size: int) -> Any:
    """A hash object fed `blob SIZE\\0`, for git's id of a blob of that size: SHA-1, or SHA-256
    when the repository's ids are 64 hex digits."""
    import hashlib

    digest = hashlib.sha256() if blob is not None and len(blob) == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % size)
    return digest


def _landed_append(
    repo: Any, before: str | None, rel: str, base: AppendBase, appended: bytes
) -> str | None:
    """The new HEAD, when it is a commit on `before` whose copy of rel is base plus appended
    (read back and compared: the expected blob id is never computed on the way)."""
    try:
        out = _run(repo, "rev-parse", "HEAD", "HEAD^@")
        shas = out.decode().split()
        if not shas or shas[0] == before:
            return None
        if shas[1:] != ([before] if before else []):
            return None
        out = _run(repo, "cat-file", "--batch", data=f"HEAD:{rel}\n".encode())
    except GitError:
        return None
    header, _, rest = out.partition(b"\n")
    fields = header.split()
    if len(fields) != 3 or fields[1] != b"blob" or int(fields[2]) != base.size + len(appended):
        return None
    stored = rest[: base.size + len(appended)]
    digest = _blob_hasher(base.blob, base.size)
    digest.update(memoryview(stored)[: base.size])
    if base.blob is not None and digest.hexdigest() != base.blob:
        return None
    return shas[0] if stored[base.size :] == appended else None


def _landed(repo: Any, before: str | None, rel: str, blob: str) -> str | None:
    """The new HEAD, when it is a commit on `before` that stores rel as blob; else None."""
    try:
        out = _run(repo, "rev-parse", "HEAD", "HEAD^@")
        shas = out.decode().split()
        if not shas or shas[0] == before:
            return None
        parents = shas[1:]
        if parents != ([before] if before else []):
            return None
        stored = _run(repo, "rev-parse", "--verify", "--quiet", f"HEAD:{rel}").strip().decode()
    except GitError:
        return None
    return shas[0] if stored == blob else None


def init_repository(path: Path) -> None:
    """git init, for a new ledger outside any repository."""
    try:
        import git

        git.Repo.init(path)
    except Exception as exc:  # GitPython raises several types when git is missing or fails
        raise GitError(f"git init failed in {path}: {_message(exc)}") from None


# --- reading history: git objects only, never a checkout, the index or HEAD -------------------


class CommitInfo(NamedTuple):
    sha: str
    author: str
    email: str
    date: dt.datetime  # the author date, in the author's time zone
    message: str  # the first line

    @property
    def short(self) -> str:
        return self.sha[:10]


class Snapshot(NamedTuple):
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
        commit.tree  # noqa: B018 - read the object now: beyond a shallow clone's depth it is missing
    except (git.BadName, git.BadObject, ValueError, IndexError):
        if _shallow_hint(repo):  # the history is missing here: the environment (exit 3)
            raise GitError(f"unknown revision {rev!r}{_shallow_hint(repo)}") from None
        # a bad revision on the command line is invalid input (exit 1)
        from smartgoals.errors import InvalidInputError

        raise InvalidInputError(f"unknown revision {rev!r}") from None
    return commit


def resolve_rev(repo: Any, rev: str) -> Any:
    """resolve, with a revision that names ancestors (`HEAD~5000`, `main^2`, `@{1}`) found by
    one `git rev-parse`: GitPython walks such a path one parent at a time in Python. Any
    failure goes through resolve, for its one clear sentence."""
    if not any(mark in rev for mark in "~^@:") or rev.startswith("-"):
        return resolve(repo, rev)
    try:
        sha = _run(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        return resolve(repo, rev)
    return resolve(repo, sha.decode("ascii", "replace")) if sha else resolve(repo, rev)


def _shallow_hint(repo: Any) -> str:
    if (Path(repo.git_dir) / "shallow").exists():
        return " (beyond this shallow clone's depth: git fetch --unshallow brings the rest)"
    return ""


def _missing_object(repo: Any, what: str) -> GitError:
    hint = _shallow_hint(repo) or " (the repository is missing objects: git fsck says which)"
    return GitError(f"cannot read {what}{hint}")


def snapshot(repo: Any, commit: Any, prefix: str) -> Snapshot:
    """The ledger's goal files, settings and journal (goals/log.csv and goals/log.d/*.csv) as
    committed.

    A journal under a clean/smudge filter (git LFS, say) is refused: its committed bytes are a
    pointer, not the journal."""
    files: dict[str, bytes] = {}
    try:
        tree = commit.tree
        for rel in ("smartgoals.yaml", "goals/log.csv"):
            with contextlib.suppress(KeyError):
                files[rel] = tree[prefix + rel].data_stream.read()
        with contextlib.suppress(KeyError):
            for item in tree[prefix + "goals"]:
                if item.type == "blob" and item.name.endswith((".yaml", ".yml")):
                    files["goals/" + item.name] = item.data_stream.read()
        with contextlib.suppress(KeyError):  # the journal's shards
            for item in tree[prefix + SHARDS_DIR]:
                rel = f"{SHARDS_DIR}/{item.name}"
                if item.type == "blob" and is_journal_file(rel):
                    files[rel] = item.data_stream.read()
        info = _info(commit)
    except ValueError:  # GitPython's word for an object that is not there
        raise _missing_object(repo, f"commit {commit.hexsha[:10]}") from None
    for rel in journal_files(files):
        journal = files[rel]
        if journal.startswith(b"version https://git-lfs") or _filtered(repo, prefix + rel):
            raise GitError(
                f"{prefix}{rel} is stored through a git filter (such as LFS) at "
                f"{info.short}: its committed bytes are not the journal; smartgoals does not "
                "read it"
            )
    return Snapshot(info, files)


_FILTER_CHECKED: dict[tuple[str, str], bool] = {}


def _filtered(repo: Any, rel: str) -> bool:
    """Whether .gitattributes puts rel under a filter (asked once per repository and path)."""
    key = (str(repo.git_dir), rel)
    if key not in _FILTER_CHECKED:
        try:
            _FILTER_CHECKED[key] = journal_filter(repo, rel) is not None
        except GitError:
            _FILTER_CHECKED[key] = False
    return _FILTER_CHECKED[key]


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
        try:
            result.append((_info(repo.commit(sha)), parents))
        except ValueError:
            raise _missing_object(repo, f"commit {sha[:10]}") from None
    return result


class Blame(NamedTuple):
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

    commits = _first_parent_commits(repo, path)  # None after a merge: blame knows which
    if commits is None:
        return None
    if not commits:
        return {}
    query = "".join(f"{info.sha}:{path}\n" for info in commits).encode()
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
    try:
        head_blob = repo.commit(commits[-1].sha).tree[path].data_stream.read()
    except (ValueError, KeyError):
        return None
    if not current.startswith(head_blob):
        return None  # committed bytes were changed in the working tree
    from bisect import bisect_left

    result: dict[int, Blame] = {}
    # one Blame per commit, shared by its lines (a million rows made a million objects)
    blames = [Blame(info) for info in commits] + [Blame(None)]
    end = 0
    for number, line in enumerate(current.splitlines(keepends=True), start=1):
        end += len(line)
        result[number] = blames[bisect_left(sizes, end)]
    return result


def line_authors(
    repo: Any, path: str, current: bytes, lines: Sequence[int]
) -> list[CommitInfo | None]:
    """Who appended each of `lines` (1-based, numbered as bytes.splitlines numbers them) of
    path, whose working-tree bytes are current: one entry per asked line, in their order; None
    for a line not committed yet. Answers what blame and appended_by answer for those lines,
    keeping nothing per line of the rest of the file (a metric's 11k rows of a 1M-row journal
    need 11k entries, not a million): from blob sizes when the file's history only appended,
    else from `git blame --porcelain` read as it streams."""
    found = _appended_lines(repo, path, current, lines)
    return found if found is not None else _blamed_lines(repo, path, lines)


def _first_parent_commits(repo: Any, path: str) -> list[CommitInfo] | None:
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


def _appended_lines(
    repo: Any, path: str, current: bytes, lines: Sequence[int]
) -> list[CommitInfo | None] | None:
    """appended_by for the asked lines only; None when its shortcut does not hold. HEAD's copy
    is compared by its object id (the working bytes up to its size, hashed as git hashes a
    blob), so it is never read."""
    import subprocess
    from bisect import bisect_left

    commits = _first_parent_commits(repo, path)
    if commits is None:
        return None
    if not commits:
        return [None] * len(lines)
    query = "".join(f"{info.sha}:{path}\n" for info in commits).encode()
    done = subprocess.run(
        [_git_executable(repo), "cat-file", "--batch-check=%(objectname) %(objectsize)"],
        input=query,
        cwd=repo.working_tree_dir,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    sizes: list[int] = []
    last_id = ""
    for answer in done.stdout.decode().split("\n")[: len(commits)]:
        name, _, size = answer.partition(" ")
        found = size.isdigit()
        sizes.append(int(size) if found else 0)
        last_id = name if found else ""
    if len(sizes) != len(commits) or not last_id:
        return None  # HEAD's line of history deleted the file last
    if any(later < earlier for earlier, later in itertools.pairwise(sizes)):
        return None  # the file shrank: not append-only
    if sizes[-1] > len(current) or _blob_id(current, sizes[-1], len(last_id)) != last_id:
        return None  # committed bytes were changed in the working tree
    ends = _lines_ended_by(current, sizes)
    owners: list[CommitInfo | None] = [*commits, None]
    return [owners[bisect_left(ends, line)] for line in lines]


def _blob_id(data: bytes, size: int, hex_length: int) -> str:
    """git's object id of data[:size] as a blob (SHA-1, or SHA-256 for 64-digit ids), without
    copying the bytes."""
    import hashlib

    digest = hashlib.sha256() if hex_length == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % size)
    digest.update(memoryview(data)[:size])
    return digest.hexdigest()


def _lines_ended_by(data: bytes, stops: Sequence[int]) -> list[int]:
    """For each offset in stops (ascending, within data): how many lines of data, as
    bytes.splitlines splits them (\\n, \\r\\n or \\r), end at or before it. Counted in C between
    consecutive offsets; no line is ever split off."""
    size = len(data)
    carriage = b"\r" in data
    newlines = returns = pairs = 0
    previous = 0
    result: list[int] = []
    for stop in stops:
        newlines += data.count(b"\n", previous, stop)
        if carriage and previous < stop:
            returns += data.count(b"\r", previous, stop)
            pairs += data.count(b"\r\n", previous, stop)
            if previous > 0 and data[previous - 1 : previous + 1] == b"\r\n":
                pairs += 1  # a pair across the previous offset, now wholly before this one
        previous = stop
        # a \r ends a line unless a \n follows it (that pair ends one line, at the \n)
        ended = newlines + returns - pairs
        if carriage and 0 < stop < size and data[stop - 1 : stop + 1] == b"\r\n":
            ended -= 1  # its \r is before the offset, the \n that ends the line after it
        if stop == size and size and data[-1:] not in (b"\n", b"\r"):
            ended += 1  # the last line has no line break: it ends with the data
        result.append(ended)
    return result


def _blamed_lines(repo: Any, path: str, lines: Sequence[int]) -> list[CommitInfo | None]:
    """blame for the asked lines only: `git blame --porcelain` read line by line as git writes
    it, keeping each commit's details once and the commit of the asked lines alone."""
    import subprocess
    import tempfile

    wanted = set(lines)
    owner: dict[int, str] = {}
    details: dict[str, dict[str, str]] = {}
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                [_git_executable(repo), "blame", "--porcelain", "--", path],
                cwd=repo.working_tree_dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        except OSError as exc:
            raise GitError(f"git blame failed: {exc.strerror or exc}") from None
        assert process.stdout is not None
        sha, final, header = "", 0, True
        with process.stdout:
            for raw in process.stdout:
                if raw.startswith(b"\t"):
                    header = True  # the line's content; the next line is a new header
                    continue
                text = raw.decode("utf-8", "replace").rstrip("\n")
                if header:
                    parts = text.split(" ")
                    sha, final, header = parts[0], int(parts[2]), False
                    if final in wanted:
                        owner[final] = sha
                    details.setdefault(sha, {})
                    continue
                key, _, value = text.partition(" ")
                details[sha][key] = value
        status = process.wait()
        errors.seek(0)
        stderr = errors.read()
    if status != 0:
        text = stderr.decode("utf-8", "replace")
        if "no such path" in text or "does not have any commits" in text or "no such ref" in text:
            return [None] * len(lines)
        raise GitError(f"git blame failed: {_message(_Failure(stderr, status))}")
    infos: dict[str, CommitInfo | None] = {}
    for sha in set(owner.values()):
        if set(sha) == {"0"}:
            infos[sha] = None  # not committed yet
            continue
        headers = details[sha]
        zone = _zone(headers.get("author-tz", "+0000"))
        when = dt.datetime.fromtimestamp(int(headers.get("author-time", "0")), zone)
        infos[sha] = CommitInfo(
            sha,
            headers.get("author", ""),
            headers.get("author-mail", "").strip("<>"),
            when,
            headers.get("summary", ""),
        )
    return [infos[owner[line]] if line in owner else None for line in lines]


# --- undo: the current user's last recording commit, and whether it left this clone ----------

RECORDING_SUBJECTS = ("log:", "check-in")  # commits `undo` may cancel
UNDO_SUBJECT = "undo:"  # `undo: <sha10> (...)`: the commit it cancelled is not undone again


def _own_email(repo: Any) -> str:
    ident = _run(repo, *_STRICT_IDENTITY, "var", "GIT_AUTHOR_IDENT").decode("utf-8", "replace")
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
        email = _own_email(_work_tree(top))
    except GitError:
        email = ""
    if not email:
        raise GitError(
            "git does not know your email, which names your journal file (journal: "
            "log.d/{user}.csv); run git config user.email you@example.com"
        )
    return email


def last_own_commit(
    root: Path, rel: str, also: tuple[str, ...] = ()
) -> tuple[CommitInfo, bytes, bytes] | None:
    """The current user's newest log or check-in commit on HEAD's first-parent line that
    changed rel (or one of `also`) and was not undone yet, with rel's bytes before and after
    it; None if none."""
    import git

    repo, prefix = open_history(root)
    try:
        email = _own_email(repo)
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
        after = _blob(commit, path)
        before = _blob(commit.parents[0], path) if commit.parents else b""
        return _info(commit), before, after
    return None


def _blob(commit: Any, path: str) -> bytes:
    try:
        return bytes(commit.tree[path].data_stream.read())
    except KeyError:
        return b""


def pushed_to(root: Path, sha: str) -> str:
    """A remote-tracking branch that already holds the commit ('' when none does)."""
    repo, _prefix = open_history(root)
    out = _run(repo, "for-each-ref", "--contains", sha, "--format=%(refname:short)", "refs/remotes")
    names = out.decode("utf-8", "replace").split()
    return names[0] if names else ""


def commit_paths(repo: Any, expected: dict[Path, bytes], message: str) -> tuple[str, str | None]:
    """commit_file for several files in one commit (a check-in: the journal and
    goals/checkins.csv): each must store exactly its expected bytes; nothing else is swept in.
    The same outcome rules: a commit that landed is kept with a warning, else GitError."""
    rels = {
        path: os.path.relpath(path, repo.working_tree_dir).replace(os.sep, "/") for path in expected
    }
    before = head_sha(repo)
    added: list[str] = []
    blobs: dict[str, str] = {}
    try:
        for path, rel in rels.items():
            if not _run(repo, "ls-files", "--", rel).strip():
                _run(repo, "add", "--", rel)
                added.append(rel)
            blobs[rel] = check_would_commit(repo, rel, expected[path])
        _run(
            repo,
            *_STRICT_IDENTITY,
            "commit",
            "--only",
            "--quiet",
            "-m",
            message,
            "--",
            *rels.values(),
        )
    except GitError as exc:
        if len(blobs) == len(rels):
            landed = {rel: _landed(repo, before, rel, blob) for rel, blob in blobs.items()}
            shas = set(landed.values())
            if len(shas) == 1 and None not in shas:
                sha = shas.pop()
                assert sha is not None
                return sha, f"{exc}; but the commit was made ({sha[:10]}), so the values are kept"
        for rel in added:
            with contextlib.suppress(GitError):
                _run(repo, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel)
        raise _commit_failure(exc) from None
    return _moved_head(repo, before), None


# --- helpers for sync, init and completion: their git calls, kept in this module ------------

IN_PROGRESS = _IN_PROGRESS  # the operations that make committing or syncing unsafe


def open_repository(work_tree: Path) -> Any:
    """The repository at work_tree (GitError when it is not a usable one)."""
    return _repo(work_tree)


def git_text(repo: Any, *args: str) -> str:
    """Run git as the configured identity only (user.useConfigOnly); its stdout as text,
    stripped, or a one-line GitError."""
    return _run(repo, *_STRICT_IDENTITY, *args).decode("utf-8", "replace").strip()


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


def commit_new_files(
    work_tree: Path, rels: list[str], message: str
) -> tuple[str | None, str | None]:
    """Stage rels and make a commit of them as the configured identity: (sha, None), or
    (None, why not), leaving nothing of rels staged."""
    try:
        repo = _repo(work_tree)
    except GitError as exc:
        return None, str(exc)
    try:
        _run(repo, "add", "--", *rels)
        _run(repo, *_STRICT_IDENTITY, "commit", "--quiet", "-m", message)
        return head_sha(repo), None
    except GitError as exc:
        with contextlib.suppress(GitError):
            _run(repo, "rm", "--cached", "-r", "--quiet", "--ignore-unmatch", "--", *rels)
        return None, str(exc)


def file_commit_date(path: Path) -> tuple[dt.date | None, bool]:
    """The date of the last commit that changed path (committer date, its own time zone), and
    whether the file differs from that commit now; (None, True) outside git or uncommitted."""
    work_tree = find_work_tree(path.parent)
    if work_tree is None:
        return None, True
    repo = _repo(work_tree)
    rel = os.path.relpath(path.resolve(), work_tree).replace(os.sep, "/")
    try:
        day = _run(repo, "log", "-1", "--format=%cs", "--", rel).decode().strip()
        dirty = bool(_run(repo, "status", "--porcelain", "--", rel).strip())
    except GitError:
        return None, True
    return (dt.date.fromisoformat(day) if day else None), dirty or not day
