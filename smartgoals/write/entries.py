"""Values to record as people give them: `METRIC VALUE`, `METRIC=VALUE ...`, or
`date,metric,value,note` rows from a file or standard input. Every item is checked against the
definitions; every problem is collected (with its row number), none stops the others."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import NamedTuple

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.ledger.journal import CORRECTION, HEADER
from smartgoals.ledger.model import Definitions, MetricDef
from smartgoals.write.recording import Entry, check_day, make_entry

MAX_BATCH_BYTES = 50_000_000


class Checked(NamedTuple):
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]


def from_arguments(
    metrics: dict[str, MetricDef],
    items: Sequence[str],
    today: dt.date,
    date: str | None,
    note: str,
    allow_correction: bool = False,
    definitions: Definitions | None = None,
) -> Checked:
    """`METRIC VALUE` (one value) or `METRIC=VALUE ...` (several, one date and note)."""
    day = check_day(date, today)  # one --date for every value: its error is the command's
    problems: list[Problem] = []
    pairs: list[tuple[str, str, str]] = []
    if len(items) == 2 and not any("=" in item for item in items):
        pairs.append((items[0], items[1], ""))
    for item in items if not pairs else ():
        metric_id, equals, raw = item.partition("=")
        if not equals or not metric_id:
            message = "expected METRIC=VALUE (or the one-value form METRIC VALUE)"
            problems.append(Problem(item, 0, 0, message))
        else:
            pairs.append((metric_id.strip(), raw.strip(), item))
    if not pairs and not problems:
        raise InvalidInputError(
            "nothing to log: give METRIC VALUE, METRIC=VALUE ... or --from FILE"
        )
    entries = []
    seen: set[str] = set()
    for metric_id, raw, where in pairs:
        try:
            _refuse_marker(note, allow_correction)
            if metric_id in seen:
                raise InvalidInputError(f"{metric_id} is given twice")
            seen.add(metric_id)
            entries.append(make_entry(metrics, metric_id, raw, day, note, definitions))
        except InvalidInputError as exc:
            if not where:  # the one-value form: its one error is the command's, as before
                raise
            problems.append(Problem(where, 0, 0, str(exc)))
    return Checked(tuple(entries), tuple(problems))


def from_rows(
    metrics: dict[str, MetricDef],
    data: bytes,
    source: str,
    today: dt.date,
    date: str | None,
    note: str,
    allow_correction: bool = False,
    definitions: Definitions | None = None,
) -> Checked:
    """Rows `date,metric,value,note` (a header line is optional; an empty date is --date, an
    empty note is --note), each checked, every problem with its row number."""
    default_day = check_day(date, today)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Checked((), (Problem(source, 0, 0, f"not UTF-8 text (at byte {exc.start})"),))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    entries: list[Entry] = []
    problems: list[Problem] = []
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not field.strip() for field in row):
                continue
            if line == 1 and tuple(f.strip().lower() for f in row) == HEADER:
                continue
            if len(row) not in (3, 4):
                problems.append(
                    Problem(
                        source, line, 0, f"expected date,metric,value,note; found {len(row)} fields"
                    )
                )
                continue
            day_text, metric_id, raw = (field.strip() for field in row[:3])
            row_note = row[3] if len(row) == 4 and row[3] else note
            try:
                day = check_day(day_text, today, "date") if day_text else default_day
                _refuse_marker(row_note, allow_correction)
                entries.append(make_entry(metrics, metric_id, raw, day, row_note, definitions))
            except InvalidInputError as exc:
                problems.append(Problem(source, line, 0, str(exc)))
    except csv.Error as exc:
        problems.append(Problem(source, reader.line_num, 0, f"malformed CSV: {exc}"))
    if not entries and not problems:
        problems.append(Problem(source, 0, 0, "no rows to log"))
    return Checked(tuple(entries), tuple(problems))


def _refuse_marker(note: str, allow: bool) -> None:
    if note.startswith(CORRECTION) and not allow:
        raise InvalidInputError(
            f"a note starting with {CORRECTION!r} marks a correction; use --correct to correct "
            "a value"
        )
