"""What git has stored: commits and their details, revisions resolved, blobs and a ledger's
files read at a commit (never a checkout, the index or HEAD's working copy)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError, InvalidInputError
from smartgoals.files import SHARDS_DIR, is_journal_file, journal_files
from smartgoals.vcs.repo import run_git


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


def commit_info(commit: Any) -> CommitInfo:
    """The details of a GitPython commit."""
    summary = commit.message.splitlines()[0] if commit.message else ""
    return CommitInfo(
        str(commit.hexsha),
        str(commit.author.name),
        str(commit.author.email),
        commit.authored_datetime,
        summary,
    )


def head_sha(repo: Any) -> str | None:
    """HEAD's commit id, or None when HEAD has no commit yet (an unborn branch)."""
    try:
        out = run_git(repo, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return None
    return out.decode().strip() or None


def blob_hasher(hex_length: int, size: int) -> Any:
    """A hash object fed `blob SIZE\\0`, for git's id of a blob of that size: SHA-1, or SHA-256
    when the repository's ids are 64 hex digits."""
    import hashlib

    digest = hashlib.sha256() if hex_length == 64 else hashlib.sha1()
    digest.update(b"blob %d\0" % size)
    return digest


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
        if shallow_hint(repo):  # the history is missing here: the environment (exit 3)
            raise GitError(f"unknown revision {rev!r}{shallow_hint(repo)}") from None
        # a bad revision on the command line is invalid input (exit 1)

        raise InvalidInputError(f"unknown revision {rev!r}") from None
    return commit


def resolve_rev(repo: Any, rev: str) -> Any:
    """resolve, with a revision that names ancestors (`HEAD~5000`, `main^2`, `@{1}`) found by
    one `git rev-parse`: GitPython walks such a path one parent at a time in Python. Any
    failure goes through resolve, for its one clear sentence."""
    if not any(mark in rev for mark in "~^@:") or rev.startswith("-"):
        return resolve(repo, rev)
    try:
        sha = run_git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").strip()
    except GitError:
        return resolve(repo, rev)
    return resolve(repo, sha.decode("ascii", "replace")) if sha else resolve(repo, rev)


def shallow_hint(repo: Any) -> str:
    """Why history may be missing: this clone is shallow ('' when it is not)."""
    if (Path(repo.git_dir) / "shallow").exists():
        return " (beyond this shallow clone's depth: git fetch --unshallow brings the rest)"
    return ""


def missing_object(repo: Any, what: str) -> GitError:
    """The error for an object git should have and does not."""
    hint = shallow_hint(repo) or " (the repository is missing objects: git fsck says which)"
    return GitError(f"cannot read {what}{hint}")


def journal_filter(repo: Any, rel: str) -> str | None:
    """The clean/smudge filter git applies to rel (e.g. 'lfs'), or None."""
    out = run_git(repo, "check-attr", "filter", "--", rel).decode("utf-8", "replace")
    value = out.rstrip("\n").rsplit(": ", 1)[-1]
    return None if value in ("unspecified", "unset", "") else value


def committed_bytes(repo: Any, rel: str) -> bytes | None:
    """HEAD's copy of rel, or None when there is no HEAD yet or HEAD has no such file (one
    `git cat-file --batch`: its answer is `<id> blob <size>` and the bytes, or `... missing`)."""
    out = run_git(repo, "cat-file", "--batch", data=f"HEAD:{rel}\n".encode())
    header, _, rest = out.partition(b"\n")
    fields = header.split()
    if len(fields) != 3 or fields[1] != b"blob":
        return None  # missing: no HEAD, or no such path in it
    size = int(fields[2])
    if len(rest) < size:
        raise GitError(f"git cat-file failed: HEAD:{rel} was cut short")
    return rest[:size]


def committed_blob(commit: Any, path: str) -> bytes:
    """A file's bytes in a commit (b"" when the commit has no such file)."""
    try:
        return bytes(commit.tree[path].data_stream.read())
    except KeyError:
        return b""
    except ValueError:  # GitPython's word for an object that is not there
        raise GitError(f"cannot read {path} at {commit.hexsha[:10]} (missing objects)") from None


def file_at(repo: Any, rev: str, path: str) -> bytes:
    """path's bytes as committed at rev (b"" when rev has no such file)."""
    return committed_blob(resolve(repo, rev), path)


def file_around(repo: Any, rev: str, path: str) -> tuple[bytes, bytes]:
    """path's bytes before (in rev's first parent) and after the commit rev."""
    commit = resolve(repo, rev)
    after = committed_blob(commit, path)
    before = committed_blob(commit.parents[0], path) if commit.parents else b""
    return before, after


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
        info = commit_info(commit)
    except ValueError:  # GitPython's word for an object that is not there
        raise missing_object(repo, f"commit {commit.hexsha[:10]}") from None
    for rel in journal_files(files):
        journal = files[rel]
        if journal.startswith(b"version https://git-lfs") or _filtered(repo, prefix + rel):
            raise GitError(
                f"{prefix}{rel} is stored through a git filter (such as LFS) at "
                f"{info.short}: its committed bytes are not the journal; smartgoals does not "
                "read it"
            )
    return Snapshot(info, files)


def snapshot_at(repo: Any, sha: str, prefix: str) -> Snapshot:
    """snapshot of the commit with this full id (one that a log of the repository named)."""
    return snapshot(repo, repo.commit(sha), prefix)


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
