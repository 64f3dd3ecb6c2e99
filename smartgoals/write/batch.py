"""The one write path of log, import, pull, checkin, undo and close: a Batch built by the command ->
validated against the loaded definitions -> locked -> appended -> one commit, or nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from smartgoals.errors import GitError, Interrupted, Problem, SmartgoalsError
from smartgoals.ledger.checkins import CHECKINS
from smartgoals.ledger.checkins import HEADER_LINE as CHECKINS_HEADER
from smartgoals.ledger.journal import HEADER_LINE as JOURNAL_HEADER
from smartgoals.ledger.journal import journal_target
from smartgoals.ledger.loader import load_definitions_at
from smartgoals.ledger.model import Definitions
from smartgoals.vcs.repo import find_work_tree
from smartgoals.write.recording import (
    NOTHING,
    Batch,
    Recorded,
    Refused,
    Written,
    append_and_commit,
    append_and_commit_files,
    check_day,
    check_metric,
    commit_message,
    deferred_signals,
    make_entry,
    prepared_folder,
    prepared_journal,
)
from smartgoals.write.validate import validate


def commit_batch(root: Path, batch: Batch, definitions: Definitions) -> Written | Refused:
    """Write the batch: its values to the journal file the settings choose (journal_target:
    goals/log.csv or a shard) and its check-in rows to goals/checkins.csv, in one commit; or,
    when a validation finds a problem, nothing (Refused, every problem).

    Raises InvalidInputError when the settings hide the journal file, GitError when the commit
    fails (the appends are undone, so the files are as they were), Interrupted when SIGINT or
    SIGTERM arrived (saying what was recorded)."""
    if batch.checkins is None and not batch.files:
        return _write_journal(root, batch, definitions)
    return _write_files(root, batch, definitions)


def _write_journal(root: Path, batch: Batch, definitions: Definitions) -> Written | Refused:
    """One locked append to the journal file, then one commit (or none: --no-commit, or not
    inside a git work tree)."""
    target = journal_target(root, definitions.settings)
    problems = validate(batch, definitions, target)
    if problems:
        return Refused(problems)
    rows = "".join(entry.row for entry in batch.entries)
    journal = prepared_journal(root, target)
    work_tree = find_work_tree(root) if batch.commit else None
    failure = ""
    with deferred_signals() as pending:
        try:
            done = append_and_commit(journal, rows, work_tree, batch.message, batch.commit, pending)
        except SmartgoalsError as exc:
            if not pending:
                raise
            done, failure = NOTHING, f" ({exc})"  # undone: the signal is what to report
    if pending:
        if done.commit is None and done.not_committed_reason is None:
            outcome = f"nothing was recorded{failure}"
        elif done.commit is None:
            count = len(batch.entries)
            what = "the row was" if count == 1 else f"{count} rows were"
            outcome = f"{what} written to {target} (not committed)"
        else:
            subject = batch.message.splitlines()[0].removeprefix("log: ")
            outcome = f"{subject} was committed as {done.commit[:10]}"
        raise Interrupted(pending[0], outcome)
    return done


def _existing(root: Path, batch: Batch) -> tuple[Problem, ...]:
    """The files a batch must create that exist already (a goal file is never edited)."""
    return tuple(
        Problem(extra.path, 0, 0, "exists already; choose another file (it is never edited)")
        for extra in batch.files
        if extra.new and os.path.lexists(root / extra.path)
    )


def _write_files(root: Path, batch: Batch, definitions: Definitions) -> Written | Refused:
    """The journal file, goals/checkins.csv and the batch's other files, each in one locked
    append (in name order, so two writers never wait on each other crosswise), then one commit
    of them all: a check-in or a close is recorded as a commit, so a ledger outside git
    refuses it."""
    work_tree = find_work_tree(root)
    if work_tree is None:
        what = "a close" if batch.files else "a check-in"
        raise GitError(f"{root} is not inside a git work tree; {what} is recorded as a commit")
    target = journal_target(root, definitions.settings)
    problems = validate(batch, definitions, target) + _existing(root, batch)
    if problems:
        return Refused(problems)
    rows = {
        target: ("".join(entry.row for entry in batch.entries), JOURNAL_HEADER),
        CHECKINS: (batch.checkins or "", CHECKINS_HEADER),
    }
    if rows[target][0]:
        prepared_journal(root, target)
    for extra in batch.files:
        prepared_folder(root, extra.path)
        rows[extra.path] = (extra.text, extra.header)
    failure = ""
    with deferred_signals() as pending:
        try:
            done = append_and_commit_files(root, rows, work_tree, batch.message, pending)
        except SmartgoalsError as exc:
            if not pending:
                raise
            done, failure = NOTHING, f" ({exc})"
    if pending:
        if done.commit is None:
            outcome = f"nothing was recorded{failure}"
        else:
            outcome = f"{batch.message.splitlines()[0]} was committed as {done.commit[:10]}"
        raise Interrupted(pending[0], outcome)
    return done


def record(
    root: Path,
    metric_id: str,
    raw_value: str,
    today: dt.date,
    day_text: str | None = None,
    note: str = "",
    commit: bool = True,
) -> Recorded:
    """Validate, then append one observation and commit exactly the journal file it goes to
    (smartgoals.record, the library's one-value form of `log METRIC VALUE`).

    Raises InvalidInputError for a bad metric, value, date or note (nothing is written), and
    GitError when the commit fails (the append is undone, so the journal is as it was).
    """
    definitions = load_definitions_at(root)
    metrics = definitions.metrics
    check_metric(metrics, metric_id, definitions)
    day = check_day(day_text, today)
    entry = make_entry(metrics, metric_id, raw_value, day, note)
    message = commit_message(entry.metric, entry.value_text, day)
    done = commit_batch(root, Batch((entry,), message, commit=commit), definitions)
    if isinstance(done, Refused):
        raise done.error()
    return Recorded(
        entry.metric,
        day,
        entry.value,
        entry.row,
        done.commit,
        done.not_committed_reason,
        done.warnings,
    )
