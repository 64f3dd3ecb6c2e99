"""Corrections without rewriting: a later row marked in its note replaces a day's value.

`log --correct` turns checked entries into correction rows (refusing when the day has no value
to correct); `undo` finds the current user's last unpushed log or check-in commit and builds the
rows that put each day it touched back as it was, and the goals/checkins.csv rows that withdraw
each check-in it appended. Lines are only ever appended.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import InvalidInputError
from smartgoals.files import JOURNAL, journal_files, read_journal_files
from smartgoals.ledger.checkins import Checkin
from smartgoals.ledger.journal import (
    CORRECTION,
    check_note,
    journal_target,
    read_journal,
    read_journals,
)
from smartgoals.ledger.model import Definitions, MetricDef, Series
from smartgoals.quantity import format_value
from smartgoals.vcs.log import last_own_commit, pushed_to
from smartgoals.write.recording import Entry, entry_for


def shown(metric: MetricDef, value: float | None) -> str:
    if value is None:
        return "none"
    if metric.is_stage:
        return metric.stage_name(value) or "-"
    return format_value(value, metric.unit, metric.precision)


def day_value(metric: MetricDef, one: Series | None, day: dt.date) -> float | None:
    """The value a metric has on a day: its rows combined as its aggregate combines them
    (`sum` adds them; otherwise the last counts); None without a row."""
    if one is None:
        return None
    values = [v for d, v in zip(one.dates, one.values, strict=True) if d == day]
    if not values:
        return None
    return sum(values) if metric.aggregate == "sum" else values[-1]


def correction_note(metric: MetricDef, old: float | None, new: float | None, note: str) -> str:
    text = f"{CORRECTION} {shown(metric, old)} -> {shown(metric, new)}"
    try:
        return check_note(f"{text}; {note}" if note else text)
    except ValueError as exc:
        raise InvalidInputError(f"--note: {exc}") from None


def _journal_series(
    root: Path, metrics: dict[str, MetricDef], replace: tuple[str, bytes] | None = None
) -> dict[str, Series]:
    """Every journal file's rows (goals/log.csv and its shards); replace: one file's bytes
    taken as given instead of as they are on disk."""
    files = dict(read_journal_files(root).files)
    if replace is not None:
        files[replace[0]] = replace[1]
    return read_journals([(rel, files[rel]) for rel in journal_files(files)], metrics)[0]


def corrections(
    root: Path, metrics: dict[str, MetricDef], entries: Sequence[Entry]
) -> tuple[Entry, ...]:
    """Each entry as a correction of its metric's value on its day; refused (InvalidInputError,
    nothing written) when a day has no value to correct."""
    series = _journal_series(root, metrics)
    rows = []
    for entry in entries:
        old = day_value(entry.metric, series.get(entry.metric.id), entry.day)
        if old is None:
            raise InvalidInputError(
                f"--correct: {entry.metric.id} has no value on {entry.day.isoformat()} to "
                "correct; log it without --correct"
            )
        note = correction_note(entry.metric, old, entry.value, entry.note)
        rows.append(entry_for(entry.metric, entry.day, entry.value, note))
    return tuple(rows)


class UndoPlan(NamedTuple):
    commit: Any  # vcs.CommitInfo of the commit to cancel
    entries: tuple[Entry, ...]  # the correction rows that cancel its values
    withdrawals: tuple[Checkin, ...]  # the check-ins it appended, to withdraw
    definitions: Definitions  # what the rows were checked against: the write checks them again


def plan_undo(root: Path, definitions: Definitions) -> UndoPlan:
    """The correction rows that cancel the current user's last log or check-in commit, and the
    rows withdrawing its check-ins; refused (InvalidInputError) when there is none, or when it
    was pushed."""
    from smartgoals.ledger.checkins import CHECKINS

    metrics = definitions.metrics
    target = journal_target(root, definitions.settings)
    others = tuple(dict.fromkeys(rel for rel in (JOURNAL, CHECKINS) if rel != target))
    found = last_own_commit(root, target, others)
    if found is None:
        raise InvalidInputError(
            "undo: nothing to undo (no log or check-in commit of yours that is not undone yet)"
        )
    info, before, after = found
    remote = pushed_to(root, info.sha)
    if remote:
        raise InvalidInputError(
            f"undo: {info.short} ({info.message}) is already pushed to {remote}; correct its "
            "values with log METRIC VALUE --date D --correct instead"
        )
    if not after.startswith(before):
        raise InvalidInputError(f"undo: {info.short} changed earlier journal lines; not undone")
    # the day's values with and without the commit's rows, across every journal file
    old = _journal_series(root, metrics, (target, before))
    new = _journal_series(root, metrics, (target, after))
    added = read_journal(b"date,metric,value,note\n" + after[len(before) :], target, metrics)[0]
    rows = []
    for metric_id, one in added.items():
        metric = metrics[metric_id]
        for day in dict.fromkeys(one.dates):
            was = day_value(metric, old.get(metric_id), day)
            now = day_value(metric, new.get(metric_id), day)
            note = correction_note(metric, now, was, f"undo of {info.short}")
            rows.append(entry_for(metric, day, was, note))
    withdrawals = _appended_checkins(root, info, definitions)
    if not rows and not withdrawals:
        raise InvalidInputError(f"undo: {info.short} ({info.message}) recorded nothing to cancel")
    return UndoPlan(info, tuple(rows), withdrawals, definitions)


def _appended_checkins(root: Path, info: Any, definitions: Definitions) -> tuple[Checkin, ...]:
    """The check-ins the commit appended to goals/checkins.csv, in file order."""
    from smartgoals.ledger.checkins import HEADER_LINE, read_rows
    from smartgoals.revisions.confidence import committed_checkins

    before, after = committed_checkins(root, info.sha)
    if after == before:
        return ()
    if not after.startswith(before):
        raise InvalidInputError(f"undo: {info.short} changed earlier check-in lines; not undone")
    added = HEADER_LINE.encode() + after[len(before) :]
    rows = read_rows(added, (goal.id for goal in definitions.goals))[0]
    return tuple(row for row in rows if isinstance(row, Checkin))
