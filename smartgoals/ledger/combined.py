"""The combination of a journal in several files, cached with the files' parses.

journalcache.py caches each file of a journal on its own (goals/log.csv and the shards in
goals/log.d/) and combines them as journal.read_journals does (combine). Combining reads every
point of every file and checks every shard row for a conflict: at 1M rows in three files that
took most of a warm `status`. So an entry of several files also holds the combination: every
metric's combined series, paged like a file's (pages.py) with the file of each row in pages of
its own, and the combined problems (the conflicts included). A warm run in which no file
changed reads it as it reads a single file's series, a page when a judgement asks for one.

Rows appended since are merged into it without combining again when they cannot change
anything but their own place at the end (merged): no problem among them, no correction, each a
day after the combined series' last one (or that day, when every row of it is in the same
file), on a day no file corrected, and no day given by two files. Anything else combines the
files again (their conflict-check inputs are then read: a block of their own, read only for
that), and the new combination is stored whenever the entry is written anew.
"""

from __future__ import annotations

import datetime as dt
import pickle
from array import array
from itertools import chain
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, cast

from smartgoals.errors import Problem
from smartgoals.ledger import pages
from smartgoals.ledger.journal import Shards
from smartgoals.ledger.lazyrows import LazySeries, Rows
from smartgoals.ledger.model import Series, index_left, index_right
from smartgoals.ledger.pages import (
    Blocks,
    DamagedEntryError,
    PagedList,
    RowPages,
    SeriesPages,
    SeriesRows,
    Writer,
    encode,
    unpickle,
)

Combination = tuple[dict[str, Series], list[Problem]]


def combine(files: list[Any]) -> Combination:
    """What journal.read_journals makes of the files' rows (journalcache._State each): each
    file's parse on its own, then the rows of a day a correction settled kept from the last
    file that corrected it only, every metric's rows sorted by date (file, then line, within a
    day), and the days two files disagree on reported (see journal.read_journals)."""
    if len(files) == 1:
        return files[0].series, list(files[0].problems)
    settled: dict[tuple[str, dt.date], int] = {}  # (metric, day) -> the last file correcting it
    problems: list[Problem] = []
    for index, state in enumerate(files):
        # a full read skips a plain row, value unread, on a day a file before corrected and
        # this one had not yet: its value's problem is not reported
        skipped = {
            line
            for metric_id, day, line in state.unparsed
            if (metric_id, day) in settled and state.corrected.get((metric_id, day), line) >= line
        }
        problems += (
            [p for p in state.problems if not (p.line in skipped and p.field == "value")]
            if skipped
            else state.problems
        )
        settled.update(dict.fromkeys(state.corrected, index))
    dropped: dict[tuple[str, int], list[dt.date]] = {}  # (metric, file) -> days left out
    for (metric_id, day), last in settled.items():
        for index, state in enumerate(files):
            if index != last and metric_id in state.series:
                dropped.setdefault((metric_id, index), []).append(day)
    series: dict[str, Series] = {}
    for index, state in enumerate(files):
        for metric_id, one in state.series.items():
            days = dropped.get((metric_id, index))
            if days:
                one = _without(one, days)
            combined = series.get(metric_id)
            if combined is None:
                combined = series[metric_id] = Series(paths=[])
            assert combined.paths is not None
            combined.dates += one.dates
            combined.values += one.values
            combined.notes += one.notes
            combined.lines += one.lines
            combined.paths += [state.rel] * len(one.dates)
    series = {metric_id: one for metric_id, one in series.items() if one.dates}
    for one in series.values():
        one.sort()
    shared = Shards(files[0].rel)
    shared.corrected = {key: files[last].rel for key, last in settled.items()}
    for state in files[1:]:
        for key, rows in state.texts.items():
            shared.rows.setdefault(key, []).extend(rows)
    shared.add_first(series)
    problems.extend(shared.conflicts())
    return series, problems


def _without(one: Series, days: list[dt.date]) -> Series:
    """one (in date order) without the rows of these days, as new lists."""
    keep = Series(one.dates[:], one.values[:], one.notes[:], one.lines[:])
    for day in days:
        start, end = index_left(keep.dates, day), index_right(keep.dates, day)
        del keep.dates[start:end], keep.values[start:end]
        del keep.notes[start:end], keep.lines[start:end]
    return keep


def combination(entry: Any, appended: list[Any]) -> Combination:
    """The combined series and problems of the entry's files (journalcache._Entry): the cached
    combination, with the rows appended since merged when they can be (merged), or the files
    combined again (then kept as the entry's combination, to be stored with it)."""
    found = merged(entry, appended)
    if found is not None:
        return found
    series, problems = recombine(entry)
    entry.combined = (series, problems) if len(entry.files) > 1 else None
    entry.settled = None
    return series, problems


def recombine(entry: Any) -> Combination:
    """The entry's files combined again, their conflict-check inputs read first."""
    load_inputs(entry)
    return combine(entry.files)


def merged(entry: Any, appended: list[Any]) -> Combination | None:
    """The entry's cached combination with the appended rows (each file's as (rel, series
    added, whether it corrected a day, problems added), in file order) after its own, or None
    when they could change more than that (see the module's text)."""
    if entry.combined is None or entry.settled is None:
        return None
    series, problems = entry.combined
    new: dict[str, list[tuple[str, Series]]] = {}
    owner: dict[tuple[str, dt.date], str] = {}  # the file of each (metric, day) added
    for rel, added, corrected, problems_added in appended:
        if corrected or problems_added:
            return None
        for metric_id, rows in added.items():
            if not rows.dates:
                continue
            one = series.get(metric_id)
            if one is None:
                return None
            last = one.dates[-1]
            for day in rows.dates:
                if day < last or (metric_id, day) in entry.settled:
                    return None
                if owner.setdefault((metric_id, day), rel) != rel:
                    return None
            if owner.get((metric_id, last)) == rel and not _only(one, last, rel):
                return None
            new.setdefault(metric_id, []).append((rel, rows))
    for metric_id, parts in new.items():
        _append(series[metric_id], parts)
    return series, list(problems)


def _only(one: Series, day: dt.date, rel: str) -> bool:
    """Whether every row of one on day (its last) is in the file rel."""
    paths = one.paths
    return paths is not None and all(path == rel for path in paths[index_left(one.dates, day) :])


def _append(one: Series, parts: list[tuple[str, Series]]) -> None:
    """Add the files' new rows after one's (in date order; a day's rows in file, then journal
    order), without reading the rows it holds."""
    dates = list(chain.from_iterable(rows.dates for _rel, rows in parts))
    if not dates:
        return
    values = list(chain.from_iterable(rows.values for _rel, rows in parts))
    notes = list(chain.from_iterable(rows.notes for _rel, rows in parts))
    lines = list(chain.from_iterable(rows.lines for _rel, rows in parts))
    paths = list(chain.from_iterable([rel] * len(rows.dates) for rel, rows in parts))
    if dates != sorted(dates):
        pick = itemgetter(*sorted(range(len(dates)), key=dates.__getitem__))
        dates, values, notes, lines, paths = (
            list(pick(column)) for column in (dates, values, notes, lines, paths)
        )
    if isinstance(one, LazySeries):
        one.extend(dates, values, notes, lines)
    else:
        one.dates += dates
        one.values += values
        one.notes += notes
        one.lines += lines
    assert one.paths is not None
    one.paths += paths


def load_inputs(entry: Any) -> None:
    """Give each file its conflict-check inputs (the lines of its corrections, its rows' texts,
    its unparsed rows) from the entry's block, what was read since after them."""
    inputs, entry.inputs = entry.inputs, None
    if inputs is None:
        return
    held = unpickle(inputs[0].read(inputs[1]))
    if not (
        type(held) is list
        and len(held) == len(entry.files)
        and all(type(one) is tuple and len(one) == 3 for one in held)
        and all(type(c) is type(t) is dict and type(u) is list for c, t, u in held)
    ):
        raise DamagedEntryError("the journal cache's inputs are not its files'")
    for state, (corrected, texts, unparsed) in zip(entry.files, held, strict=True):
        for key, line in state.corrected.items():
            corrected.setdefault(key, line)
        for key, rows in state.texts.items():
            texts.setdefault(key, []).extend(rows)
        unparsed += state.unparsed
        state.corrected, state.texts, state.unparsed = corrected, texts, unparsed


def encode_entry(
    files: list[Any], computed: dict[str, Series] | None, combined: Combination | None
) -> tuple[bytes, list[bytes]]:
    """The payload of an entry's head and its blocks: the files' parses as pages.encode lays
    them out (without their conflict-check inputs), a block of those inputs, and, for several
    files, the combination: its problems, the days some file corrected, and each series in
    pages (dates and values, notes and lines, and the index of each row's file)."""
    shells = [
        SimpleNamespace(
            lines=s.lines,
            derived=s.derived,
            problems=s.problems,
            series=s.series,
            corrected={},
            texts={},
            unparsed=[],
        )
        for s in files
    ]
    payload, blocks = encode(shells, computed)
    writer = Writer()
    writer.size = sum(map(len, blocks))
    held = [(s.corrected, s.texts, s.unparsed) for s in files]
    inputs = writer.add(pickle.dumps(held, protocol=5))
    section = None
    if combined is not None:
        index = {s.rel: at for at, s in enumerate(files)}
        members, lasts = [], []
        for metric_id, one in combined[0].items():
            row_pages = writer.rows(list(one.notes), list(one.lines))
            directory, last = writer.series(list(one.dates), list(one.values))
            numbers = [index[path] for path in one.paths or ()]
            path_pages = [
                writer.add(array("I", numbers[at : at + pages.PAGE]).tobytes())
                for at in range(0, len(numbers), pages.PAGE)
            ]
            members.append((metric_id, directory, row_pages, path_pages))
            lasts.append((metric_id, *last))
        tail = writer.add(pickle.dumps(lasts, protocol=5))
        settled = sorted({key for s in files for key in s.corrected})
        section = ([tuple(p) for p in combined[1]], members, tail, settled)
    head = pickle.dumps((payload, inputs, section), protocol=5)
    return head, blocks + writer.blocks


def decode_entry(payload: Any, blocks: Blocks) -> tuple[Any, Any, Any]:
    """What encode_entry's payload holds: the files' head (for pages.decode_head), the inputs'
    block (for load_inputs) and the combination's section (for decode_combined)."""
    files, inputs, section = unpickle(payload)
    return unpickle(files), (blocks, pages._ref(inputs)), section


def decode_combined(
    section: Any, blocks: Blocks, rels: list[str], rescue: pages.Rescue
) -> tuple[Combination, set[tuple[str, dt.date]]] | None:
    """The cached combination (its series paged, their last pages read and checked now) and
    the days some file corrected; None for an entry of one file."""
    if section is None:
        return None
    problems, members, tail, settled = section
    lasts = unpickle(blocks.read(pages._ref(tail)))
    series: dict[str, Series] = {}
    for (metric, directory, row_pages, path_pages), (held_id, dates, values) in zip(
        members, lasts, strict=True
    ):
        if held_id != metric or metric in series:
            raise ValueError(f"the combined pages of {metric} are not its own")
        found = SeriesPages(blocks, metric, directory, (dates, values), rescue)
        rows = SeriesRows(RowPages(blocks, metric, row_pages, found.count, rescue))
        where = PathPages(blocks, metric, path_pages, found.count, rescue)
        where.rels = tuple(rels)
        dated, valued = cast(list[Any], PagedList(found, 0)), cast(list[float], PagedList(found, 1))
        one = Combined(dated, valued, rows, where)
        rows.member = one
        series[metric] = one
        rescue.members.append((metric, one))
    days = {(str(metric), day) for metric, day in settled if type(day) is dt.date}
    if len(days) != len(settled):
        raise ValueError("a corrected day that is not one")
    return (series, [Problem._make(p) for p in problems]), days


class PathPages(RowPages):
    """The file of each row of a combined series, in pages of file numbers, each read and
    checked when first asked for."""

    rels: tuple[str, ...] = ()

    def page(self, index: int) -> tuple[list[Any], list[Any]]:
        found = self.loaded.get(index)
        if found is None:
            try:
                found = self._read(index)
            except DamagedEntryError:
                if self.rescue is None:
                    raise
                self.rescue.truth(None)  # every member takes the truth (Combined.adopt)
                truth = (self.rescue.found or {}).get(self.metric)
                paths = (truth.paths if truth is not None else None) or []
                return paths[index * pages.PAGE : (index + 1) * pages.PAGE], []
            self.loaded[index] = found
        return found

    def _read(self, index: int) -> tuple[list[Any], list[Any]]:
        numbers = array("I")
        try:
            numbers.frombytes(self.blocks.read(self.refs[index]))
            paths = [self.rels[number] for number in numbers]
        except DamagedEntryError:
            raise
        except Exception:
            raise DamagedEntryError(f"a journal cache page of {self.metric} is damaged") from None
        if len(paths) != min(pages.PAGE, self.count - index * pages.PAGE):
            raise DamagedEntryError(f"the journal cache's files of {self.metric} are not its own")
        return paths, []


class Combined(LazySeries):
    """A combined series from the journal cache: a LazySeries whose rows' files are read from
    their pages too, when first asked for."""

    __slots__ = ("_paths", "_where")

    def __init__(self, dates: list[Any], values: list[float], rows: Rows, where: PathPages):
        self._paths: list[str] | None = None
        self._where: PathPages | None = where
        super().__init__(dates, values, rows)

    @property
    def paths(self) -> list[str] | None:
        if self._paths is None and self._where is not None:
            self._paths = cast(list[str], PagedList(self._where, 0))
        return self._paths

    @paths.setter
    def paths(self, value: list[str] | None) -> None:
        self._paths = value

    def adopt(self, notes: list[str], lines: list[int]) -> None:
        """Hold the truth's rows (pages.Rescue), their files included."""
        super().adopt(notes, lines)
        where, self._where = self._where, None
        rescue = where.rescue if where is not None else None
        truth = (rescue.found or {}).get(where.metric) if rescue and where else None
        self._paths = list(truth.paths or []) if truth is not None else []
