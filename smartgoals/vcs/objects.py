"""What git has stored: commits and their details, revisions resolved, blobs and a ledger's
files read at a commit (never a checkout, the index or HEAD's working copy), all through the
repository's one `git cat-file --batch` (vcs.batch): commits and trees are parsed here."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError, InvalidInputError
from smartgoals.files import SHARDS_DIR, is_journal_file, journal_files
from smartgoals.vcs.batch import object_reader
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


class Commit(NamedTuple):
    """A commit as stored: its tree, its parents' ids and its details."""

    sha: str
    tree: str
    parents: tuple[str, ...]
    info: CommitInfo


# `Name <email> 1700000000 +0100`, read as GitPython reads an author line
_ACTOR_EPOCH = re.compile(r"^(.*) (\d+) ([+-]\d+).*$")
_NAME_EMAIL = re.compile(r"(.*) <(.*?)>")


def parse_commit(sha: str, data: bytes) -> Commit:
    """A commit object's bytes: its headers (continuation lines, such as a signature's, skipped),
    the author, the first line of the message, decoded in the commit's own encoding."""
    head, _, body = data.partition(b"\n\n")
    tree, parents, author, encoding = "", [], b"", "utf-8"
    for line in head.split(b"\n"):
        key, _, value = line.partition(b" ")
        if key == b"tree" and not tree:
            tree = value.decode("ascii", "replace")
        elif key == b"parent":
            parents.append(value.decode("ascii", "replace"))
        elif key == b"author" and not author:
            author = value
        elif key == b"encoding":
            encoding = value.decode("ascii", "replace")
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "utf-8"
    name, email, when = _actor(author.decode(encoding, "replace"))
    message = body.decode(encoding, "replace")
    summary = message.splitlines()[0] if message else ""
    return Commit(sha, tree, tuple(parents), CommitInfo(sha, name, email, when, summary))


def _actor(text: str) -> tuple[str, str, dt.datetime]:
    """Name, email and the date in the author's own time zone (epoch 0, UTC when unreadable)."""
    epoch, offset = 0, 0
    found = _ACTOR_EPOCH.search(text)
    if found:
        text, stamp, zone = found.groups()
        epoch = int(stamp)
        sign = -1 if zone.startswith("-") else 1
        digits = zone[1:].rjust(4, "0")
        offset = sign * (int(digits[:-2]) * 3600 + int(digits[-2:]) * 60)
    pair = _NAME_EMAIL.search(text)
    name, email = (pair.group(1), pair.group(2)) if pair else (text, "None")
    try:
        zone_info = dt.timezone(dt.timedelta(seconds=offset))
    except ValueError:  # beyond a day: no real time zone
        zone_info = dt.UTC
    try:
        when = dt.datetime.fromtimestamp(epoch, zone_info)
    except (OverflowError, OSError, ValueError):
        when = dt.datetime.fromtimestamp(0, zone_info)
    return name, email, when


def read_commit(repo: Any, name: str) -> Commit | None:
    """The commit a name (an id, or a revision) stands for; None when it names none."""
    found = object_reader(repo).read(f"{name}^{{commit}}")
    return None if found is None else parse_commit(found.id, found.data)


def commit_by_id(repo: Any, sha: str) -> Commit:
    """The commit with this full id (one that a log of the repository named), or the error for a
    missing object."""
    found = read_commit(repo, sha)
    if found is None:
        raise missing_object(repo, f"commit {sha[:10]}")
    return found


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


def resolve(repo: Any, rev: str) -> Commit:
    """The commit rev names, or one clear sentence why there is none."""
    if read_commit(repo, "HEAD") is None:
        raise GitError("the repository has no commits yet")
    commit = None if rev.startswith("-") else read_commit(repo, rev)
    if commit is None:
        if shallow_hint(repo):  # the history is missing here: the environment (exit 3)
            raise GitError(f"unknown revision {rev!r}{shallow_hint(repo)}")
        # a bad revision on the command line is invalid input (exit 1)
        raise InvalidInputError(f"unknown revision {rev!r}")
    return commit


def resolve_rev(repo: Any, rev: str) -> Commit:
    """resolve: git itself finds a revision that names ancestors (`HEAD~5000`, `main^2`,
    `@{1}`), in the one `git cat-file --batch` of the repository."""
    return resolve(repo, rev)


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


Entry = tuple[str, str]  # a tree entry: its kind (blob, tree, commit) and id


def tree_entries(repo: Any, tree: str, what: str) -> dict[str, Entry]:
    """A tree's entries by name, in git's order; the error for a missing object names what."""
    found = object_reader(repo).read(tree)
    if found is None or found.kind != "tree":
        raise missing_object(repo, what)
    data, size = found.data, len(tree) // 2  # raw ids: 20 bytes (SHA-1) or 32 (SHA-256)
    entries: dict[str, Entry] = {}
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode = data[at:space]
        kind = "tree" if mode == b"40000" else "commit" if mode == b"160000" else "blob"
        name = data[space + 1 : nul].decode("utf-8", "surrogateescape")
        entries[name] = (kind, data[nul + 1 : nul + 1 + size].hex())
        at = nul + 1 + size
    return entries


def _entry(repo: Any, commit: Commit, path: str) -> Entry | None:
    """The entry at path in the commit's tree; None when there is none."""
    what = f"commit {commit.sha[:10]}"
    entry: Entry = ("tree", commit.tree)
    for part in path.strip("/").split("/"):
        if entry[0] != "tree":
            return None
        found = tree_entries(repo, entry[1], what).get(part)
        if found is None:
            return None
        entry = found
    return entry


def _blob(repo: Any, entry: Entry | None, what: str) -> bytes | None:
    """The blob's bytes (None for no entry or one that is not a blob)."""
    if entry is None or entry[0] != "blob":
        return None
    found = object_reader(repo).read(entry[1])
    if found is None:
        raise missing_object(repo, what)
    return found.data


def committed_blob(repo: Any, commit: Commit, path: str) -> bytes:
    """A file's bytes in a commit (b"" when the commit has no such file)."""
    try:
        data = _blob(repo, _entry(repo, commit, path), path)
    except GitError:
        raise GitError(f"cannot read {path} at {commit.sha[:10]} (missing objects)") from None
    return b"" if data is None else data


def file_at(repo: Any, rev: str, path: str) -> bytes:
    """path's bytes as committed at rev (b"" when rev has no such file)."""
    return committed_blob(repo, resolve(repo, rev), path)


def file_around(repo: Any, rev: str, path: str) -> tuple[bytes, bytes]:
    """path's bytes before (in rev's first parent) and after the commit rev."""
    commit = resolve(repo, rev)
    after = committed_blob(repo, commit, path)
    if not commit.parents:
        return b"", after
    try:
        parent = commit_by_id(repo, commit.parents[0])
    except GitError:
        raise GitError(
            f"cannot read {path} at {commit.parents[0][:10]} (missing objects)"
        ) from None
    return committed_blob(repo, parent, path), after


def snapshot(repo: Any, commit: Commit, prefix: str) -> Snapshot:
    """The ledger's goal files, settings and journal (goals/log.csv and goals/log.d/*.csv) as
    committed.

    A journal under a clean/smudge filter (git LFS, say) is refused: its committed bytes are a
    pointer, not the journal."""
    files: dict[str, bytes] = {}
    info = commit.info
    what = f"commit {info.short}"
    for rel in ("smartgoals.yaml", "goals/log.csv"):
        data = _blob(repo, _entry(repo, commit, prefix + rel), what)
        if data is not None:
            files[rel] = data
    for folder, keep in (
        ("goals", lambda rel: rel.endswith((".yaml", ".yml"))),
        (SHARDS_DIR, is_journal_file),  # the journal's shards
    ):
        entry = _entry(repo, commit, prefix + folder)
        if entry is None or entry[0] != "tree":
            continue
        for name, (kind, oid) in tree_entries(repo, entry[1], what).items():
            rel = f"{folder}/{name}"
            if kind == "blob" and keep(rel):
                files[rel] = _blob(repo, (kind, oid), what) or b""
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
    return snapshot(repo, commit_by_id(repo, sha), prefix)


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
