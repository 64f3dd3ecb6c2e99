"""A cache of the parsed journal: a run reads only the rows appended since the last one.

The journal is append-only, so a warm run used to re-parse a million rows to learn about the
last one. An entry holds, for one journal file, the parse of its first L bytes (L always ends
a complete line): every metric's series in date order, the problems of those rows, the count of
lines read and the derived metrics already reported. The next run checks that the file still
starts with exactly those L bytes and parses only data[L:] with line numbers going on from
there (the entry is written anew once enough has been appended: see REWRITE_PART); a
correction among the new rows replaces the cached rows of its metric and day, new rows
are added after the cached ones and sorted the way a full read sorts them (a stable sort by
date, so rows of one day keep their journal order, backdated rows included). Anything but an
append is a full read: a shorter file, a changed byte in the prefix (a rewrite, a merge that
inserted lines), other goal files, another version of smartgoals.

The entry also keeps the derived metrics' series computed from those rows. A derived point at a
date depends on nothing but its inputs up to that date (a formula reads values on or before
the date it is computed at, never after), so a run keeps the cached points dated before the
earliest row it read since (an added row's date, a corrected day) and computes only the points
from that date on (derived.derive_series): logging today's value costs one point per derived
metric, not every point since the first row.

What is hashed, and why: the prefix data[:L] with SHA-256 (OpenSSL's, about 13 ms for 24 MB
here, twice as fast as BLAKE2b), because the answer depends on every byte of it; and the
entry's own payload, so that a damaged, truncated or hand-edited entry is a miss. The key
stored in an entry and compared on every hit: smartgoals' version, FORMAT, the ledger root and
the file's ledger-relative path (the entry's identity: its name is a digest of both), and the
definitions key of cache.digest (the goal files and settings every row is checked against).

When it is not used (a full read, exactly as before): SMARTGOALS_NO_CACHE=1; a journal in
several files (goals/log.csv with shards in goals/log.d/: a correction in one file replaces
rows in the others, which the per-file prefix cannot express); goal files that cannot be read
or declare a metric with problems (the journal's rows are then counted, not reported one by
one: see gaps.py); files not read from a working tree (a git revision's blobs are fixed by
their ids and loaded by other paths). A torn last line (no newline) is read on every run and
never cached; a piece that is not valid UTF-8 or CSV makes the whole file read as before, so
its problems are exactly the uncached ones.

The payload is a pickle read by an unpickler that can build nothing but datetime.date: marshal
cannot hold dates, and rebuilding a million of them from ordinals costs about 70 ms, while a
pickle refers to each distinct date once (about 8 ms). Entries are written atomically
(a temporary file, then os.replace); the oldest are pruned.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import pickle
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from hashlib import sha256
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem
from .journal import _read_rows, _Shards, read_journals
from .ledger import MetricDef, Series

FORMAT = 2
MAX_ENTRIES = 8  # an entry of a 1M-row journal is about 25 MB
# An entry is written anew after a hit only when the bytes appended since it are at least
# REWRITE_MIN_BYTES and 1/REWRITE_PART of what it holds: writing the parse of 1M rows costs
# more than a warm run, while parsing up to 1/128 of them again costs a few ms (`log` then
# `status` at 1M would otherwise rewrite 25 MB for each row logged).
REWRITE_MIN_BYTES = 64 * 1024
REWRITE_PART = 128
MAGIC = b"smartgoals journal cache\n"


class _State:
    """The parse of a journal file's first `length` bytes."""

    def __init__(self) -> None:
        self.length = 0
        self.lines = 0
        self.derived: set[str] = set()
        self.problems: list[Problem] = []
        self.series: dict[str, Series] = {}
        # the derived metrics' series computed from `series` (derived.derive_series), or
        # None when not computed for this state
        self.computed: dict[str, Series] | None = None


def read_journal_cached(
    root: Path,
    parts: list[tuple[str, bytes]],
    metrics: dict[str, MetricDef],
    files: Mapping[str, bytes],
    formulas: dict[str, Any] | None = None,
) -> tuple[dict[str, Series], list[Problem]]:
    """What journal.read_journals(parts, metrics) returns for the journal of the working tree
    at root, read only from where the cached parse of its file ends (see the module's text),
    with the derived series of formulas added as derived.derive_series adds them: computed
    only at the dates from the earliest row read since the cached parse."""
    if len(parts) != 1 or os.environ.get("SMARTGOALS_NO_CACHE"):
        return _derived(*read_journals(parts, metrics), metrics, formulas)
    from .cache import digest

    rel, data = parts[0]
    identity = f"{root.resolve()}\0{rel}"
    key = f"{__version__} {FORMAT} {digest(files)}"
    path = entry_path(identity)
    found = _lookup(path, identity, key, data)
    state, hasher = found if found is not None else (_State(), sha256())
    end = data.rfind(b"\n") + 1  # complete lines only: a torn last line is never cached
    view = memoryview(data)
    try:
        since = None
        if end > state.length:
            before = state.length
            piece = view[before:end]
            since = _read_piece(piece, rel, metrics, state)
            state.length = end
            write = found is None or end - before >= max(REWRITE_MIN_BYTES, before // REWRITE_PART)
        else:
            write = False
        derived = _derive(state, metrics, formulas, since)
        if write:
            state.computed = derived
            hasher.update(piece)
            _store(path, identity, key, state, hasher.hexdigest(), found is None)
        if end < len(data):
            since = _read_piece(view[end:], rel, metrics, state)
            derived = _derive(state, metrics, formulas, since, derived)
            message = "the last line has no newline (a torn write?)"
            state.problems.append(Problem(rel, state.lines, 0, message))
    except (csv.Error, UnicodeDecodeError):
        # its problems, exactly as an uncached read
        return _derived(*read_journals(parts, metrics), metrics, formulas)
    if derived:
        return {**state.series, **derived}, state.problems
    return state.series, state.problems


def _derived(
    series: dict[str, Series],
    problems: list[Problem],
    metrics: dict[str, MetricDef],
    formulas: dict[str, Any] | None,
) -> tuple[dict[str, Series], list[Problem]]:
    if formulas:
        from .derived import derive_series

        series = derive_series(metrics, series, formulas)
    return series, problems


def _derive(
    state: _State,
    metrics: dict[str, MetricDef],
    formulas: dict[str, Any] | None,
    since: dt.date | None,
    previous: dict[str, Series] | None = None,
) -> dict[str, Series] | None:
    """The derived series over state.series, reusing previous (or the cached ones) before
    since, the earliest date of the rows read after them."""
    if not formulas:
        return None
    from .derived import derive_series

    if previous is None:
        previous = state.computed
    result = derive_series(metrics, state.series, formulas, previous, since)
    return {metric: result[metric] for metric in formulas if metric in result}


def _read_piece(
    piece: memoryview, rel: str, metrics: dict[str, MetricDef], state: _State
) -> dt.date | None:
    """Parse piece (complete CSV records, or the torn end of the file) after what state holds,
    and merge its rows; csv.Error or UnicodeDecodeError when it is not valid. Returns the
    earliest date whose rows changed (a row added, a day corrected), None when none did."""
    encoding = "utf-8" if state.length else "utf-8-sig"  # a BOM only at the file's start
    text = io.TextIOWrapper(io.BytesIO(piece), encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, strict=True)
    added: dict[str, Series] = {}
    # with cached rows, a _Shards of this one file only records the days a correction replaced
    shared = _Shards(rel) if state.series else None
    problems, start = state.problems, state.lines
    _read_rows(reader, rel, metrics, added, problems, None, shared, start, state.derived)
    state.lines += reader.line_num
    changed = [min(new.dates) for new in added.values() if new.dates]
    if shared is not None:
        for metric_id, day in shared.corrected:
            changed.append(day)
            one = state.series.get(metric_id)
            if one is not None:
                _drop_sorted(one, day)
    for metric_id, new in added.items():
        new.paths = None
        one = state.series.get(metric_id)
        if one is None:
            new.sort()
            state.series[metric_id] = new
            continue
        in_order = bool(
            not new.dates
            or (
                (not one.dates or one.dates[-1] <= new.dates[0])
                and (len(new.dates) < 2 or new.dates == sorted(new.dates))
            )
        )
        one.dates += new.dates
        one.values += new.values
        one.notes += new.notes
        one.lines += new.lines
        if not in_order:
            one.sort()  # stable: rows of one day keep their journal order
    return min(changed) if changed else None


def _drop_sorted(one: Series, day: dt.date) -> None:
    """journal._drop_day for rows in date order: the day's rows are one slice."""
    start, end = bisect_left(one.dates, day), bisect_right(one.dates, day)
    if start < end:
        del one.dates[start:end], one.values[start:end]
        del one.notes[start:end], one.lines[start:end]


def cache_folder() -> Path:
    from .cache import cache_dir

    return cache_dir() / "journal"


def entry_path(identity: str) -> Path:
    return cache_folder() / f"{sha256(identity.encode()).hexdigest()[:40]}.bin"


class _DatesOnly(pickle.Unpickler):
    """Builds plain data and datetime.date, nothing else (no other class, no function)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) == ("datetime", "date"):
            return dt.date
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed here")


def _lookup(path: Path, identity: str, key: str, data: bytes) -> tuple[_State, Any] | None:
    """The cached state of this file and a SHA-256 of data[:state.length] to go on hashing
    with; None for a miss of any kind (missing, damaged, foreign, stale, not a prefix)."""
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
        if not blob.startswith(MAGIC):
            return None
        newline = blob.index(b"\n", len(MAGIC))
        meta = json.loads(blob[len(MAGIC) : newline])
        payload = memoryview(blob)[newline + 1 :]
        length = meta["length"]
        if (
            meta["identity"] != identity
            or meta["key"] != key
            or not isinstance(length, int)
            or not 0 < length <= len(data)
            or sha256(payload).hexdigest() != meta["payload"]
        ):
            return None
        hasher = sha256(memoryview(data)[:length])
        if hasher.hexdigest() != meta["prefix"]:
            return None  # not an append: a rewrite, an inserted line, another file
        lines, derived, problems, series, computed = _DatesOnly(io.BytesIO(payload)).load()
        state = _State()
        state.length, state.lines, state.derived = length, lines, set(derived)
        state.problems = [Problem._make(p) for p in problems]
        state.series = {m: Series(d, v, n, ln) for m, d, v, n, ln in series}
        if computed is not None:
            state.computed = {m: Series(d, v, [""] * len(d), [0] * len(d)) for m, d, v in computed}
        return state, hasher
    except Exception:  # any damaged or foreign entry is only a miss, whatever it raises
        return None


def _canonical(items: list[Any], seen: dict[Any, Any]) -> list[Any]:
    """The same values, each distinct one a single object (across every series): a pickle
    stores it once, and refers to it after."""
    return list(map(seen.setdefault, items, items))


def _store(path: Path, identity: str, key: str, state: _State, prefix: str, fresh: bool) -> None:
    """Write atomically; a cache that cannot be written is simply not written. fresh: the
    state comes from a full read, its notes not yet shared objects."""
    with contextlib.suppress(OSError, TypeError, ValueError, pickle.PicklingError):
        if fresh:  # the days are shared already (journal._read_rows makes one date a day)
            notes: dict[Any, Any] = {}
            for one in state.series.values():
                one.notes = _canonical(one.notes, notes)
        body = (
            state.lines,
            sorted(state.derived),
            [tuple(p) for p in state.problems],
            [(m, s.dates, s.values, s.notes, s.lines) for m, s in state.series.items()],
            None
            if state.computed is None
            else [(m, s.dates, s.values) for m, s in state.computed.items()],
        )
        payload = pickle.dumps(body, protocol=5)
        meta = {
            "identity": identity,
            "key": key,
            "length": state.length,
            "prefix": prefix,
            "payload": sha256(payload).hexdigest(),
        }
        from .cache import write_entry

        write_entry(path, MAGIC + json.dumps(meta).encode() + b"\n" + payload, MAX_ENTRIES)
