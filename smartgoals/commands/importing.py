"""`import`: a file exported by another tool, mapped by rules to observations; new ones are
appended in one locked append and one commit, or, on any invalid row, nothing is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.errors import InvalidInputError
from smartgoals.files import read_limited
from smartgoals.views.exchange import ImportView
from smartgoals.views.log import RefusedView
from smartgoals.write.recording import Entry, Written

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
    from smartgoals.importing.records import read_table
    from smartgoals.importing.rules import MetricColumn, find_rules
    from smartgoals.ledger.journal import CORRECTION
    from smartgoals.ledger.loader import load_ledger
    from smartgoals.write.importplan import plan

    path = Path(file)
    data = _read(path)
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
    table, problems = read_table(data, path.name, fmt, rules.delimiter, rules.records, wanted)
    if table is None or problems:
        return RefusedView(tuple(problems))
    ledger = load_ledger(root)  # the journal is read once, here
    mapped = map_rows(table, rules, ledger.metrics, path.name, today)
    if mapped.problems:
        return RefusedView(tuple(mapped.problems))
    planned = plan(mapped.observations, ledger.series, rules.note, update)
    written: Written | None = None
    if planned.entries and not dry_run:
        from smartgoals.write.batch import commit_batch
        from smartgoals.write.recording import Batch, Refused

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
        mapped.skipped_rows,
        tuple(dict.fromkeys(mapped.left_out)),
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


def _read(path: Path) -> bytes:
    try:
        return read_limited(path, MAX_IMPORT_BYTES, str(path))
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None
