"""The bulk reader of a well-formed journal: the same rows and problems as the row reader,
with the work per row done in C wherever the text allows it.

journal._read_rows reads a journal one CSV record at a time and parses each value with its own
call; at 1M rows that is most of a cold run. Most journal lines are plain: exactly three
commas (or two: no note), no quote, no NUL byte, no correction. For those, the text is split
once, the columns are taken by slicing, each distinct date text is parsed once, and each
metric's values are converted by `map(float, ...)` after one check of their characters. Every
other line (quoted fields, a line break inside quotes, a wrong number of fields, a blank line,
a NUL byte, a correction, whose order matters) is handed, in its place, to the row reader
itself, so its problems are the row reader's, with its messages. Whatever this module does not
accept as a whole (text that is not UTF-8, a carriage return, a header other than the plain
one, a field longer than the csv module's limit, CSV the csv module refuses) makes it return
None having changed nothing, and the caller reads the text with the row reader alone.

Results are the row reader's to the object: the same series in the same (journal) order, the
same problems in the same order (each row gives at most one, sorted here by its line). A
property test (tests/ledger/test_bulkrows.py) holds the two to that on generated journals.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from smartgoals.errors import Problem
from smartgoals.ledger.model import MetricDef, Series
from smartgoals.ledger.values import parse_value
from smartgoals.periods import MAX_YEAR, MIN_YEAR
from smartgoals.quantity import MAX_ABS
from smartgoals.suggest import suggest

# reader(records, start, series, problems, derived_seen): the row reader over CSV records
# whose first physical line is line start + 1 (journal._read_rows with those arguments)
RowReader = Callable[[Any, int, dict[str, Series], list[Problem], set[str]], None]

HEADER = ("date", "metric", "value", "note")
CORRECTION = "correction:"
# lines read at once: their columns stay in the processor's cache (65,536 took twice as long)
CHUNK = 2048
WINDOW = 1 << 20  # bytes decoded and split at once (a 24 MB journal split whole held 70 MB)
# a line holding one of these is read by the row reader (a quote: CSV quoting; NUL: a
# problem of its own; a correction: it replaces the rows of its day read before it)
_SPECIAL = ('"', "\x00", CORRECTION)
_PLAIN_LENGTH = len(str(int(MAX_ABS))) - 1  # a plain number this long is below MAX_ABS


def read_bulk(
    data: bytes | memoryview,
    rel: str,
    metrics: dict[str, MetricDef],
    reader: RowReader,
    *,
    start: int = 0,
    derived_seen: set[str] | None = None,
) -> tuple[dict[str, Series], list[Problem], int] | None:
    """The series (journal order, unsorted), problems and count of lines the row reader gives
    for data, the complete lines of one journal file after its first `start` lines (0: data
    starts the file, header and all); None when the text is not one this reader takes whole
    (see the module's text): read it with the row reader then. Read a window of about
    WINDOW bytes at a time, so that only one window's text and lines are held at once."""
    view = memoryview(data)
    # derived_seen changes only with a result: a text declined is read again, from the same
    # derived metrics seen, by the row reader
    batch = _Batch(rel, metrics, start, set(derived_seen or ()))
    offset = 0
    try:
        while offset < len(view):
            end = _window_end(view, offset)
            first = offset == 0 and not start  # the file's first line: the header
            text = str(view[offset:end], "utf-8-sig" if first else "utf-8")
            if not _read_window(batch, reader, text, first):
                return None
            offset = end
    except (UnicodeDecodeError, csv.Error):
        return None
    if derived_seen is not None:
        derived_seen |= batch.seen
    return batch.series, batch.problems, batch.start - start


def _window_end(view: memoryview, offset: int) -> int:
    """Where the window from offset ends: after the first newline WINDOW bytes on (or at the
    end of the data)."""
    at = offset + WINDOW
    while at < len(view):
        found = bytes(view[at : at + 65536]).find(b"\n")
        if found >= 0:
            return at + found + 1
        at += 65536
    return len(view)


def _read_window(batch: _Batch, reader: RowReader, text: str, header: bool) -> bool:
    """Read one window's lines (header: it starts the file); False when the text is not one
    this reader takes (see the module's text). batch.start moves on by its lines."""
    if "\r" in text:
        return False
    lines = text.split("\n")
    ended = lines[-1] == ""
    if ended:
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return False
    first = 0
    if header and lines:
        fields = lines[0]
        if '"' in fields or tuple(f.strip().lower() for f in fields.split(",")) != HEADER:
            return False
        first = 1
    special, batch.short = _special_lines(text, lines, first)
    position = first
    for index in sorted(special):
        if index < position:
            continue  # read already, inside a record of quoted lines
        _read_plain(batch, lines, position, index)
        position = index + _read_records(batch, reader, lines, index, special, ended)
    _read_plain(batch, lines, position, len(lines))
    batch.start += len(lines)
    return True


def _special_lines(text: str, lines: list[str], first: int) -> tuple[set[int], list[int]]:
    """The indexes (from first on) of the lines the row reader must read (a field count other
    than 3 or 4, or a character of _SPECIAL), and of the other lines that have three fields
    (no note). Found by counting in C, and by a search for each special character (none in
    most journals)."""
    counts = list(map(str.count, lines, itertools.repeat(",")))
    special: set[int] = set()
    short: list[int] = []
    if counts.count(3) != len(lines):
        special.update(i for i in range(first, len(lines)) if counts[i] != 3 and counts[i] != 2)
        short = [i for i in range(first, len(lines)) if counts[i] == 2]
    present = [mark for mark in _SPECIAL if mark in text]
    if present:
        ends = list(itertools.accumulate(len(line) + 1 for line in lines))  # each line's end
        for mark in present:
            at = text.find(mark)
            while at >= 0:
                index = bisect_right(ends, at)
                if index >= first:
                    special.add(index)
                at = text.find(mark, ends[index] if index < len(ends) else len(text))
    return special, [i for i in short if i not in special]


class _OneRun:
    """CSV records from one line on, for as long as each next line is a special one."""

    def __init__(self, records: Any, index: int, special: set[int]) -> None:
        self.records = records
        self.index = index
        self.special = special

    @property
    def line_num(self) -> int:
        return int(self.records.line_num)

    def __iter__(self) -> Iterator[list[str]]:
        for record in self.records:
            yield record
            if self.index + self.records.line_num not in self.special:
                return


def _read_records(
    batch: _Batch,
    reader: RowReader,
    lines: list[str],
    index: int,
    special: set[int],
    ended: bool,
) -> int:
    """Read the records from line index on with the row reader, while the lines are special;
    returns how many lines they took (a quoted field may hold line breaks)."""
    last = len(lines) - 1

    def physical() -> Iterator[str]:
        for i in range(index, len(lines)):
            yield lines[i] + "\n" if i < last or ended else lines[i]

    records = csv.reader(physical(), strict=True)
    run = _OneRun(records, index, special)
    reader(run, batch.start + index, batch.series, batch.problems, batch.seen)
    return max(int(records.line_num), 1)


class _Batch:
    """What a bulk read builds: the series and problems, with what is kept across chunks."""

    def __init__(self, rel: str, metrics: dict[str, MetricDef], start: int, seen: set[str]) -> None:
        self.rel = rel
        self.metrics = metrics
        self.start = start
        self.seen = seen
        self.series: dict[str, Series] = {}
        self.problems: list[Problem] = []
        self.days: dict[str, dt.date | str] = {}  # a str: why it is not a date
        self.hints: dict[str, str] = {}  # an unknown metric's suggestion
        self.short: list[int] = []  # the plain lines with three fields (no note), in order


def _read_plain(batch: _Batch, lines: list[str], begin: int, end: int) -> None:
    """Read lines[begin:end], every one plain (3 commas, no special character), in chunks."""
    for low in range(begin, end, CHUNK):
        _read_chunk(batch, lines, low, min(low + CHUNK, end))


def _read_chunk(batch: _Batch, lines: list[str], begin: int, end: int) -> None:
    """Read the plain lines[begin:end]: columns by slicing, each date text parsed once, the
    values converted for the whole chunk when all are plain numbers, then per metric."""
    chunk = lines[begin:end]
    short = batch.short
    for at in range(bisect_left(short, begin), bisect_left(short, end)):
        chunk[short[at] - begin] += ","  # three fields: the note is empty
    flat = ",".join(chunk).split(",")
    texts, ids, values, notes = flat[0::4], flat[1::4], flat[2::4], flat[3::4]
    known = batch.days
    unique = set(texts)
    for text in unique.difference(known):
        known[text] = _day(text)
    days = list(map(known.__getitem__, texts))
    dated = not any(type(known[text]) is str for text in unique)  # every date text a date
    floats = _floats(values) if dated else None
    base = batch.start + begin + 1  # the line of the chunk's first row
    found: list[tuple[int, Problem]] = []
    for metric_id, rows in _groups(ids).items():
        metric = batch.metrics.get(metric_id)
        if metric is None:
            _unknown(batch, metric_id, [base + i for i in rows], found)
        elif metric.formula is not None:
            if metric_id not in batch.seen:
                batch.seen.add(metric_id)
                found.append((base + rows[0], _recorded(batch.rel, metric, base + rows[0])))
        else:
            pick = _picker(rows)  # a chunk holds about 20 rows of each metric
            picked = (
                pick(days),
                None if floats is None or metric.stages else pick(floats),
                pick(notes),
                tuple(map(base.__add__, rows)),
            )
            _add_rows(batch, metric, picked, (pick, values), dated, found)
    if found:
        found.sort(key=_first)
        batch.problems += [problem for _line, problem in found]


def _picker(rows: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    """The items at rows of a column, as a tuple (itemgetter: one C loop, twice as fast as
    mapping the column's __getitem__ over a few rows)."""
    if len(rows) == 1:
        at = rows[0]
        return lambda column: (column[at],)
    return itemgetter(*rows)


def _groups(ids: list[str]) -> dict[str, list[int]]:
    """The indexes of each metric's rows, in order."""
    groups: dict[str, list[int]] = {}
    get = groups.get
    for i, metric_id in enumerate(ids):
        group = get(metric_id)
        if group is None:
            groups[metric_id] = [i]
        else:
            group.append(i)
    return groups


def _first(item: tuple[int, Problem]) -> int:
    return item[0]


# the rows of one metric in a chunk: their dates (a message where the text is not a date),
# values (None: not converted yet), notes and lines
Picked = tuple[Sequence[Any], Sequence[float] | None, Sequence[str], Sequence[int]]


def _add_rows(
    batch: _Batch,
    metric: MetricDef,
    picked: Picked,
    written: tuple[Callable[[list[Any]], tuple[Any, ...]], list[str]],
    dated: bool,
    found: list[tuple[int, Problem]],
) -> None:
    """Add one metric's rows of a chunk; written: the picker of its rows and the chunk's
    values as written; dated: every date text of the chunk is a date."""
    days, values, notes, lines = picked
    if values is None:
        texts = written[0](written[1])
        if not metric.stages and dated:
            values = _floats(texts)
        if values is None:  # a bad date or a value that is not a plain number: row by row
            days, values, notes, lines = _row_by_row(batch, metric, picked, texts, found)
            if not days:
                return
    one = batch.series.get(metric.id)
    if one is None:
        one = batch.series[metric.id] = Series()
    one.dates += days
    one.values += values
    one.notes += notes
    one.lines += lines


def _floats(texts: Sequence[str]) -> list[float] | None:
    """The values of texts when parse_value reads every one as float() reads it (ASCII, no
    `_`, within its bounds); None otherwise."""
    joined = "".join(texts)
    if not joined.isascii() or "_" in joined:
        return None
    try:
        values = list(map(float, texts))
    except ValueError:
        return None
    longest = max(map(len, texts), default=0)
    if longest <= _PLAIN_LENGTH and not any(map(joined.__contains__, "eEiInN")):
        return values  # at most 15 characters and no exponent, inf or nan: below 1e15
    # inf fails the bounds and nan makes the sum nan (min and max may step over a nan):
    # parse_value's general parser decides those
    total = sum(values, 0.0)
    if total != total or (values and not (min(values) >= -MAX_ABS and max(values) <= MAX_ABS)):
        return None
    return values


def _row_by_row(
    batch: _Batch,
    metric: MetricDef,
    picked: Picked,
    texts: Sequence[str],
    found: list[tuple[int, Problem]],
) -> tuple[list[dt.date], list[float], list[str], list[int]]:
    """The rows of one metric checked one by one, as the row reader checks them."""
    days, _values, notes, lines = picked
    kept: tuple[list[dt.date], list[float], list[str], list[int]] = ([], [], [], [])
    for day, value_text, note, line in zip(days, texts, notes, lines, strict=True):
        if type(day) is str:
            found.append((line, Problem(batch.rel, line, 1, day, "date")))
            continue
        try:
            value = parse_value(value_text, metric)
        except ValueError as exc:
            found.append((line, Problem(batch.rel, line, 0, str(exc), "value")))
            continue
        kept[0].append(day)
        kept[1].append(value)
        kept[2].append(note)
        kept[3].append(line)
    return kept


def _day(text: str) -> dt.date | str:
    """The date of a row's date text, or the row reader's message when it is not one."""
    try:
        if len(text) != 10:
            raise ValueError
        day = dt.date.fromisoformat(text)
    except ValueError:
        return f"{text!r} is not a date (YYYY-MM-DD)"
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return f"year {day.year} in {text!r} is out of range ({MIN_YEAR}-{MAX_YEAR})"
    return day


def _unknown(
    batch: _Batch, metric_id: str, lines: list[int], found: list[tuple[int, Problem]]
) -> None:
    hint = batch.hints.get(metric_id)
    if hint is None:
        hint = batch.hints[metric_id] = suggest(metric_id, batch.metrics)
    message = f"unknown metric {metric_id!r}{hint}"
    found += [(line, Problem(batch.rel, line, 0, message, "metric")) for line in lines]


def _recorded(rel: str, metric: MetricDef, line: int) -> Problem:
    """The problem of a derived metric's first row in a file (the row reader's words)."""
    where = metric.formula_where
    message = (
        f"{metric.id} is computed from its formula, but {rel}:{line} records it; "
        "remove the formula or the rows"
    )
    return Problem(where.path, where.line, where.column, message, "formula")
