"""The ledger through time, read from git objects (never a checkout, the index or HEAD): a
ledger as committed at a revision, the commits that changed targets, and a metric's
observations with who recorded each. Comparing two ledgers is compare.py's; rendering/ makes
JSON and text of what these walks return."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.compare import (
    TargetChange,
    compare_targets,
    pair_targets,
    renames,
    same_goal,
)
from smartgoals.errors import GitError
from smartgoals.files import JOURNAL, LedgerFiles, journal_files
from smartgoals.ledger.loader import load_definitions, load_ledger
from smartgoals.ledger.model import Ledger, MetricDef
from smartgoals.vcs.blame import line_authors
from smartgoals.vcs.log import goal_file_commits
from smartgoals.vcs.objects import CommitInfo, resolve_rev, snapshot, snapshot_at
from smartgoals.vcs.repo import open_history
from smartgoals.vcs.signatures import signature_words


def ledger_at(root: Path, rev: str) -> tuple[Ledger, CommitInfo]:
    """The ledger exactly as committed at rev: loaded from the commit's blobs, in memory."""
    repo, prefix = open_history(root)
    commit = resolve_rev(repo, rev)  # one git call, not a walk of parents
    shot = snapshot(repo, commit, prefix)
    if not any(rel.startswith("goals/") for rel in shot.files):
        where = prefix.rstrip("/") or "the top of the repository"
        raise GitError(f"{rev} ({shot.commit.short}) has no ledger in {where}: no goals/ files")
    return load_ledger(shot.files, committed=True), shot.commit


class CommittedTargetChange(NamedTuple):
    """A target change and the commit that made it."""

    commit: CommitInfo
    change: TargetChange


def target_history(
    root: Path, metric: str | None = None, goal: str | None = None
) -> list[CommittedTargetChange]:
    """Every commit that changed a target (of this metric, or of this goal under any of the ids
    it has had), oldest first."""
    repo, prefix = open_history(root)
    per_commit: list[tuple[list[CommittedTargetChange], dict[str, str]]] = []
    for info, parents in goal_file_commits(repo, prefix):
        after = load_definitions(snapshot_at(repo, info.sha, prefix).files)
        before_files = snapshot_at(repo, parents[0], prefix).files if parents else {}
        before = load_definitions(before_files)
        goals_before = {g.id: g for g in before.goals}
        goals_after = {g.id: g for g in after.goals}
        renamed = renames(goals_before, goals_after, same_goal)
        back = {new: old for old, new in renamed.items()}
        found: list[CommittedTargetChange] = []
        for goal_id in dict.fromkeys([*goals_before, *goals_after]):
            if goal_id in renamed:
                continue  # compared under its new id
            old_goal = goals_before.get(back.get(goal_id, goal_id))
            new_goal = goals_after.get(goal_id)
            for metric_id, old, new in pair_targets(old_goal, new_goal):
                if metric is not None and metric_id != metric:
                    continue
                definition = after.metrics.get(metric_id) or before.metrics.get(metric_id)
                if definition is None:
                    continue
                change = compare_targets(goal_id, definition, old, new)
                if change is not None:
                    found.append(CommittedTargetChange(info, change))
        per_commit.append((found, renamed))
    if goal is None:
        return [change for found, _ in per_commit for change in found]
    # follow the goal back through its renames: newest commit first
    names = {goal}
    kept: list[CommittedTargetChange] = []
    for found, renamed in reversed(per_commit):
        kept[:0] = [c for c in found if c.change.goal in names]
        names |= {old for old, new in renamed.items() if new in names}
    return kept


def metric_files(files: LedgerFiles, metric_id: str) -> LedgerFiles:
    """The ledger's files for reading one metric's series: in each journal file, every line
    that cannot concern the metric is emptied (its newline kept, so every line keeps its
    number), and the loader, which skips empty rows, reads the metric's rows as it would read
    them in the whole journal with a fraction of the memory and time (`history` at 1M rows).

    Emptied are only lines of printable ASCII without a quote that do not contain the metric's
    id, never the header line. A file is left whole where emptying could change how another
    line is read: a lone carriage return (a line break of its own), bytes that are not UTF-8
    (the decoder would stop elsewhere), or a quoted field that runs on to the next line."""
    kept = dict(files.files)
    for rel in journal_files(kept):
        kept[rel] = _only_lines_of(kept[rel], metric_id)
    return LedgerFiles(kept, files.problems)


# printable ASCII and tabs without the quote, on a line shorter than csv's field size limit
_PLAIN = rb"[\t\x20\x21\x23-\x7e]{1,65536}"
_QUOTED_LINE = re.compile(rb'^[^\n]*"[^\n]*', re.MULTILINE)


def _only_lines_of(data: bytes, metric_id: str) -> bytes:
    if data.count(b"\r") != data.count(b"\r\n"):
        return data
    if not data.isascii():
        decoder = codecs.getincrementaldecoder("utf-8")()
        view = memoryview(data)
        try:
            for start in range(0, len(data), 1 << 20):
                decoder.decode(view[start : start + (1 << 20)])
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return data
    start = data.find(b"\n") + 1
    if not start:
        return data
    if b'"' in data:
        for found in _QUOTED_LINE.finditer(data):
            try:
                list(csv.reader([found.group().decode("utf-8")], strict=True))
            except csv.Error:
                return data  # its record may go on over the next lines
    other = re.compile(
        rb"^(?![^\n]*" + re.escape(metric_id.encode()) + rb")" + _PLAIN + rb"(?=\r?\n|\Z)",
        re.MULTILINE,
    )
    # a megabyte at a time, cut at line ends: the pieces re.sub joins stay few
    parts = [data[:start]]
    while start < len(data):
        end = data.find(b"\n", start + (1 << 20)) + 1 or len(data)
        parts.append(other.sub(b"", data[start:end]))
        start = end
    return b"".join(parts)


class HistoryRow(NamedTuple):
    """One observation with its change from the one before and who recorded it."""

    date: dt.date
    value: float
    change: float | None  # None for the first, and for stages
    note: str
    line: int  # in the journal; 0 for derived values
    committed: bool | None  # None: unknown (derived, or outside git)
    commit: CommitInfo | None
    path: str = JOURNAL  # the journal file of the row: goals/log.csv or a shard


class MetricHistory(NamedTuple):
    metric: MetricDef
    rows: tuple[HistoryRow, ...]
    targets: tuple[CommittedTargetChange, ...]
    reason: str | None  # why authors and target history are missing (outside git)
    signatures: dict[str, str] | None = None  # commit id -> good, bad, unknown key, none...


def metric_history(
    root: Path, ledger: Ledger, metric_id: str, since: dt.date | None
) -> MetricHistory:
    """Each observation of a metric with its change and who recorded it; its target history.

    Attribution keeps one entry per row of the metric (a commit shared by its rows), never
    one per line of the journal: vcs.line_authors is asked for the metric's own lines."""
    metric = ledger.metrics[metric_id]
    one = ledger.series.get(metric_id)
    authors: list[CommitInfo | None] | None = None  # row index -> who appended it
    signatures: dict[str, str] = {}
    reason = None
    targets: list[CommittedTargetChange] = []
    try:
        repo, prefix = open_history(root)
        if metric.formula is None and one is not None:
            authors = [None] * len(one.lines)
            # each journal file the metric's rows come from has its own history
            for rel in dict.fromkeys(one.paths or [JOURNAL]):
                indices: Sequence[int] = (
                    range(len(one.lines))
                    if one.paths is None
                    else [i for i, path in enumerate(one.paths) if path == rel]
                )
                journal = root / rel
                current = journal.read_bytes() if journal.exists() else b""
                found = line_authors(repo, prefix + rel, current, [one.lines[i] for i in indices])
                del current  # the next file's bytes are read without this one's
                for index, who in zip(indices, found, strict=True):
                    authors[index] = who
            signatures = signature_words(repo, (c.sha for c in authors if c is not None))
        targets = target_history(root, metric=metric_id)
    except GitError as exc:
        reason = str(exc)
        authors = None
    rows = []
    previous: float | None = None
    observed = zip(one.dates, one.values, one.notes, one.lines, strict=True) if one else iter(())
    for index, (day, value, note, line) in enumerate(observed):
        path = one.path_of(index) if one is not None else JOURNAL
        change: float | None = None
        if previous is not None and not metric.is_stage:
            change = round(value - previous, 6)
        previous = value
        if since is not None and day < since:
            continue
        committed: bool | None = None
        commit = None
        if metric.formula is None and reason is None:
            commit = authors[index] if authors is not None else None
            committed = commit is not None
        rows.append(HistoryRow(day, value, change, note, line, committed, commit, path))
    return MetricHistory(metric, tuple(rows), tuple(targets), reason, signatures)
