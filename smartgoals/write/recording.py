"""What a write is made of (entries checked against the definitions, a Batch of rows for one
commit) and its critical sections: lock -> append -> commit, or nothing (see write/batch.py)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import GitError, InvalidInputError, JournalError, Problem
from smartgoals.files import JOURNAL
from smartgoals.ledger.journal import Appender, check_note, format_row, locked_journal
from smartgoals.ledger.model import Definitions, MetricDef
from smartgoals.ledger.values import parse_value
from smartgoals.periods import day_option
from smartgoals.quantity import format_raw
from smartgoals.suggest import suggest
from smartgoals.vcs.append import AppendBase, append_base, commit_append
from smartgoals.vcs.commit import check_ready, commit_paths, detached_warning, refuse_filtered
from smartgoals.vcs.objects import committed_bytes

DEFERRED_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """While the block runs, SIGINT and SIGTERM are noted (in the yielded list) instead of
    stopping the process; the block decides what an interruption means at safe points, and the
    caller raises Interrupted afterwards. Handlers are restored on the way out. A signal the
    process ignores (nohup, a background job) stays ignored."""
    pending: list[int] = []

    def note(signum: int, _frame: object) -> None:
        pending.append(signum)

    previous: dict[int, object] = {}
    try:
        for number in DEFERRED_SIGNALS:
            try:
                if signal.getsignal(number) is signal.SIG_IGN:
                    continue
                previous[number] = signal.signal(number, note)
            except ValueError:  # not the main thread: signals cannot be handled here
                break
        yield pending
    finally:
        for restored, handler in previous.items():
            signal.signal(restored, handler)  # type: ignore[arg-type]


class Recorded(NamedTuple):
    metric: MetricDef
    day: dt.date
    value: float
    row: str
    commit: str | None  # the new commit's sha; None when not committed
    not_committed_reason: str | None = None
    # one line each, for stderr: a detached HEAD, or a git failure after the commit was made
    warnings: tuple[str, ...] = ()


def commit_message(metric: MetricDef, value_text: str, day: dt.date) -> str:
    unit = "" if metric.is_stage or metric.unit == "count" else f" {metric.unit}"
    return f"log: {metric.id} = {value_text}{unit} ({day.isoformat()})"


def unknown_metric(metric_id: str, definitions: Definitions) -> str:
    """Why metric_id cannot be logged: it is defined with problems, a goal file that may
    define it cannot be read, or nothing defines it (with the nearest id)."""
    if metric_id in definitions.unresolved:
        return f"metric {metric_id!r} is defined with problems: `smartgoals check` lists them"
    message = f"unknown metric {metric_id!r}{suggest(metric_id, definitions.metrics)}"
    if definitions.unreadable:
        files = " and ".join(definitions.unreadable)
        message += f"; {files} cannot be read and may define it (`smartgoals check`)"
    return message


class Entry(NamedTuple):
    """One checked observation, ready to append."""

    metric: MetricDef
    day: dt.date
    value: float
    value_text: str  # as the journal stores it: a plain number or a stage name
    note: str
    row: str  # the CSV line

    @property
    def summary(self) -> str:
        unit = "" if self.metric.is_stage or self.metric.unit == "count" else f" {self.metric.unit}"
        return f"{self.metric.id} = {self.value_text}{unit} ({self.day.isoformat()})"


def check_metric(
    metrics: dict[str, MetricDef], metric_id: str, definitions: Definitions | None = None
) -> MetricDef:
    """The metric to record, or InvalidInputError: unknown (with a suggestion, and why when
    the definitions say: see unknown_metric), or derived."""
    metric = metrics.get(metric_id)
    if metric is None:
        if definitions is not None:
            raise InvalidInputError(unknown_metric(metric_id, definitions))
        raise InvalidInputError(f"unknown metric {metric_id!r}{suggest(metric_id, metrics)}")
    if metric.formula is not None:
        raise InvalidInputError(
            f"{metric_id} is computed from its formula ({metric.formula}), not recorded; "
            "log its inputs instead"
        )
    return metric


def make_entry(
    metrics: dict[str, MetricDef],
    metric_id: str,
    raw_value: str,
    day: dt.date,
    note: str,
    definitions: Definitions | None = None,
) -> Entry:
    """Check one observation against the definitions; InvalidInputError says what is wrong
    (the message starts with the metric id or names what is unknown)."""
    metric = check_metric(metrics, metric_id, definitions)
    try:
        value = parse_value(raw_value, metric)
        note = check_note(note)
    except ValueError as exc:
        raise InvalidInputError(f"{metric_id}: {exc}") from None
    return entry_for(metric, day, value, note)


def entry_for(metric: MetricDef, day: dt.date, value: float | None, note: str) -> Entry:
    """An entry for a checked value; None is a retraction (an empty value, see corrections)."""
    if value is None:
        value_text = ""
    else:
        value_text = (metric.stage_name(value) or "") if metric.is_stage else format_raw(value)
    row = format_row(day, metric.id, value_text, note)
    return Entry(metric, day, float("nan") if value is None else value, value_text, note, row)


def check_day(day_text: str | None, today: dt.date, option: str = "--date") -> dt.date:
    """A --date value (default today), not in the future."""

    day = day_option(day_text, today, option)
    if day > today:
        raise InvalidInputError(f"{option}: {day.isoformat()} is in the future")
    return day


def prepared_journal(root: Path, target: str) -> Path:
    """The target journal file's path, its folder (goals/log.d) made when missing."""
    path = root / target
    if target != JOURNAL:
        folder = path.parent
        if folder.is_symlink() and not folder.resolve().is_relative_to(root.resolve()):
            raise JournalError(f"{folder} is a symbolic link out of the ledger; not written")
        try:
            folder.mkdir(exist_ok=True)
        except OSError as exc:
            raise JournalError(f"cannot make {folder}: {exc.strerror or exc}") from None
    return path


def prepared_folder(root: Path, rel: str) -> Path:
    """The folders of a file a batch appends to (reviews/, reports/notes/), made when missing,
    never through a symbolic link out of the ledger."""
    path = root / rel
    folder = path.parent
    if not folder.resolve().is_relative_to(root.resolve()):
        raise JournalError(f"{folder} is outside the ledger; not written")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JournalError(f"cannot make {folder}: {exc.strerror or exc}") from None
    return path


class Written(NamedTuple):
    """What an append made: the commit, or why there is none; warnings for stderr."""

    commit: str | None
    not_committed_reason: str | None
    warnings: tuple[str, ...] = ()


NOTHING = Written(None, None)


def _uncommitted_base(appender: Appender, base: AppendBase, rel: str) -> AppendBase:
    """The base of the first log of a journal HEAD does not have yet (a new repository, or a
    journal never committed): the header `init` wrote goes into the commit with the row; rows
    nobody committed do not, since the commit would pass them off as this log's."""
    if base.blob is not None or appender.size_before == 0:
        return base
    before = os.pread(appender.fd, appender.size_before, 0)
    if before != appender.header.encode("utf-8"):
        where = "HEAD has no copy of it" if base.head else "the repository has no commit yet"
        raise GitError(
            f"{rel} holds rows that were never committed ({where}); "
            f"commit them first (git add -- {rel} && git commit -m 'Start the journal' -- {rel}), "
            "then log again"
        )
    return base._replace(uncommitted=before)


class FileAppend(NamedTuple):
    """Text appended to another file of the ledger in the same commit (close: a reviews file,
    a retrospective's notes, a roll-over goal file), made with its header when missing."""

    path: str  # ledger-relative, with slashes
    text: str
    header: str = ""
    new: bool = False  # the file must not exist yet (a goal file is never edited)


class Batch(NamedTuple):
    """What one command writes, in one commit: built by the command's own parsing, written by
    batch.commit_batch (validated against the loaded definitions first)."""

    entries: tuple[Entry, ...]  # values, to the journal file the settings choose
    message: str  # the commit message
    # rows for goals/checkins.csv (check-ins, withdrawals); None: the write touches only the
    # journal (log, import, pull, an undo of values), and may be left uncommitted
    checkins: str | None = None
    commit: bool = True  # False: --no-commit, append only
    files: tuple[FileAppend, ...] = ()  # other files, in the same commit (always committed)


class Refused(NamedTuple):
    """Nothing was written: every problem the validations found."""

    problems: tuple[Problem, ...]

    def error(self) -> InvalidInputError:
        """The refusal as the one-line error of a command that shows no problem list."""
        return InvalidInputError(f"{self.problems[0]}; nothing was recorded")


def append_and_commit(
    journal: Path,
    row: str,
    work_tree: Path | None,
    message: str,
    commit: bool,
    pending: list[int],
) -> Written:
    """The critical section: signals are only noted in `pending` while it runs. One arriving
    before the commit starts undoes the append; once git runs, what HEAD holds decides."""
    with locked_journal(journal) as appender:
        try:
            # checked under the lock (so other smartgoals processes are not mistaken for
            # strangers holding the index) and before the append (so a refusal writes nothing)
            repo = check_ready(work_tree) if work_tree is not None else None
            warnings: list[str] = []
            rel = ""
            base: AppendBase | None = None
            if repo is not None:
                rel = os.path.relpath(journal, repo.working_tree_dir).replace(os.sep, "/")
                base = append_base(repo, rel)  # refuses a filtered journal
                if appender.created and base.blob is not None:
                    raise GitError(
                        f"{rel} is missing from the work tree but HEAD has it (deleted, or left "
                        f"out by a sparse checkout); git restore -- {rel} (or git sparse-checkout "
                        "add goals) brings it back, then log again"
                    )
                base = _uncommitted_base(appender, base, rel)
                warning = detached_warning(repo)
                if warning:
                    warnings.append(warning)
            appender.check_tail()
            if pending:
                appender.discard()
                return NOTHING
            appender.append(row)
            if pending:
                appender.discard()
                return NOTHING
        except BaseException:
            appender.discard()
            raise
        if repo is None or base is None:
            return Written(None, "--no-commit" if not commit else "not inside a git work tree")
        try:
            sha, warning = commit_append(repo, journal, message, base, appender.appended)
        except BaseException:
            appender.discard()
            raise
        if warning:
            warnings.append(warning)
        return Written(sha, None, tuple(warnings))


def append_and_commit_files(
    root: Path,
    rows: dict[str, tuple[str, str]],
    work_tree: Path,
    message: str,
    pending: list[int],
) -> Written:
    """The critical section of a write to several files (see append_and_commit): every file
    is checked before any is appended to, and one commit takes them all."""

    wanted = {rel: value for rel, value in sorted(rows.items()) if value[0]}
    with contextlib.ExitStack() as stack:
        appenders = [
            stack.enter_context(locked_journal(root / rel, header))
            for rel, (_r, header) in wanted.items()
        ]
        try:
            repo = check_ready(work_tree)
            warnings: list[str] = []
            expected: dict[Path, bytes] = {}
            for appender in appenders:
                rel = os.path.relpath(appender.path, repo.working_tree_dir).replace(os.sep, "/")
                refuse_filtered(repo, rel)
                base = committed_bytes(repo, rel)
                if appender.created and base is not None:
                    raise GitError(
                        f"{rel} is missing from the work tree but HEAD has it; git restore -- "
                        f"{rel} brings it back"
                    )
                appender.check_tail()
                expected[appender.path] = base or b""
            warning = detached_warning(repo)
            if warning:
                warnings.append(warning)
            for appender, (text, _header) in zip(appenders, wanted.values(), strict=True):
                if pending:
                    break
                appender.append(text)
                expected[appender.path] += appender.appended
            if pending:
                for appender in appenders:
                    appender.discard()
                return NOTHING
        except BaseException:
            for appender in appenders:
                appender.discard()
            raise
        try:
            sha, warning = commit_paths(repo, expected, message)
        except BaseException:
            for appender in appenders:
                appender.discard()
            raise
        if warning:
            warnings.append(warning)
        return Written(sha, None, tuple(warnings))
