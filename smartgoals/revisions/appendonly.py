"""The journal is append-only across a team: which commits of a range changed or removed a
row of the journal files or of goals/checkins.csv, against any of their parents."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, Problem, SmartgoalsError
from smartgoals.files import CHECKINS, JOURNAL, SHARDS_DIR, is_journal_file
from smartgoals.ledger.reviews import REVIEWS_DIR, period_of_path
from smartgoals.vcs.changes import Hunk, range_commits, range_hunks
from smartgoals.vcs.repo import open_history

SHORT = 10  # digits of a commit id in a line, as everywhere else in smartgoals


def is_append_only(rel: str) -> bool:
    """The ledger's append-only files: the journal (log.csv and its shards), check-ins, and
    the grades of closed periods (reviews/<period>.csv)."""
    return rel == CHECKINS or is_journal_file(rel) or period_of_path(rel) is not None


class Rewrite(NamedTuple):
    """One row of a parent that a commit changed or removed."""

    path: str  # ledger-relative
    line: int  # in the parent's copy of the file
    commit: str
    parent: str
    merge: bool
    author: str
    old: str
    new: str | None  # None: removed

    def describe(self) -> str:
        what = "removed" if self.new is None else "changed"
        against = f" (a merge, against its parent {self.parent[:SHORT]})" if self.merge else ""
        change = self.old if self.new is None else f"{self.old} -> {self.new}"
        return f"{what} in {self.commit[:SHORT]}{against} by {self.author}: {change}"

    def problem(self) -> Problem:
        return Problem(self.path, self.line, 0, self.describe())

    def __str__(self) -> str:
        return str(self.problem())


def rewrites(hunks: Iterable[Hunk], prefix: str = "") -> Iterator[Rewrite]:
    """Every row a hunk took away from an append-only file of the ledger under prefix.

    Adding lines anywhere is allowed: a merge interleaves the other side's rows with its
    parent's (git's union driver puts both sides' appends at the end, one after the other), and
    a row added in the middle takes nothing away. A removed line paired with an added one in
    the same hunk is a change (its new text shown); an unpaired one a removal."""
    for hunk in hunks:
        if not hunk.removed or not hunk.path.startswith(prefix):
            continue
        rel = hunk.path[len(prefix) :]
        if not is_append_only(rel):
            continue
        merge = len(hunk.commit.parents) > 1
        for offset, old in enumerate(hunk.removed):
            new = hunk.added[offset] if offset < len(hunk.added) else None
            yield Rewrite(
                rel,
                hunk.start + offset,
                hunk.commit.sha,
                hunk.parent,
                merge,
                hunk.commit.author,
                old,
                new,
            )


class RangeCheck(NamedTuple):
    spec: str
    commits: int  # commits of the range that touched the append-only files
    rewrites: tuple[Rewrite, ...]


def check_range(root: Path, spec: str) -> RangeCheck:
    """Every rewrite made by the commits of spec (`BASE..HEAD`) to the ledger at root."""
    repo, prefix = open_history(root)
    paths = [prefix + JOURNAL, prefix + SHARDS_DIR, prefix + CHECKINS, prefix + REVIEWS_DIR]
    commits = range_commits(repo, spec, paths)
    found = tuple(rewrites(range_hunks(repo, commits, paths), prefix))
    return RangeCheck(spec, len(commits), found)


class RewrittenError(SmartgoalsError):
    """What sync was about to take in rewrote the journal's past: nothing was changed."""

    exit_code = EXIT_INVALID


def refuse_rewrites(root: Path, spec: str, upstream: str) -> None:
    """RewrittenError naming the first commit of spec that changed or removed a row, and how
    to look at it; nothing when the range only appended."""
    repo, prefix = open_history(root)
    paths = [prefix + JOURNAL, prefix + SHARDS_DIR, prefix + CHECKINS, prefix + REVIEWS_DIR]
    found = rewrites(range_hunks(repo, range_commits(repo, spec, paths), paths), prefix)
    first = next(found, None)
    if first is None:
        return
    more = sum(1 for _ in found)
    also = f" (and {more} more: smartgoals check --history {spec} lists them)" if more else ""
    raise RewrittenError(
        f"{upstream} rewrote the journal: {first}{also}; nothing was changed; look at it with "
        f"git show {first.commit[:SHORT]} -- {prefix}{first.path}"
    )
