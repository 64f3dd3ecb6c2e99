"""Committing an append to the journal: the state it builds on, read before the append, and a
commit of HEAD's copy plus the appended bytes, checked in Python where git stores bytes as is."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.vcs.commit import (
    commit_failure,
    commit_only,
    moved_head,
    new_head,
    relative,
    unstage,
)
from smartgoals.vcs.objects import blob_hasher
from smartgoals.vcs.repo import run_git

_CHUNK = 1 << 20


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
    # what the file held before the append when HEAD has no copy of it (a new repository's
    # first log: the header `init` wrote); the caller has accepted these bytes into the commit
    uncommitted: bytes = b""


def append_base(repo: Any, rel: str) -> AppendBase:
    """The state the append to rel builds on; GitError when the file is under a filter."""
    out = run_git(repo, "check-attr", "filter", "ident", "working-tree-encoding", "--", rel)
    values = {}
    for line in out.decode("utf-8", "replace").splitlines():
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
    answers = run_git(repo, "cat-file", "--batch-check", data=query).decode().splitlines()
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
    rel = relative(repo, path)
    before = base.head
    checked = False
    try:
        if not base.tracked:
            run_git(repo, "add", "--", rel)
        if not _append_is_stored(repo, path, rel, base, appended):
            raise GitError(
                f"{rel} is not what HEAD holds plus the new row (lines not committed yet, "
                f"edited or removed); commit or restore them first (git diff -- {rel} shows "
                "them), or use --no-commit"
            )
        checked = True
        commit_only(repo, message, [rel])
    except GitError as exc:
        landed = _landed_append(repo, before, rel, base, appended) if checked else None
        if landed is not None:
            return landed, f"{exc}; but the commit was made ({landed[:10]}), so the value is kept"
        if not base.tracked:
            unstage(repo, [rel])
        raise commit_failure(exc) from None
    return moved_head(repo, before), None


def _hasher(base: AppendBase) -> Any:
    return blob_hasher(len(base.blob or ""), base.size)


def _append_is_stored(repo: Any, path: Path, rel: str, base: AppendBase, appended: bytes) -> bool:
    """Whether committing rel now stores HEAD's copy plus appended (see commit_append)."""
    digest = _hasher(base)
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
        return same and tail == base.uncommitted + appended
    # git may convert line ends (core.autocrlf, eol) or more: ask it, as the commit will
    stored = run_git(repo, "hash-object", "--", rel).strip().decode()
    committed = run_git(repo, "cat-file", "blob", base.blob) if base.blob else base.uncommitted
    wanted = run_git(repo, "hash-object", "--no-filters", "--stdin", data=committed + appended)
    return stored == wanted.strip().decode()


def _landed_append(
    repo: Any, before: str | None, rel: str, base: AppendBase, appended: bytes
) -> str | None:
    """The new HEAD, when it is a commit on `before` whose copy of rel is base plus appended
    (read back and compared: the expected blob id is never computed on the way)."""
    sha = new_head(repo, before)
    if sha is None:
        return None
    try:
        out = run_git(repo, "cat-file", "--batch", data=f"HEAD:{rel}\n".encode())
    except GitError:
        return None
    header, _, rest = out.partition(b"\n")
    fields = header.split()
    added = base.uncommitted + appended
    if len(fields) != 3 or fields[1] != b"blob" or int(fields[2]) != base.size + len(added):
        return None
    stored = rest[: base.size + len(added)]
    digest = _hasher(base)
    digest.update(memoryview(stored)[: base.size])
    if base.blob is not None and digest.hexdigest() != base.blob:
        return None
    return sha if stored[base.size :] == added else None
