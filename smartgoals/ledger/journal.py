"""goals/log.csv: streaming read with line numbers, and locked, all-or-nothing appends."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import itertools
import os
import stat
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartgoals.errors import InvalidInputError, JournalError, LockError, Problem
from smartgoals.files import (
    GOALS_DIR,
    JOURNAL,
    JOURNAL_SETTING_USER,
    SETTINGS,
    shard_name,
    shard_paths,
)
from smartgoals.ledger.model import MetricDef, Series, SettingsDef
from smartgoals.ledger.parts import read_parts
from smartgoals.ledger.values import parse_value
from smartgoals.periods import MAX_YEAR, MIN_YEAR
from smartgoals.suggest import suggest
from smartgoals.vcs.repo import user_email

if TYPE_CHECKING:
    from smartgoals.ledger.gaps import Gaps

HEADER = ("date", "metric", "value", "note")
HEADER_LINE = ",".join(HEADER) + "\n"
LOCK_WAIT_SECONDS = 30.0  # other smartgoals processes hold it for one append and commit each
MAX_NOTE_LENGTH = 2_000
# A row whose note starts with this corrects its metric's value on its date: it replaces every
# earlier row of that metric and date (an empty value leaves the day without one). Old readers
# see a later row of the same day, which already wins for the default `last` aggregate.
CORRECTION = "correction:"


def read_journal(
    data: bytes, rel: str, metrics: dict[str, MetricDef], gaps: Gaps | None = None
) -> tuple[dict[str, Series], list[Problem]]:
    """Read every observation from the journal's bytes; each bad row becomes a Problem at its
    line and is skipped. Rows of a metric in gaps (see gaps.py) are not reported one by one."""
    series: dict[str, Series] = {}
    problems: list[Problem] = []
    _read_file(data, rel, metrics, series, problems, gaps, None)
    for one in series.values():
        one.sort()
    if gaps:
        problems.extend(gaps.summary(rel))
    return series, problems


def read_journals(
    parts: Sequence[tuple[str, bytes]], metrics: dict[str, MetricDef], gaps: Gaps | None = None
) -> tuple[dict[str, Series], list[Problem]]:
    """Every observation of a journal in shards, in one streaming pass: parts are (path, bytes)
    in reading order (files.journal_order: goals/log.csv, then goals/log.d/*.csv by name).

    Rows of one metric and day keep that order (then their line), so with the `last` aggregate
    the row read last wins. A correction replaces the rows of its day read before it, and rows
    of that day in other files that are not corrections are dropped too: it is final whichever
    file sorts after it. Two files that give different values for one metric and day, with no
    correction of the day anywhere, are a problem at the later row naming both (sum metrics
    excepted: their rows add up).
    """
    if len(parts) == 1:
        return read_journal(parts[0][1], parts[0][0], metrics, gaps)
    series: dict[str, Series] = {}
    problems: list[Problem] = []
    shared = Shards(parts[0][0])
    for rel, data in parts:
        _read_file(data, rel, metrics, series, problems, gaps, shared)
    # a metric whose every row another file's correction replaced has no observations, however
    # the rows were read (journalcache.py reads each file on its own)
    series = {metric_id: one for metric_id, one in series.items() if one.dates}
    for one in series.values():
        one.sort()
    shared.add_first(series)
    problems.extend(shared.conflicts())
    if gaps:
        problems.extend(gaps.summary(tuple(rel for rel, _data in parts)))
    return series, problems


def parse_rows(
    data: bytes | memoryview,
    rel: str,
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
    problems: list[Problem],
    *,
    start: int = 0,
    shared: Shards | None = None,
    derived_seen: set[str] | None = None,
) -> int:
    """Parse complete lines of one journal file into series (in journal order, unsorted) and
    problems, as a full read does, and return how many lines they were: the way to go on from
    an earlier parse of the file's first lines (journalcache.py). start: the lines read before
    these (line numbers go on from there; 0: data starts the file, header, BOM and all).
    shared: what to keep across the files of a journal in shards (Shards); derived_seen: the
    derived metrics the lines before named (each is reported once per file). Unlike
    read_journal, text that is not UTF-8 or not CSV raises (UnicodeDecodeError, csv.Error)."""
    if shared is None and not series:
        bulk = read_parts(
            data, rel, metrics, _row_reader(rel, metrics), start=start, derived_seen=derived_seen
        )
        if bulk is not None:
            series.update(bulk[0])
            problems += bulk[1]
            return bulk[2]
    encoding = "utf-8" if start else "utf-8-sig"  # a BOM only at the file's start
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, strict=True)
    _read_rows(reader, rel, metrics, series, problems, None, shared, start, derived_seen)
    return int(reader.line_num)


class Shards:
    """What reading several journal files keeps across them: where each day was corrected,
    and the value of each plain row of the files after the first, to find files that disagree.

    Every disagreement involves a row of a later file, so the first file (goals/log.csv, often
    nearly the whole journal) keeps nothing per row: its rows on the days the later files
    name are found afterwards in the sorted series (add_first)."""

    def __init__(self, first: str) -> None:
        self.first = first
        self.corrected: dict[tuple[str, dt.date], str] = {}
        self.rows: dict[tuple[str, dt.date], list[tuple[str, int, float, str]]] = {}
        # for journalcache.py, which reads each file on its own: the line of each day's first
        # correction, and the plain rows whose value did not parse (metric, day, line)
        self.first_correction: dict[tuple[str, dt.date], int] = {}
        self.unparsed: list[tuple[str, dt.date, int]] = []
        self.keep_paths = True  # each row's file in Series.paths (journalcache.py has one file)

    def add_first(self, series: dict[str, Series]) -> None:
        """Put the first file's rows of each day a later file gave, ahead of the later rows
        (the order they were read in)."""
        for (metric_id, day), rows in self.rows.items():
            one = series.get(metric_id)
            if one is None or one.paths is None:
                continue
            start, end = bisect_left(one.dates, day), bisect_right(one.dates, day)
            first = [
                (self.first, one.lines[i], one.values[i], _number_text(one.values[i]))
                for i in range(start, end)
                if one.paths[i] == self.first and not is_correction(one.notes[i])
            ]
            if first:
                rows[:0] = sorted(first, key=lambda row: row[1])

    def conflicts(self) -> list[Problem]:
        found = []
        for (metric_id, day), rows in self.rows.items():
            if len(rows) < 2 or (metric_id, day) in self.corrected:
                continue
            for index, (rel, line, value, text) in enumerate(rows):
                other = next(
                    (row for row in rows[:index] if row[0] != rel and row[2] != value), None
                )
                if other is None:
                    continue
                message = (
                    f"{metric_id} on {day.isoformat()}: {rel}:{line} says {text}, but "
                    f"{other[0]}:{other[1]} says {other[3]}; settle it with "
                    f"`smartgoals log {metric_id} VALUE --date {day.isoformat()} --correct`"
                )
                found.append(Problem(rel, line, 0, message, "value"))
        return found


def _read_file(
    data: bytes,
    rel: str,
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
    problems: list[Problem],
    gaps: Gaps | None,
    shared: Shards | None,
) -> None:
    torn = bool(data) and not data.endswith(b"\n")
    bulk = None
    if shared is None and gaps is None and not series:
        bulk = read_parts(data, rel, metrics, _row_reader(rel, metrics))
    if bulk is not None:  # a well-formed journal, read in bulk: the same rows and problems
        series.update(bulk[0])
        problems += bulk[1]
        if torn:
            problems.append(
                Problem(rel, bulk[2], 0, "the last line has no newline (a torn write?)")
            )
        return
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", errors="strict", newline="")
    reader = csv.reader(text, strict=True)
    try:
        _read_rows(reader, rel, metrics, series, problems, gaps, shared)
    except UnicodeDecodeError as exc:
        problems.append(Problem(rel, 0, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except csv.Error as exc:
        problems.append(Problem(rel, reader.line_num, 0, f"malformed CSV: {exc}"))
    if torn:
        problems.append(
            Problem(rel, reader.line_num, 0, "the last line has no newline (a torn write?)")
        )


# Over 80 lines on purpose: the hot path of every read, one loop with no function call per row.
def _read_rows(
    reader: Any,
    rel: str,
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
    problems: list[Problem],
    gaps: Gaps | None = None,
    shared: Shards | None = None,
    start: int = 0,
    derived_seen: set[str] | None = None,
) -> None:
    """start: the lines of the file read before these (journalcache.py reads only the rows
    appended since its last run): the header is the file's first line, and line numbers go on
    from there. derived_seen: the derived metrics the lines before named (each is reported
    once per file)."""
    rows: Iterable[list[str]] = reader
    if not start:
        header = next(reader, None)
        if header is None:
            return
        if tuple(field.strip().lower() for field in header) != HEADER:
            problems.append(Problem(rel, 1, 1, f"the header must be {HEADER_LINE.strip()!r}"))
            if header and _looks_like_date(header[0]):
                rows = itertools.chain([header], reader)  # a journal without a header
    fromisoformat = dt.date.fromisoformat
    days: dict[str, dt.date] = {}
    if derived_seen is None:
        derived_seen = set()
    for row in rows:
        line = reader.line_num + start
        if len(row) == 4:
            day_text, metric_id, value_text, note = row
        elif len(row) == 3:
            day_text, metric_id, value_text = row
            note = ""
        elif not row:
            continue
        else:
            problems.append(Problem(rel, line, 1, f"expected 4 fields, found {len(row)}"))
            continue
        metric = metrics.get(metric_id)
        if metric is None:
            hint = suggest(metric_id, metrics)
            found: Problem | None = Problem(
                rel, line, 0, f"unknown metric {metric_id!r}{hint}", "metric"
            )
            if gaps and found is not None:
                found = gaps.unknown("metric", metric_id, found)
            if found is not None:
                problems.append(found)
            continue
        if metric.formula is not None:
            if metric_id not in derived_seen:
                derived_seen.add(metric_id)
                where = metric.formula_where
                message = (
                    f"{metric_id} is computed from its formula, but {rel}:{line} records it; "
                    "remove the formula or the rows"
                )
                problems.append(Problem(where.path, where.line, where.column, message, "formula"))
            continue
        day = days.get(day_text)  # one date object per day: cheaper, and cached once
        if day is None:
            try:
                if len(day_text) != 10:
                    raise ValueError
                day = fromisoformat(day_text)
            except ValueError:
                problems.append(
                    Problem(rel, line, 1, f"{day_text!r} is not a date (YYYY-MM-DD)", "date")
                )
                continue
            if not MIN_YEAR <= day.year <= MAX_YEAR:  # growth() steps back a year from them
                message = f"year {day.year} in {day_text!r} is out of range ({MIN_YEAR}-{MAX_YEAR})"
                problems.append(Problem(rel, line, 1, message, "date"))
                continue
            days[day_text] = day
        if "\x00" in note:
            problems.append(Problem(rel, line, 0, "contains a NUL byte", "note"))
            continue
        correction = note.startswith(CORRECTION)
        if correction:
            one = series.get(metric_id)
            if one is not None:
                _drop_day(one, day)
            if shared is not None:
                shared.corrected[(metric_id, day)] = rel
                shared.first_correction.setdefault((metric_id, day), line)
            if not value_text:
                continue  # a retraction: the day has no value of this metric any more
        elif shared and shared.corrected and shared.corrected.get((metric_id, day), rel) != rel:
            continue  # another file corrected this day: the correction is final
        try:
            value = parse_value(value_text, metric)
        except ValueError as exc:
            problems.append(Problem(rel, line, 0, str(exc), "value"))
            if shared is not None and not correction:
                shared.unparsed.append((metric_id, day, line))
            continue
        one = series.get(metric_id)
        if one is None:
            paths: list[str] | None = None if shared is None or not shared.keep_paths else []
            one = series[metric_id] = Series(paths=paths)
        one.dates.append(day)
        one.values.append(value)
        one.notes.append(note)
        one.lines.append(line)
        if shared is not None:
            if one.paths is not None:
                one.paths.append(rel)
            if not correction and metric.aggregate != "sum" and rel != shared.first:
                shared.rows.setdefault((metric_id, day), []).append((rel, line, value, value_text))


def _row_reader(rel: str, metrics: dict[str, MetricDef]) -> Any:
    """_read_rows as bulkrows.read_bulk calls it, for the lines it does not read itself."""

    def read(
        records: Any,
        start: int,
        series: dict[str, Series],
        problems: list[Problem],
        seen: set[str],
    ) -> None:
        _read_rows(records, rel, metrics, series, problems, None, None, start, seen)

    return read


def _number_text(value: float) -> str:
    """A value as a row of the journal could have written it (1200, 0.48)."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _drop_day(one: Series, day: dt.date) -> None:
    """Remove the rows of this day that a correction replaces (the lists are in journal
    order here: sorting comes after every row is read)."""
    keep = [i for i, d in enumerate(one.dates) if d != day]
    if len(keep) == len(one.dates):
        return
    one.dates = [one.dates[i] for i in keep]
    one.values = [one.values[i] for i in keep]
    one.notes = [one.notes[i] for i in keep]
    one.lines = [one.lines[i] for i in keep]
    if one.paths is not None:
        one.paths = [one.paths[i] for i in keep]


def is_correction(note: str) -> bool:
    return note.startswith(CORRECTION)


def _looks_like_date(text: str) -> bool:
    return len(text) == 10 and text[4:5] == "-" and text[:4].isdigit()


def _open_regular(path: Path, flags: int, mode: int = 0o644) -> int:
    """Open path refusing symlinks and anything but a regular file."""
    # O_NONBLOCK: opening a FIFO must not hang; the type is checked before anything is read
    extra = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK
    fd = os.open(path, flags | extra, mode)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise JournalError(f"{path} is not a regular file; refusing to use it as the journal")
    os.set_blocking(fd, True)
    return fd


def format_row(day: dt.date, metric: str, value: str, note: str) -> str:
    """One CSV line for the journal, quoted where needed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([day.isoformat(), metric, value, note])
    return buffer.getvalue()


def check_note(note: str) -> str:
    """Notes are one line of printable text."""
    if any(ch in note for ch in "\r\n\x00"):
        raise ValueError("a note must be one line (no line breaks)")
    if len(note) > MAX_NOTE_LENGTH:
        raise ValueError(f"a note may have at most {MAX_NOTE_LENGTH:,} characters")
    return note


class Appender:
    """An open, locked journal: append one row, undo it if the commit that follows fails."""

    def __init__(
        self, fd: int, path: Path, created: bool = False, header: str = HEADER_LINE
    ) -> None:
        self.header = header  # written first into an empty file
        self.fd = fd
        self.path = path
        self.size_before = os.fstat(fd).st_size
        self.created = created  # this process created the file (it did not exist before)
        self.appended = b""  # the bytes the append wrote: the row, after the header if created

    def check_tail(self) -> None:
        if self.size_before == 0:
            return
        last = os.pread(self.fd, 1, self.size_before - 1)
        if last not in (b"\n",):
            raise JournalError(
                f"{self.path.name}: the last line has no newline at the end (a torn write or an "
                "editor's doing); add the newline or remove the partial row, then log again"
            )

    def append(self, row: str) -> None:
        data = (self.header + row if self.size_before == 0 else row).encode("utf-8")
        try:
            os.lseek(self.fd, 0, os.SEEK_END)
            view = memoryview(data)
            while view:
                written = os.write(self.fd, view)
                view = view[written:]
            os.fsync(self.fd)
        except OSError as exc:
            self.undo()
            raise JournalError(f"cannot write {self.path.name}: {exc.strerror or exc}") from None
        self.appended = data

    def undo(self) -> None:
        """Put the journal back to the bytes it had before append."""
        with contextlib.suppress(OSError):
            os.ftruncate(self.fd, self.size_before)
            os.fsync(self.fd)
        self.appended = b""

    def discard(self) -> None:
        """Undo, and remove the file too when this process created it: a refused first log
        leaves no empty journal behind. Call it while the lock is held."""
        self.undo()
        if self.created and os.fstat(self.fd).st_size == 0:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


def _journal_mode() -> int:
    """rw-r--r-- (0644), or stricter where the umask takes more from group and others; the
    owner can always read and write it, whatever odd umask is set."""
    mask = os.umask(0o022)
    os.umask(mask)
    return (0o644 & ~mask) | 0o600


def _open_journal(path: Path) -> tuple[int, bool]:
    """The journal opened for appending, and whether this call created it."""
    try:
        return _open_regular(path, os.O_RDWR | os.O_APPEND), False
    except FileNotFoundError:
        pass
    try:
        fd = _open_regular(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it just now
        return _open_regular(path, os.O_RDWR | os.O_APPEND), False
    try:
        os.fchmod(fd, _journal_mode())
    except OSError:
        os.close(fd)
        raise
    return fd, True


@contextlib.contextmanager
def locked_journal(path: Path, header: str = HEADER_LINE) -> Iterator[Appender]:
    """Open (creating if missing) and exclusively lock the journal (or another append-only CSV
    with its own header, such as goals/checkins.csv) for one append + commit."""
    import fcntl

    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd, created = _open_journal(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise JournalError(
                    f"{path} is a symbolic link; refusing to write through it"
                ) from None
            raise JournalError(f"cannot open {path}: {exc.strerror or exc}") from None
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise LockError(
                            f"another smartgoals process has held {path.name} for "
                            f"{LOCK_WAIT_SECONDS:.0f} s; try again"
                        ) from None
                    time.sleep(0.02)
        except BaseException:
            os.close(fd)
            raise
        if _still_at(fd, path):
            break
        os.close(fd)  # the holder removed the file it had created: open the path again
    try:
        yield Appender(fd, path, created, header)
    finally:
        os.close(fd)  # closing releases the lock


def _still_at(fd: int, path: Path) -> bool:
    """True when fd is still the file at path (not unlinked or replaced while we waited)."""
    try:
        here = os.lstat(path)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


TAIL_BYTES = 256_000  # how far back `log` looks for a metric's recent values


def read_tail(path: Path, limit: int = TAIL_BYTES) -> list[list[str]]:
    """The complete rows in the last `limit` bytes of the journal (the header, a row cut at the
    start and malformed rows left out): recent history without reading the whole journal, so
    `log` stays O(1) in the journal's length. A missing or unreadable journal has none."""
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except (OSError, JournalError):
        return []
    try:
        size = os.fstat(fd).st_size
        start = max(0, size - limit)
        data = os.pread(fd, size - start, start)
    finally:
        os.close(fd)
    if start > 0:
        data = data[data.find(b"\n") + 1 :] if b"\n" in data else b""
    text = data.decode("utf-8-sig", "replace")
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            if len(row) in (3, 4) and _looks_like_date(row[0]):
                rows.append(row)
    except csv.Error:
        pass
    return rows


def read_tails(root: Path, limit: int = TAIL_BYTES) -> list[list[str]]:
    """read_tail of every journal file (goals/log.csv, then the shards by name)."""

    rows: list[list[str]] = []
    for rel in (JOURNAL, *shard_paths(root.resolve())):
        rows.extend(read_tail(root / rel, limit))
    return rows


def journal_target(root: Path, settings: SettingsDef, email: str | None = None) -> str:
    """The journal file new rows are appended to, ledger-relative: goals/log.csv, or what
    `journal:` in the settings names, with {user} replaced by git's user.email reduced to a
    safe file name (files.shard_name). The one choice every writer makes (log, checkin, undo,
    import, pull): call it rather than naming goals/log.csv. email: the address to use instead
    of asking git (GitError when git knows none). Settings whose problems may hide the setting
    are refused (InvalidInputError): guessing the file would put rows where the team does not
    look for them."""

    if settings.journal_problem is not None:
        raise InvalidInputError(
            f"{SETTINGS} has problems, so the journal file to append to is not known: "
            f"{settings.journal_problem} (`smartgoals check` lists them all)"
        )
    setting = settings.journal
    if setting is None:
        return JOURNAL
    if JOURNAL_SETTING_USER in setting:
        if email is None:
            email = user_email(root)
        name = shard_name(email)
        if not name:
            raise InvalidInputError(
                f"git's user.email {email!r} leaves no file name for {{user}} in journal:"
            )
        setting = setting.replace(JOURNAL_SETTING_USER, name)
    return f"{GOALS_DIR}/{setting}"
