"""The ledger through time, read from git objects (never a checkout, the index or HEAD): a
ledger as committed at a revision, the commits that changed targets, and a metric's
observations with who recorded each. Comparing two ledgers is compare.py's; rendering/ makes
JSON and text of what these walks return."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .compare import TargetChange, compare_targets, pair_targets, renames, same_goal
from .errors import GitError
from .files import JOURNAL
from .ledger import Ledger, MetricDef
from .loader import load_definitions, load_ledger
from .record import Record
from .vcs import CommitInfo, goal_file_commits, open_history, resolve_rev, snapshot


def ledger_at(root: Path, rev: str) -> tuple[Ledger, CommitInfo]:
    """The ledger exactly as committed at rev: loaded from the commit's blobs, in memory."""
    repo, prefix = open_history(root)
    commit = resolve_rev(repo, rev)  # one git call, not a walk of parents
    shot = snapshot(repo, commit, prefix)
    if not any(rel.startswith("goals/") for rel in shot.files):
        where = prefix.rstrip("/") or "the top of the repository"
        raise GitError(f"{rev} ({shot.commit.short}) has no ledger in {where}: no goals/ files")
    return load_ledger(shot.files), shot.commit


class CommittedTargetChange(Record):
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
        after = load_definitions(snapshot(repo, repo.commit(info.sha), prefix).files)
        before_files = snapshot(repo, repo.commit(parents[0]), prefix).files if parents else {}
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


class HistoryRow(Record):
    """One observation with its change from the one before and who recorded it."""

    date: dt.date
    value: float
    change: float | None  # None for the first, and for stages
    note: str
    line: int  # in the journal; 0 for derived values
    committed: bool | None  # None: unknown (derived, or outside git)
    commit: CommitInfo | None
    path: str = JOURNAL  # the journal file of the row: goals/log.csv or a shard


class MetricHistory(Record):
    metric: MetricDef
    rows: tuple[HistoryRow, ...]
    targets: tuple[CommittedTargetChange, ...]
    reason: str | None  # why authors and target history are missing (outside git)


def metric_history(
    root: Path, ledger: Ledger, metric_id: str, since: dt.date | None
) -> MetricHistory:
    """Each observation of a metric with its change and who recorded it; its target history."""
    from .vcs import appended_by, blame

    metric = ledger.metrics[metric_id]
    one = ledger.series.get(metric_id)
    blamed: dict[str, dict[int, Any]] = {}  # journal file -> line -> who appended it
    reason = None
    targets: list[CommittedTargetChange] = []
    try:
        repo, prefix = open_history(root)
        if metric.formula is None and one is not None:
            # each journal file the metric's rows come from has its own history
            for rel in dict.fromkeys(one.paths or [JOURNAL]):
                journal = root / rel
                current = journal.read_bytes() if journal.exists() else b""
                found = appended_by(repo, prefix + rel, current)
                blamed[rel] = found if found is not None else blame(repo, prefix + rel)
        targets = target_history(root, metric=metric_id)
    except GitError as exc:
        reason = str(exc)
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
            who = blamed.get(path, {}).get(line)
            commit = who.commit if who is not None else None
            committed = commit is not None
        rows.append(HistoryRow(day, value, change, note, line, committed, commit, path))
    return MetricHistory(metric, tuple(rows), tuple(targets), reason)
