"""Who wrote each line of a file: the one `git blame --porcelain` reader, and the shortcut for
an append-only file (the journal), told from blob sizes alone."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Container, Sequence
from typing import Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.vcs.log import first_parent_commits
from smartgoals.vcs.objects import CommitInfo, blob_hasher
from smartgoals.vcs.repo import Failure, failure_message, git_executable, run_git

# git's words for a file or a branch with no history to blame: no one wrote its lines
_NO_HISTORY = ("no such path", "does not have any commits", "no such ref")


class Blame(NamedTuple):
    commit: CommitInfo | None  # None: the line is not committed yet


def blame(repo: Any, path: str, rev: str | None = None) -> dict[int, Blame]:
    """Who last changed each line of path (1-based line -> Blame): in the working tree, or as
    committed at rev."""
    blames: dict[str | None, Blame] = {}
    found = _read_blame(repo, path, rev, None)
    return {
        line: blames.setdefault(info.sha if info else None, Blame(info))
        for line, info in found.items()
    }


def appended_by(repo: Any, path: str, current: bytes) -> dict[int, Blame] | None:
    """Who appended each line of an append-only file, from blob sizes alone: fast where
    `git blame` would diff every version. None when the shortcut does not hold (a merge or an
    edit in the file's history, or a working copy that rewrote committed bytes); use blame."""
    from bisect import bisect_left

    shortcut = _append_only(repo, path, current)
    if shortcut is None:
        return None
    commits, ends = shortcut
    if not commits:
        return {}
    # one Blame per commit, shared by its lines (a million rows made a million objects)
    blames = [Blame(info) for info in commits] + [Blame(None)]
    count = len(current.splitlines())
    return {number: blames[bisect_left(ends, number)] for number in range(1, count + 1)}


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


def _appended_lines(
    repo: Any, path: str, current: bytes, lines: Sequence[int]
) -> list[CommitInfo | None] | None:
    """appended_by for the asked lines only; None when its shortcut does not hold."""
    from bisect import bisect_left

    shortcut = _append_only(repo, path, current)
    if shortcut is None:
        return None
    commits, ends = shortcut
    owners: list[CommitInfo | None] = [*commits, None]
    return [owners[bisect_left(ends, line)] for line in lines]


def _append_only(repo: Any, path: str, current: bytes) -> tuple[list[CommitInfo], list[int]] | None:
    """The commits of HEAD's first-parent line that changed path, oldest first, and for each
    how many lines of current its copy held; None when the file's history did more than append
    or current does not start with HEAD's copy. HEAD's copy is compared by its object id (the
    working bytes up to its size, hashed as git hashes a blob), so it is never read."""
    commits = first_parent_commits(repo, path)  # None after a merge: blame knows which
    if commits is None:
        return None
    if not commits:
        return [], []
    query = "".join(f"{info.sha}:{path}\n" for info in commits).encode()
    try:
        out = run_git(repo, "cat-file", "--batch-check=%(objectname) %(objectsize)", data=query)
    except GitError:
        return None
    sizes: list[int] = []
    last_id = ""
    for answer in out.decode().split("\n")[: len(commits)]:
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
    return commits, _lines_ended_by(current, sizes)


def _blob_id(data: bytes, size: int, hex_length: int) -> str:
    """git's object id of data[:size] as a blob, without copying the bytes."""
    digest = blob_hasher(hex_length, size)
    digest.update(memoryview(data)[:size])
    return str(digest.hexdigest())


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
    """blame for the asked lines only, keeping the commit of the asked lines alone."""
    found = _read_blame(repo, path, None, set(lines))
    return [found.get(line) for line in lines]


def _read_blame(
    repo: Any, path: str, rev: str | None, wanted: Container[int] | None
) -> dict[int, CommitInfo | None]:
    """`git blame --porcelain` read line by line as git writes it: the commit of each wanted
    line (every line when wanted is None), None for a line not committed yet; each commit's
    details kept once. Empty when the file or the branch has no history."""
    import subprocess
    import tempfile

    command = [git_executable(repo), "blame", "--porcelain", *([rev] if rev else []), "--", path]
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                command,
                cwd=repo.working_tree_dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        except OSError as exc:
            raise GitError(f"git blame failed: {exc.strerror or exc}") from None
        assert process.stdout is not None
        with process.stdout:
            owner, details = _parse_porcelain(process.stdout, wanted)
        status = process.wait()
        errors.seek(0)
        stderr = errors.read()
    if status != 0:
        if any(words in stderr.decode("utf-8", "replace") for words in _NO_HISTORY):
            return {}
        raise GitError(f"git blame failed: {failure_message(Failure(stderr, status))}")
    infos = {sha: _commit(sha, details[sha]) for sha in set(owner.values())}
    return {line: infos[sha] for line, sha in owner.items()}


def _parse_porcelain(
    output: Any, wanted: Container[int] | None
) -> tuple[dict[int, str], dict[str, dict[str, str]]]:
    """The commit id of each wanted line, and each commit's header fields (author, author-mail,
    author-time, author-tz, summary, ...), from `--porcelain` (or `--line-porcelain`) lines."""
    owner: dict[int, str] = {}
    details: dict[str, dict[str, str]] = {}
    sha, header = "", True
    for raw in output:
        if raw.startswith(b"\t"):
            header = True  # the line's content; the next line is a new header
            continue
        text = raw.decode("utf-8", "replace").rstrip("\n")
        if header:
            parts = text.split(" ")
            sha, final, header = parts[0], int(parts[2]), False
            if wanted is None or final in wanted:
                owner[final] = sha
            details.setdefault(sha, {})
            continue
        key, _, value = text.partition(" ")
        details[sha][key] = value
    return owner, details


def _commit(sha: str, headers: dict[str, str]) -> CommitInfo | None:
    """A blamed commit's details, in the author's own time zone; None for the all-zero id that
    blame gives lines not committed yet."""
    if set(sha) == {"0"}:
        return None
    zone = _zone(headers.get("author-tz", "+0000"))
    when = dt.datetime.fromtimestamp(int(headers.get("author-time", "0")), zone)
    return CommitInfo(
        sha,
        headers.get("author", ""),
        headers.get("author-mail", "").strip("<>"),
        when,
        headers.get("summary", ""),
    )


def _zone(text: str) -> dt.timezone:
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    hours, minutes = int(digits[:2] or 0), int(digits[2:4] or 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))
