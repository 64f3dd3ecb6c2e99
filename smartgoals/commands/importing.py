"""`import`: a file exported by another tool, mapped by rules to observations; new ones are
appended in one locked append and one commit, or, on any invalid row, nothing is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.errors import InvalidInputError
from smartgoals.views.exchange import ImportView
from smartgoals.views.log import RefusedView
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, Entry, Refused, Written

MAX_IMPORT_BYTES = 200_000_000
BODY_LINES = 100  # the commit message lists at most this many values


def import_file(
    root: Path,
    today: dt.date,
    file: str,
    rules_path: str | None = None,
    preset: str | None = None,
    dry_run: bool = False,
    update: bool = False,
) -> ImportView | RefusedView:
    from smartgoals.importing.mapping import map_rows
    from smartgoals.importing.records import UnreadableRowsError, open_table
    from smartgoals.importing.rules import MetricColumn, find_rules
    from smartgoals.ledger.journal import CORRECTION
    from smartgoals.ledger.loader import load_ledger
    from smartgoals.write.importplan import plan

    path = Path(file)
    _check_readable(path)
    rules, problems = find_rules(root, path, rules_path, preset)
    if rules is None:
        return RefusedView(tuple(problems))
    if rules.note.startswith(CORRECTION):
        raise InvalidInputError(f"note: a note starting with {CORRECTION!r} marks a correction")
    fmt = rules.format or ("json" if path.suffix.lower() == ".json" else "csv")
    wanted = [rules.date]
    for value in rules.values:
        wanted.extend([value.value] if value.value else [])
        if isinstance(value.metric, MetricColumn):
            wanted.append(value.metric.column)
    # the rows are read as they are mapped: the file is never held whole (a JSON file's text
    # is, once), nor are its rows
    table, problems = open_table(
        path, path.name, fmt, rules.delimiter, rules.records, wanted, MAX_IMPORT_BYTES
    )
    if table is None or problems:
        return RefusedView(tuple(problems))
    ledger = load_ledger(root)  # the journal is read once, here
    try:
        mapped = map_rows(table, rules, ledger.metrics, path.name, today)
    except UnreadableRowsError as exc:
        return RefusedView((exc.problem,))
    del table
    if mapped.problems:
        return RefusedView(tuple(mapped.problems))
    planned = plan(mapped.observations, ledger.series, rules.note, update)
    skipped, left_out = mapped.skipped_rows, tuple(dict.fromkeys(mapped.left_out))
    del mapped  # the observations: the entries hold what is written
    written: Written | None = None
    if planned.entries and not dry_run:
        batch = Batch(planned.entries, message(path.name, rules.name, planned.entries))
        done = commit_batch(root, batch, ledger.definitions)
        if isinstance(done, Refused):
            return RefusedView(done.problems)
        written = done
    return ImportView(
        path.name,
        rules.name,
        planned.entries,
        planned.same,
        planned.conflicts,
        skipped,
        left_out,
        dry_run,
        update,
        written,
    )


def message(file: str, rules: str, entries: tuple[Entry, ...]) -> str:
    """`import: 31 values from visitors.csv (plausible)`, then one line per value (at most
    BODY_LINES, then how many more)."""
    count = f"{len(entries)} value{'s' if len(entries) != 1 else ''}"
    lines = [entry.summary for entry in entries[:BODY_LINES]]
    if len(entries) > BODY_LINES:
        lines.append(f"... and {len(entries) - BODY_LINES} more")
    return f"import: {count} from {file} ({rules})\n\n" + "\n".join(lines)


def _check_readable(path: Path) -> None:
    """One line, before any rules are looked for, when the file cannot be opened or is
    larger than MAX_IMPORT_BYTES (open_table checks again as it reads)."""
    try:
        size = path.stat().st_size
        path.open("rb").close()
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if path.is_file() and size > MAX_IMPORT_BYTES:
        raise InvalidInputError(f"{path} is larger than {MAX_IMPORT_BYTES:,} bytes")
