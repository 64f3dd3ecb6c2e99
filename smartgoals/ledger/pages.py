"""The journal cache's series in pages: a warm run reads the points its judgements read.

An entry (journalcache.py) is a sealed head and blocks after it (store.write_sealed): the head,
authenticated with the user's key, holds every metric's count and page directory, and each
page's SHA-256; a page is PAGE points of one metric (its dates and values), packed on its own
(pack_page). A series read from an entry gets a PagedList for its dates and one for its values:
a sequence of the whole series' length that reads a page from the entry file (by offset, from
the descriptor opened when the head was read) the first time one of its points is asked for, and
checks it against the digest the head holds before believing it. So a warm `status` holds each
metric's pages that its judgements touched (the latest points, a baseline, the window of a held
target or a quota) instead of every observation, and finding a date (PagedList.bisect_left,
model.index_left) reads one page, found through the pages' first dates, which the head keeps.

Anything that changes a paged list but an append (a correction's deletion, a sort) first
reads it whole into a plain list (materialize); rows appended after the entry's are kept
beside the pages. A page that does not match its digest (the entry file changed in place
after its head was read, by someone with this user's rights) is refused: DamagedEntryError,
never its points.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
import weakref
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from operator import itemgetter
from typing import Any, BinaryIO, cast

from smartgoals.errors import SmartgoalsError
from smartgoals.ledger import store
from smartgoals.ledger.lazyrows import LazySeries
from smartgoals.ledger.model import Series
from smartgoals.ledger.rowcodec import pack_rows, unpack_rows

PAGE = 1024  # points of one metric in a page
_INFINITY = float("inf")


class DamagedEntryError(SmartgoalsError):
    """A page of a journal cache entry does not match the digest its sealed head holds."""


class DatesOnly(pickle.Unpickler):
    """Builds plain data and datetime.date, nothing else (no other class, no function)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")


def unpickle(data: bytes | memoryview) -> Any:
    return DatesOnly(io.BytesIO(data)).load()


class Blocks:
    """An entry's blocks, read by offset from the entry file opened when its head was read
    (an entry written anew since is another file: this one still holds these blocks)."""

    def __init__(self, handle: BinaryIO, base: int) -> None:
        self.handle = handle
        self.base = base
        weakref.finalize(self, handle.close)  # closed with the last series that reads it

    def read(self, ref: Any) -> bytes:
        """The block at ref's (offset, length, digest), checked against its digest; ref may go
        on (a page's first date); ValueError when it is not a block's reference."""
        offset, length, digest = _ref(ref[:3])
        data = os.pread(self.handle.fileno(), length, self.base + offset)
        if len(data) != length or store.hasher(data, bulk=True).hexdigest() != digest:
            raise DamagedEntryError(
                "the journal cache entry changed while it was read; run the command again"
            )
        return data


class Writer:
    """The blocks of an entry being written, and each one's (offset, length, digest)."""

    def __init__(self) -> None:
        self.blocks: list[bytes] = []
        self.size = 0

    def add(self, data: bytes) -> tuple[int, int, str]:
        ref = (self.size, len(data), str(store.hasher(data, bulk=True).hexdigest()))
        self.blocks.append(data)
        self.size += len(data)
        return ref

    def rows(self, notes: list[str], lines: list[int]) -> list[tuple[int, int, str]]:
        """One series' notes and lines as pages of PAGE: each page's (offset, length, digest)."""
        return [
            self.add(pack_rows(notes[at : at + PAGE], lines[at : at + PAGE]))
            for at in range(0, len(notes), PAGE)
        ]

    def series(
        self, dates: list[dt.date], values: list[float]
    ) -> tuple[list[Any], tuple[list[dt.date], list[float]]]:
        """One series as pages: the directory of its full pages, each one's (offset, length,
        digest, first date), and its last page (up to PAGE points, kept in the entry's tail
        block, which every lookup reads and checks)."""
        directory = []
        end = (len(dates) - 1) // PAGE * PAGE if dates else 0
        for start in range(0, end, PAGE):
            ref = self.add(pack_page(dates[start : start + PAGE], values[start : start + PAGE]))
            directory.append((*ref, dates[start]))
        return directory, (dates[end:], values[end:])


class SeriesPages:
    """One metric's pages in an entry: its last one given (the entry's tail block, read at
    lookup), each other read and checked when first asked for."""

    def __init__(
        self,
        blocks: Blocks,
        metric: str,
        directory: list[Any],
        last: Any,
        rescue: Rescue | None = None,
    ) -> None:
        self.blocks = blocks
        self.metric = metric
        self.rescue = rescue
        # each page's (offset, length, digest, first date): the block reference is checked
        # when the page is read (Blocks.read), the first dates now, in C (10M rows: 10,000)
        self.refs: list[Any] = directory
        try:
            self.firsts: list[dt.date] = list(map(itemgetter(3), directory))
        except (TypeError, IndexError, KeyError):
            raise ValueError(f"a page of {metric} that no entry holds") from None
        if type(directory) is not list or not set(map(type, self.firsts)) <= {dt.date}:
            raise ValueError(f"a page of {metric} that no entry holds")
        self.loaded: dict[int, tuple[list[dt.date], list[float]]] = {}
        self.count = PAGE * len(self.refs)
        self.pages = len(self.refs)
        if self.refs or last[0]:
            dates, values = _checked_page(last)
            if len(dates) > PAGE:
                raise ValueError(f"a page of {metric} that no entry holds")
            self.loaded[self.pages] = (dates, values)
            self.firsts.append(dates[0])
            self.count += len(dates)
            self.pages += 1

    def page(self, index: int) -> tuple[list[dt.date], list[float]]:
        found = self.loaded.get(index)
        if found is None:
            try:
                found = self._read(index)
            except DamagedEntryError:
                if self.rescue is None:
                    raise
                dates, values = self.rescue.truth(self.metric)
                span = slice(index * PAGE, (index + 1) * PAGE)
                return dates[span], values[span]
            self.loaded[index] = found
        return found

    def _read(self, index: int) -> tuple[list[dt.date], list[float]]:
        try:
            found = _checked_page(unpack_page(self.blocks.read(self.refs[index])))
        except DamagedEntryError:
            raise
        except Exception:  # whatever a page holds that no parse gives
            raise DamagedEntryError(f"a journal cache page of {self.metric} is damaged") from None
        if len(found[0]) != PAGE or found[0][0] != self.firsts[index]:
            raise DamagedEntryError(f"the journal cache's page of {self.metric} is not its own")
        return found


def pack_page(dates: list[dt.date], values: list[float]) -> bytes:
    """A full page as two packed arrays, day numbers then values (native doubles: an entry is
    read where it was written); far faster than a pickle of a thousand date objects."""
    return array("q", map(dt.date.toordinal, dates)).tobytes() + array("d", values).tobytes()


def unpack_page(data: bytes) -> tuple[list[dt.date], list[float]]:
    """pack_page's page; another length or a day number no date has raises (a damaged page)."""
    if len(data) != 16 * PAGE:
        raise ValueError("a page of another length")
    days, values = array("q"), array("d")
    days.frombytes(data[: 8 * PAGE])
    values.frombytes(data[8 * PAGE :])
    return list(map(_DAYS.__getitem__, days)), values.tolist()


class _Days(dict[int, dt.date]):
    """Each day number's date, made once a run and shared by every page that holds it."""

    def __missing__(self, number: int) -> dt.date:
        day = self[number] = dt.date.fromordinal(number)
        return day


_DAYS = _Days()


def _checked_page(page: Any) -> tuple[list[dt.date], list[float]]:
    """A page when it holds what a parse gives: as many dates as values, dates at its ends,
    finite numbers (a sum in C: an int too large for a float raises, as does text, and inf or
    nan totals inf or nan)."""
    dates, values = page
    if not (type(dates) is type(values) is list and len(dates) == len(values) > 0):
        raise DamagedEntryError("a journal cache page of another shape")
    if not (type(dates[0]) is type(dates[-1]) is dt.date):
        raise DamagedEntryError("a journal cache page without dates")
    try:
        total = sum(values, 0.0)
    except (TypeError, OverflowError):
        raise DamagedEntryError("a journal cache page with a value no parse gives") from None
    if not -_INFINITY < total < _INFINITY:
        raise DamagedEntryError("a journal cache page with a value no parse gives")
    return dates, values


class Rescue:
    """What a run does when a page or the rows block of its entry turns out damaged after the
    load (a page is checked when first read): parse this run's journal again, as a miss does
    (journalcache writes the entry anew), and give every series of the entry its truth, in
    place, so that no answer is ever made of the damaged bytes. During the load (redo None)
    the damage is raised, and the journal cache reads as for a miss."""

    def __init__(self) -> None:
        self.redo: Callable[[], Mapping[str, Series]] | None = None
        self.members: list[tuple[str, Series]] = []
        self.found: Mapping[str, Series] | None = None

    def rows(self, metric: str) -> tuple[list[str], list[int]]:
        """The truth of metric's notes and lines (as truth)."""
        self.truth(None)
        assert self.found is not None
        one = self.found.get(metric)
        return ([], []) if one is None else (one.notes, one.lines)

    def truth(self, metric: str | None) -> tuple[list[Any], list[float]]:
        """The truth of metric (dates and values; none: the rows' block), every member series
        switched to its own."""
        if self.redo is None:
            raise DamagedEntryError("a journal cache page is damaged")
        if self.found is None:
            self.found = self.redo()
            for member, lazy in self.members:
                adopt(lazy, self.found.get(member))
        if metric is None:
            return [], []
        one = self.found.get(metric)
        return ([], []) if one is None else (one.dates, one.values)


def adopt(one: Series, truth: Series | None) -> None:
    """one holds truth's rows instead of the entry's (Rescue)."""
    truth = truth or Series()
    for name in ("dates", "values"):
        column = getattr(one, name)
        if type(column) is PagedList:
            column.adopt(getattr(truth, name))
        else:
            setattr(one, name, getattr(truth, name))
    if isinstance(one, LazySeries):
        columns: list[Any] = [one._notes, one._lines]
        truths: list[list[Any]] = [truth.notes, truth.lines]
        for column, items in zip(columns, truths, strict=True):
            if type(column) is PagedList:
                column.adopt(items)
        one.adopt(truth.notes, truth.lines)
    else:
        one.notes, one.lines = truth.notes, truth.lines


class PagedList:
    """One column (0: dates, 1: values) of a metric's pages as a sequence of the series'
    length, each page read when one of its points is first asked for; items appended since
    (rows after the entry's) kept beside them; read whole into a plain list before any other
    change."""

    __slots__ = ("_column", "_extra", "_list", "_pages")

    def __init__(self, pages: SeriesPages, column: int) -> None:
        self._pages = pages
        self._column = column
        self._extra: list[Any] = []
        self._list: list[Any] | None = None

    def adopt(self, items: list[Any]) -> None:
        """Hold items (the column's truth, parsed again: Rescue) instead of the pages."""
        self._list = items
        self._extra = []

    def same_stretch(self, other: object, start: int, stop: int) -> bool:
        """True when rows start:stop are one stored page in both lists with one digest: the
        same points, known without reading them (diff of two revisions' series)."""
        page, offset = divmod(start, PAGE)
        return bool(
            type(other) is PagedList
            and self._list is other._list is None
            and offset == 0
            and stop - start == PAGE
            and page < min(len(self._pages.refs), len(other._pages.refs))
            and self._pages.refs[page][2] == other._pages.refs[page][2]
        )

    def materialize(self) -> list[Any]:
        if self._list is None:
            self._list = list(self)
            self._extra = []
        return self._list

    def __len__(self) -> int:
        if self._list is not None:
            return len(self._list)
        return self._pages.count + len(self._extra)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, key: Any) -> Any:
        if self._list is not None:
            return self._list[key]
        if isinstance(key, slice):
            start, stop, step = key.indices(len(self))
            if step != 1:
                return self.materialize()[key]
            return self._range(start, stop)
        size = len(self)
        index = key.__index__()
        if index < 0:
            index += size
        if not 0 <= index < size:
            raise IndexError("list index out of range")
        count = self._pages.count
        if index >= count:
            return self._extra[index - count]
        return self._pages.page(index // PAGE)[self._column][index % PAGE]

    def _range(self, start: int, stop: int) -> list[Any]:
        count = self._pages.count
        result: list[Any] = []
        at = start
        while at < min(stop, count):
            page, offset = divmod(at, PAGE)
            column = self._pages.page(page)[self._column]
            piece = column[offset : offset + min(stop, count) - at]
            result += piece
            at += len(piece)
        if stop > count:
            result += self._extra[max(0, start - count) : stop - count]
        return result

    def __iter__(self) -> Iterator[Any]:
        if self._list is not None:
            return iter(self._list)
        return self._all()

    def _all(self) -> Iterator[Any]:  # in C: combining journal files reads a million points
        pages, column = self._pages, self._column
        return chain(
            chain.from_iterable(pages.page(page)[column] for page in range(pages.pages)),
            self._extra,
        )

    def __reversed__(self) -> Iterator[Any]:
        return iter(self.materialize()[::-1])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PagedList | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __add__(self, other: Iterable[Any]) -> list[Any]:
        return [*self, *other]

    def __radd__(self, other: Iterable[Any]) -> list[Any]:
        return [*other, *self]

    def __iadd__(self, items: Iterable[Any]) -> PagedList:
        self.extend(items)
        return self

    def extend(self, items: Iterable[Any]) -> None:
        if self._list is not None:
            self._list.extend(items)
        else:
            self._extra.extend(items)

    def append(self, item: Any) -> None:
        self.extend([item])

    def __setitem__(self, key: Any, value: Any) -> None:
        self.materialize()[key] = value

    def __delitem__(self, key: Any) -> None:
        del self.materialize()[key]

    def __repr__(self) -> str:
        return f"PagedList({len(self)} items)"

    def bisect_left(self, item: Any, low: int = 0, high: int | None = None) -> int:
        return self._bisect(item, low, high, bisect_left)

    def bisect_right(self, item: Any, low: int = 0, high: int | None = None) -> int:
        return self._bisect(item, low, high, bisect_right)

    def _bisect(self, item: Any, low: int, high: int | None, find: Any) -> int:
        """find (bisect_left or bisect_right) over the dates, reading one page: the one its
        first dates say holds the place (the series is in date order)."""
        size = len(self)
        high = size if high is None else high
        if self._list is not None or self._column != 0:
            return int(find(self.materialize(), item, low, high))
        count = self._pages.count
        page = find(self._pages.firsts, item) - 1
        at = 0 if page < 0 else page * PAGE + find(self._pages.page(page)[0], item)
        if at == count:
            at += find(self._extra, item)
        return max(low, min(at, high))


def encode(files: list[Any], computed: Mapping[str, Series] | None) -> tuple[bytes, list[bytes]]:
    """The payload of an entry's head (each journal file's parse: journalcache._State) and its
    blocks: each series' notes and lines in pages (read only by a command that shows rows,
    lazyrows.py), its full pages of dates and values, then every series' last page in one
    block, which each lookup reads and checks."""
    writer = Writer()
    rows = [
        [writer.rows(_listed(s.notes), _listed(s.lines)) for s in state.series.values()]
        for state in files
    ]
    paged = [
        [(m, writer.series(_listed(s.dates), _listed(s.values))) for m, s in state.series.items()]
        for state in files
    ]
    derived = None
    if computed is not None:
        derived = [
            (m, writer.series(_listed(s.dates), _listed(s.values))) for m, s in computed.items()
        ]
    tail = (
        [[(m, *last) for m, (_directory, last) in one] for one in paged],
        [(m, *last) for m, (_directory, last) in derived or []],
    )
    tail_ref = writer.add(pickle.dumps(tail, protocol=5))
    held = [
        (
            state.lines,
            sorted(state.derived),
            [tuple(p) for p in state.problems],
            [
                (m, directory, row_pages)
                for (m, (directory, _last)), row_pages in zip(one, row_dirs, strict=True)
            ],
            state.corrected,
            state.texts,
            state.unparsed,
        )
        for state, one, row_dirs in zip(files, paged, rows, strict=True)
    ]
    body = (
        held,
        None if derived is None else [(m, directory) for m, (directory, _last) in derived],
        tail_ref,
    )
    return pickle.dumps(body, protocol=5), writer.blocks


def decode_head(
    body: Any, blocks: Blocks
) -> tuple[list[Any], dict[str, Series] | None, list[Any], Rescue]:
    """What an entry's unpickled head holds: each file's parse (as encode held it), the
    derived series, each file's last pages (read and checked against their digest now), and
    the Rescue of its series."""
    files, computed, tail_ref = body
    tails, derived_tails = unpickle(blocks.read(_ref(tail_ref)))
    rescue = Rescue()

    derived = None
    if computed is not None:  # derived series, paged the same way (their notes are all "")
        derived = {}
        for (metric, directory), (held_id, dates, values) in zip(
            computed, derived_tails, strict=True
        ):
            if held_id != metric:
                raise ValueError(f"the last page of {metric} is another metric's")
            found = SeriesPages(blocks, metric, directory, (dates, values), rescue)
            one = Series(
                cast(list[Any], PagedList(found, 0)),
                cast(list[float], PagedList(found, 1)),
                [""] * found.count,
                [0] * found.count,
            )
            derived[metric] = one
            rescue.members.append((metric, one))
        if len(derived) != len(computed):
            raise ValueError("a derived metric twice")
    return files, derived, tails, rescue


def paged_members(
    blocks: Blocks, series: list[Any], tail: list[Any], rescue: Rescue
) -> list[tuple[str, LazySeries]]:
    """A file's series, each with its dates and values, and its notes and lines, read a page
    at a time."""
    members = []
    for (metric, directory, row_pages), (held_id, dates, values) in zip(series, tail, strict=True):
        if held_id != metric:
            raise ValueError(f"the last page of {metric} is another metric's")
        found = SeriesPages(blocks, metric, directory, (dates, values), rescue)
        column, numbers = PagedList(found, 0), PagedList(found, 1)
        rows = SeriesRows(RowPages(blocks, metric, row_pages, found.count, rescue))
        one = LazySeries(cast(list[Any], column), cast(list[float], numbers), rows)
        rows.member = one
        members.append((metric, one))
    rescue.members += members
    return members


class RowPages(SeriesPages):
    """One metric's notes and lines in pages (the same points as its dates and values), each
    read and checked when first asked for."""

    def __init__(
        self, blocks: Blocks, metric: str, directory: list[Any], count: int, rescue: Rescue
    ) -> None:
        self.blocks, self.metric, self.rescue = blocks, metric, rescue
        if type(directory) is not list or len(directory) != (count + PAGE - 1) // PAGE:
            raise ValueError(f"the rows of {metric} are not its points'")
        self.refs = directory  # each reference checked when its page is read (Blocks.read)
        self.firsts = []
        self.count, self.pages = count, len(self.refs)
        self.loaded: dict[int, tuple[list[Any], list[Any]]] = {}

    def page(self, index: int) -> tuple[list[Any], list[Any]]:
        found = self.loaded.get(index)
        if found is None:
            try:
                found = self._read(index)
            except DamagedEntryError:
                notes, lines = self.rescue.rows(self.metric) if self.rescue else ([], [])
                span = slice(index * PAGE, (index + 1) * PAGE)
                return notes[span], lines[span]
            self.loaded[index] = found
        return found

    def _read(self, index: int) -> tuple[list[Any], list[Any]]:
        try:
            expected = min(PAGE, self.count - index * PAGE)
            notes, lines = unpack_rows(self.blocks.read(self.refs[index]), expected, unpickle)
        except DamagedEntryError:
            raise
        except Exception:
            raise DamagedEntryError(f"a journal cache page of {self.metric} is damaged") from None
        if not (
            type(notes) is type(lines) is list
            and len(notes) == len(lines) == expected
            and set(map(type, notes)) <= {str}  # in C: a page of notes is a thousand rows
            and set(map(type, lines)) <= {int}
        ):
            raise DamagedEntryError(f"the journal cache's rows of {self.metric} are not its own")
        return notes, lines


class SeriesRows:
    """The notes and lines of one series from the journal cache (lazyrows.LazySeries reads
    them through fill): paged lists, each page read when first asked for."""

    def __init__(self, pages: RowPages) -> None:
        self.pages = pages
        self.member: LazySeries | None = None

    def fill(self) -> None:
        if self.member is not None:
            member, self.member = self.member, None
            notes, lines = PagedList(self.pages, 0), PagedList(self.pages, 1)
            member.fill(cast(list[str], notes), cast(list[int], lines))


def _listed(items: Any) -> list[Any]:
    """items as a list to slice: itself when it is one (a copy of a million items touches a
    million objects), else read whole (paged lists)."""
    return items if type(items) is list else list(items)


def _ref(ref: Any) -> tuple[int, int, str]:
    offset, length, digest = ref
    if not (type(offset) is type(length) is int and offset >= 0 < length and type(digest) is str):
        raise ValueError("not a block of the entry")
    return offset, length, digest
