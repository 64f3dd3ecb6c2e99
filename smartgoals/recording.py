"""Recording a value: validate against the ledger -> append under a lock -> commit, or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import GitError, InvalidInputError
from .files import JOURNAL, read_work_tree
from .journal import check_note, format_row, locked_journal
from .ledger import Definitions, MetricDef
from .loader import load_definitions
from .periods import parse_day
from .quantity import format_raw
from .suggest import suggest
from .values import parse_value
from .vcs import check_ready, commit_file, find_work_tree


@dataclass(frozen=True)
class Recorded:
    metric: MetricDef
    day: dt.date
    value: float
    row: str
    commit: str | None  # the new commit's sha; None when not committed
    not_committed_reason: str | None = None


def commit_message(metric: MetricDef, value_text: str, day: dt.date) -> str:
    unit = "" if metric.is_stage or metric.unit == "count" else f" {metric.unit}"
    return f"log: {metric.id} = {value_text}{unit} ({day.isoformat()})"


def _definitions(root: Path) -> Definitions:
    """The ledger's definitions; the journal is never read, so log is O(1) in its rows."""
    return load_definitions(read_work_tree(root, journal=False).files)


def record(
    root: Path,
    metric_id: str,
    raw_value: str,
    today: dt.date,
    day_text: str | None = None,
    note: str = "",
    commit: bool = True,
) -> Recorded:
    """Validate, then append one observation and commit exactly the journal.

    Raises InvalidInputError for a bad metric, value, date or note (nothing is written), and
    GitError when the commit fails (the append is undone, so the journal is as it was).
    """
    metrics = _definitions(root).metrics
    metric = metrics.get(metric_id)
    if metric is None:
        raise InvalidInputError(f"unknown metric {metric_id!r}{suggest(metric_id, metrics)}")
    if metric.formula is not None:
        raise InvalidInputError(
            f"{metric_id} is computed from its formula ({metric.formula}), not recorded; "
            "log its inputs instead"
        )
    try:
        day = parse_day(day_text, today) if day_text else today
    except ValueError as exc:
        # the reason, then what --date accepts, the same whatever went wrong (the period
        # parser's own hint lists periods, which --date refuses)
        reason = str(exc).split("; use ")[0]
        raise InvalidInputError(
            f"--date: {reason}; --date takes a day: YYYY-MM-DD, today or yesterday"
        ) from None
    if day > today:
        raise InvalidInputError(f"--date: {day.isoformat()} is in the future")
    try:
        value = parse_value(raw_value, metric)
        note = check_note(note)
    except ValueError as exc:
        raise InvalidInputError(f"{metric_id}: {exc}") from None
    value_text = (metric.stage_name(value) or "") if metric.is_stage else format_raw(value)
    row = format_row(day, metric_id, value_text, note)
    journal = root / JOURNAL
    work_tree = find_work_tree(root) if commit else None
    with locked_journal(journal) as appender:
        # checked under the lock (so other smartgoals processes are not mistaken for strangers
        # holding the index) and before the append (so a refusal writes nothing)
        repo = check_ready(work_tree) if work_tree is not None else None
        appender.check_tail()
        appender.append(row)
        if repo is None:
            reason = "--no-commit" if not commit else "not inside a git work tree"
            return Recorded(metric, day, value, row, None, reason)
        try:
            sha = commit_file(repo, journal, commit_message(metric, value_text, day))
        except GitError:
            appender.undo()
            raise
    return Recorded(metric, day, value, row, sha)
