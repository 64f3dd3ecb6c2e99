"""`log`: record values (validate all -> plausibility -> lock -> one append -> one commit, or
nothing): `METRIC VALUE`, `METRIC=VALUE ...`, or rows from `--from FILE|-`."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from smartgoals.engine.plausibility import doubts, recent_values
from smartgoals.errors import (
    EXIT_USAGE,
    InvalidInputError,
    SmartgoalsError,
)
from smartgoals.files import read_limited
from smartgoals.ledger.loader import load_definitions_at
from smartgoals.ledger.model import MetricDef
from smartgoals.views.log import BatchView, RecordedView, RefusedView
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, Entry, Recorded, Refused, commit_message


class UsageError(SmartgoalsError):
    """Arguments missing: a usage error, as Click reports its own (exit 2)."""

    exit_code = EXIT_USAGE


Confirm = Callable[[str], bool]  # asks a person a yes/no question; None without a terminal


def log(
    root: Path,
    today: dt.date,
    items: Sequence[str],
    date: str | None = None,
    note: str = "",
    commit: bool = True,
    source: str | None = None,
    strict: bool = False,
    correct: bool = False,
    confirm: Confirm | None = None,
) -> RecordedView | BatchView | RefusedView:
    from smartgoals.write.entries import from_arguments, from_rows

    for item in items:
        if item.startswith("--"):
            raise UsageError(f"unknown option {item!r}")
    definitions = load_definitions_at(root)
    metrics = definitions.metrics
    if source is not None:
        if items:
            raise InvalidInputError("--from takes the values from FILE: give no METRIC VALUE too")
        checked = from_rows(
            metrics, _read_source(source), source, today, date, note, correct, definitions
        )
    elif len(items) == 1 and "=" not in items[0]:
        raise UsageError(f"missing VALUE after {items[0]} (or write {items[0]}=VALUE)")
    elif not items:
        raise UsageError("nothing to log: give METRIC VALUE, METRIC=VALUE ... or --from FILE")
    else:
        checked = from_arguments(metrics, items, today, date, note, correct, definitions)
    if checked.problems:
        return RefusedView(checked.problems)
    entries = checked.entries
    if correct:
        from smartgoals.write.corrections import corrections

        entries = corrections(root, metrics, entries)
    warnings = check_plausible(root, metrics, entries, strict, confirm, correct)
    single = len(entries) == 1 and source is None and len(items) == 2 and "=" not in items[0]
    if single:
        one = entries[0]
        message = commit_message(one.metric, one.value_text, one.day)
    else:
        message = batch_message(entries)
    if correct:
        message = message.replace("log: ", "log: correct ", 1)
    written = commit_batch(root, Batch(tuple(entries), message, commit=commit), definitions)
    if isinstance(written, Refused):
        return RefusedView(written.problems, warnings)
    if single:
        one = entries[0]
        return RecordedView(
            Recorded(
                one.metric,
                one.day,
                one.value,
                one.row,
                written.commit,
                written.not_committed_reason,
                (*warnings, *written.warnings),
            )
        )
    return BatchView(entries, written, (*warnings, *written.warnings))


def batch_message(entries: Sequence[Entry], subject: str | None = None) -> str:
    """`log: 3 values (2026-11-22)`, then one line per value."""
    days = sorted({entry.day for entry in entries})
    span = days[0].isoformat() + (f"..{days[-1].isoformat()}" if len(days) > 1 else "")
    count = f"{len(entries)} value{'s' if len(entries) != 1 else ''}"
    head = subject or f"log: {count} ({span})"
    return head + "\n\n" + "\n".join(entry.summary for entry in entries)


def _read_source(source: str) -> bytes:
    from smartgoals.write.entries import MAX_BATCH_BYTES

    if source != "-":
        try:
            return read_limited(Path(source), MAX_BATCH_BYTES, source)
        except ValueError as exc:
            raise InvalidInputError(f"--from: {exc}") from None
    try:
        data = sys.stdin.buffer.read(MAX_BATCH_BYTES + 1)
    except OSError as exc:
        raise InvalidInputError(f"--from: cannot read {source}: {exc.strerror or exc}") from None
    if len(data) > MAX_BATCH_BYTES:
        raise InvalidInputError(f"--from: {source} is larger than {MAX_BATCH_BYTES:,} bytes")
    return data


def check_plausible(
    root: Path,
    metrics: dict[str, MetricDef],
    entries: Sequence[Entry],
    strict: bool,
    confirm: Confirm | None,
    correct: bool = False,
) -> tuple[str, ...]:
    """The plausibility rules (plausibility.py) over every value: asked in a terminal (a "no"
    records nothing), refused with --strict, else warnings for stderr."""
    from smartgoals.ledger.journal import read_tails

    values = [(e.metric, e.day, e.value) for e in entries if e.value_text]
    if not values:
        return ()
    wanted = {metric.id for metric, _day, _value in values}
    history = recent_values(read_tails(root), metrics, wanted)
    if correct:  # a correction replaces its day: compare with the days before it
        first = min(day for _m, day, _v in values)
        history = {k: [(d, v) for d, v in rows if d < first] for k, rows in history.items()}
    found = doubts(values, history)
    if not found:
        return ()
    reasons = [doubt.reason for doubt in found]
    if strict:
        raise InvalidInputError(
            f"--strict: {'; '.join(reasons)}; nothing was recorded (check the value, or log it "
            "without --strict)"
        )
    if confirm is not None:
        for reason in reasons:
            if not confirm(f"{reason}: record it?"):
                raise InvalidInputError(f"not confirmed: {reason}; nothing was recorded")
        return ()
    return tuple(f"{reason}: recorded anyway (--strict refuses such values)" for reason in reasons)
