"""A cache of the parsed journal: a run reads only the rows appended since the last one.

The journal is append-only, so a warm run used to re-parse a million rows to learn about the
last one. An entry holds, for each file of a journal (goals/log.csv, and the shards in
goals/log.d/ when there are any), the parse of its first L bytes (L always ends a complete
line): every metric's series in date order, the problems of those rows, the count of lines
read and the derived metrics already reported. The next run checks that each file still starts
with exactly its L bytes and parses only data[L:] with line numbers going on from there (the
entry is written anew once enough has been appended: see REWRITE_PART); a correction among
the new rows replaces the cached rows of its metric and day, new rows are added after the
cached ones and sorted the way a full read sorts them (a stable sort by date, so rows of one
day keep their journal order, backdated rows included). Anything but an append is a full
read: a shorter file, a changed byte in the prefix (a rewrite, a merge that inserted lines),
a file added or removed, other goal files, another version of smartgoals.

A journal in several files is cached file by file and combined as journal.read_journals
combines them (combined.combine): a correction is final whichever file it is in, so the rows of a
day some file corrected are kept from the last file (in reading order) that corrected it; a
plain row on a day an earlier file corrected is skipped unread, so the problem of its value is
not reported; two files that disagree on an uncorrected day are a problem, for which each file
after the first keeps its plain rows' texts. Tests compare this with the full read after random
edits of every file.

The entry also keeps the derived metrics' series computed from those rows. A derived point at a
date depends on nothing but its inputs up to that date (a formula reads values on or before
the date it is computed at, never after), so a run keeps the cached points dated before the
earliest row it read since (an added row's date, a corrected day) and computes only the points
from that date on (derived.derive_series): logging today's value costs one point per derived
metric, not every point since the first row.

What is hashed, and why: each file's prefix data[:L] with the store's digest (store.py; OpenSSL's
SHA-256, about 13 ms for 24 MB here, twice as fast as BLAKE2b), because the answer depends on
every byte of it; that full check runs when the entry is written, and whenever the stamp the
previous run wrote cannot vouch for the files at a constant cost (stamp.py: the same inode,
no shorter, the same end, the same samples, at the same size the same times; and a full check
after 32 quick ones or a day). A warm run reads of each journal file only what that check
reads and the bytes after the prefix (files.JournalFile): at 10M rows the journal is 247 MB.

An entry is a head sealed with this user's key (store.write_sealed) and blocks after it
(pages.py): the head holds the meta, each file's problems and counts, the derived series, and
every metric's page directory with a SHA-256 of each block; the blocks are every series' pages
of PAGE points, the notes and lines of every series (unpickled only when a command reads
them, lazyrows.py: a judgement never does), and one block of every series' last page, read
and checked with the head at each lookup. So an entry written by anyone else, damaged,
truncated or hand-edited in its head or its last pages is a miss, and so is one that then
fails to decode or holds a value no parse gives; any other page is read, checked against its
digest and decoded when a judgement first reads one of its points, and one that fails (the
file changed in place during the run) is never believed: the run parses its journal again
as for a miss, writes the entry anew, and every series takes that parse (pages.Rescue). A
warm `status` thus reads the head, the last pages and the pages its judgements touch, not
every observation. The key stored in an entry and compared on every hit: smartgoals' version,
FORMAT, the ledger root and the files' ledger-relative paths (the entry's identity: its name
is a digest of them), and the definitions key of cache.digest (the goal files and settings
every row is checked against).

A git revision's journal (`status --rev`, `diff`, `report`'s baseline) is cached the same
way, its entry named by a digest of its files' content instead of the ledger's place: a
revision never changes, so the second `diff HEAD~1000` reads no row of it again.

When it is not used (a full read, exactly as before): SMARTGOALS_NO_CACHE=1; goal files that
cannot be read or declare a metric with problems (the journal's rows are then counted, not
reported one by one: see gaps.py); `history`, which reads one metric's lines of each journal
file. A torn last line (no newline) is read on every run and never cached; a piece that is not
valid UTF-8 or CSV makes the whole journal read as before, so its problems are exactly the
uncached ones.

The head and the blocks are pickles read by an unpickler that can build nothing but
datetime.date: marshal cannot hold dates, and rebuilding a million of them from ordinals costs
about 70 ms, while a pickle refers to each distinct date once. The store writes entries
atomically and prunes the oldest.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals.errors import Problem
from smartgoals.files import JournalFile, as_journal_file
from smartgoals.ledger import stamp, store
from smartgoals.ledger.cache import digest
from smartgoals.ledger.combined import (
    combination,
    decode_combined,
    decode_entry,
    encode_entry,
    load_inputs,
    recombine,
)
from smartgoals.ledger.derived import derive_series
from smartgoals.ledger.journal import Shards, parse_rows, read_journals
from smartgoals.ledger.lazyrows import LazySeries
from smartgoals.ledger.model import MetricDef, Series, index_left, index_right
from smartgoals.ledger.pages import (
    Blocks,
    DamagedEntryError,
    Rescue,
    decode_head,
    paged_members,
)

__all__ = ["MAGIC", "entry_meta", "read_journal_cached", "split_entry"]
from smartgoals.version import __version__

MAGIC = b"smartgoals journal cache\n"


def entry_meta(path: Path) -> dict[str, Any] | None:
    """The identity, key and files of the entry at path, when its head is authenticated."""
    sealed = store.read_sealed(path)
    if sealed is None:
        return None
    head, handle, _base = sealed
    handle.close()
    return split_entry(head)[0]


def split_entry(body: memoryview) -> tuple[dict[str, Any], memoryview]:
    """An entry's meta (identity, key, files) and its payload: MAGIC, the meta's length, the
    meta as JSON, the payload (read without copying it)."""
    if body[: len(MAGIC)] != MAGIC:
        raise ValueError("not a journal cache entry")
    digits, newline, _rest = bytes(body[len(MAGIC) : len(MAGIC) + 24]).partition(b"\n")
    start = len(MAGIC) + len(digits) + len(newline)
    end = start + int(digits)
    meta = json.loads(bytes(body[start:end]))
    if type(meta) is not dict:
        raise ValueError("not a journal cache entry")
    return meta, body[end:]


# 10: pages of notes and lines packed (rowcodec.py); 9: several files' combination cached
# (combined.py); 8: full pages packed as arrays
FORMAT = 10
MAX_ENTRIES = 8  # an entry of a 1M-row journal is about 30 MB
# An entry is written anew after a hit only when the bytes appended since it are at least
# REWRITE_MIN_BYTES and 1/REWRITE_PART of what it holds: writing the parse of 1M rows costs
# more than a warm run, while parsing up to 1/128 of them again costs a few ms (`log` then
# `status` at 1M would otherwise rewrite 25 MB for each row logged).
REWRITE_MIN_BYTES = 64 * 1024
REWRITE_PART = 128


class _State:
    """The parse of one journal file's first `length` bytes."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.length = 0
        self.lines = 0
        self.derived: set[str] = set()
        self.problems: list[Problem] = []
        self.series: dict[str, Series] = {}
        # for a journal in several files (see combined.combine): the line of this file's first
        # correction of each (metric, day); its plain rows (not corrections, not of sum
        # metrics) as (rel, line, value, text) by (metric, day), kept for every file but the
        # first, to find files that disagree (journal.Shards); and its plain rows whose value
        # did not parse, as (metric, day, line)
        self.corrected: dict[tuple[str, dt.date], int] = {}
        self.texts: dict[tuple[str, dt.date], list[tuple[str, int, float, str]]] = {}
        self.unparsed: list[tuple[str, dt.date, int]] = []


class _Entry:
    """The parse of every file of a journal, and the derived series computed from it."""

    def __init__(self, files: list[_State]) -> None:
        self.files = files
        # the derived metrics' series over the files' series (derived.derive_series), or
        # None when not computed for this parse
        self.computed: dict[str, Series] | None = None
        self.rescue = Rescue()  # for a page found damaged after the load (pages.py)
        # several files: their combination (combined.py), cached or combined in this run; the
        # days some file corrected; the block of the files' conflict-check inputs, until read
        self.combined: tuple[dict[str, Series], list[Problem]] | None = None
        self.settled: set[tuple[str, dt.date]] | None = None
        self.inputs: Any = None


def read_journal_cached(
    root: Path | None,
    given: list[tuple[str, bytes | JournalFile]],
    metrics: dict[str, MetricDef],
    files: Mapping[str, bytes],
    formulas: dict[str, Any] | None = None,
    *,
    fresh: bool = False,
) -> tuple[dict[str, Series], list[Problem]]:
    """What journal.read_journals(parts, metrics) returns for the journal of the working tree
    at root, each file read only from where its cached parse ends (see the module's text),
    with the derived series of formulas added as derived.derive_series adds them: computed
    only at the dates from the earliest row read since the cached parse. root None: the
    files are a git revision's, which never change: the entry is named by a digest of their
    content instead of the ledger's place (and is simply missed when another revision has
    other content). Each file is given as its bytes or open (files.JournalFile): then only
    what the checks sample and the bytes after the cached prefix are read, unless the quick
    check cannot vouch for the prefix (it is then hashed a piece at a time) or the entry is a
    miss (the file is then read whole)."""
    parts = [(rel, as_journal_file(data)) for rel, data in given]
    if not parts or not store.enabled():
        return _uncached(parts, metrics, formulas)
    rels = [rel for rel, _data in parts]
    if root is not None:
        identity = "\0".join([str(root.resolve()), *rels])
    else:
        identity = "\0".join(
            ["revision", *(f"{rel}\0{_hash(data.whole()).hexdigest()}" for rel, data in parts)]
        )
    key = f"{__version__} {FORMAT} {digest(files)}"
    path = entry_path(identity)
    found = None if fresh else _lookup(path, identity, key, parts, root)
    if found is None:
        entry, checked = _Entry([_State(rel) for rel in rels]), _Checked([_hash() for _ in rels])
    else:
        entry, checked = found
    several = len(parts) > 1
    try:
        changed: list[dt.date] = []
        pieces: list[memoryview] = []
        appended: list[Any] = []  # each file's rows read since (for combined.merged)
        torn: list[tuple[_State, memoryview]] = []
        lengths = [state.length for state in entry.files]
        for index, (state, (_rel, data)) in enumerate(zip(entry.files, parts, strict=True)):
            tail, end = _complete(data, state.length)  # what follows the prefix
            pieces.append(tail[:end])
            if end < len(tail):
                torn.append((state, tail[end:]))
            if end:
                day = _read_piece(pieces[-1], metrics, state, several, index > 0, appended)
                if day is not None:
                    changed.append(day)
                state.length += end
        before = sum(lengths)
        read = sum(state.length for state in entry.files) - before
        since = min(changed) if changed else None
        series, problems = combination(entry, appended)
        derived = _derive(series, metrics, formulas, since, entry.computed)
        if found is None or (read and read >= max(REWRITE_MIN_BYTES, before // REWRITE_PART)):
            entry.computed = derived
            prefixes = checked.prefixes(entry, parts, pieces, lengths)
            _store(path, identity, key, entry, prefixes)
        if root is not None:
            checked.record(path, root, parts, entry)
        if torn:
            day = _read_torn(torn, metrics, entry)
            series, problems = recombine(entry)
            derived = _derive(series, metrics, formulas, day, derived)
    except (csv.Error, UnicodeDecodeError):
        # its problems, exactly as an uncached read
        return _uncached(parts, metrics, formulas)
    except DamagedEntryError:  # a page of the entry read during the load: as for a miss
        return read_journal_cached(root, given, metrics, files, formulas, fresh=True)
    if found is not None:  # a page found damaged later is read again as for a miss
        entry.rescue.redo = lambda: read_journal_cached(
            root, given, metrics, files, formulas, fresh=True
        )[0]
    if derived:
        return {**series, **derived}, problems
    return series, problems


def _read_torn(
    torn: list[tuple[_State, memoryview]], metrics: dict[str, MetricDef], entry: _Entry
) -> dt.date | None:
    """Parse each file's torn last line (never cached) after its cached rows, each a problem;
    the earliest date whose rows changed."""
    several = len(entry.files) > 1
    changed = []
    for state, piece in torn:
        later = several and state is not entry.files[0]
        day = _read_piece(piece, metrics, state, several, later)
        if day is not None:
            changed.append(day)
        message = "the last line has no newline (a torn write?)"
        state.problems.append(Problem(state.rel, state.lines, 0, message))
    return min(changed, default=None)


def _complete(data: JournalFile, start: int) -> tuple[memoryview, int]:
    """The bytes after start, and how many of them are complete lines (a torn last line is
    never cached)."""
    tail = data.read(start, data.size)
    if isinstance(tail, memoryview):  # bytes in memory: searched without a copy
        whole = data.data or b""
        return tail, max(0, whole.rfind(b"\n", start) + 1 - start)
    return memoryview(tail), tail.rfind(b"\n") + 1


def _uncached(
    parts: list[tuple[str, JournalFile]],
    metrics: dict[str, MetricDef],
    formulas: dict[str, Any] | None,
) -> tuple[dict[str, Series], list[Problem]]:
    """The full read, with every derived point computed."""
    series, problems = read_journals([(rel, data.whole()) for rel, data in parts], metrics)
    derived = _derive(series, metrics, formulas, None, None)
    return ({**series, **derived} if derived else series), problems


def _derive(
    series: dict[str, Series],
    metrics: dict[str, MetricDef],
    formulas: dict[str, Any] | None,
    since: dt.date | None,
    previous: dict[str, Series] | None,
) -> dict[str, Series] | None:
    """The derived series over series, reusing previous before since, the earliest date of
    the rows read after them."""
    if not formulas:
        return None

    result = derive_series(metrics, series, formulas, previous, since)
    return {metric: result[metric] for metric in formulas if metric in result}


def _read_piece(
    piece: memoryview,
    metrics: dict[str, MetricDef],
    state: _State,
    several: bool,
    texts: bool,
    appended: list[Any] | None = None,
) -> dt.date | None:
    """Parse piece (complete CSV records, or the torn end of the file) after what state holds,
    and merge its rows; csv.Error or UnicodeDecodeError when it is not valid. Returns the
    earliest date whose rows changed (a row added, a day corrected), None when none did.
    several: the file is one of several; texts: keep the plain rows' texts (a file after the
    first of several); appended: where to add (file, rows, whether it corrected a day, how many
    problems) for combined.merged."""
    rel = state.rel
    added: dict[str, Series] = {}
    problems = len(state.problems)
    # a Shards of this one file records the days a correction replaced, and (named as
    # another file's) the plain rows' texts; a first read of a journal in one file needs none
    shared = None
    if several or state.series:
        shared = Shards("" if texts else rel)
        shared.keep_paths = False
    state.lines += parse_rows(
        piece,
        rel,
        metrics,
        added,
        state.problems,
        start=state.lines,
        shared=shared,
        derived_seen=state.derived,
    )
    changed: list[dt.date] = []
    if appended is not None:
        corrected = bool(shared and shared.first_correction)
        appended.append((rel, added, corrected, len(state.problems) - problems))
    if shared is not None:
        for key, rows in shared.rows.items():
            state.texts.setdefault(key, []).extend(rows)
        state.unparsed += shared.unparsed
        for (metric_id, day), line in shared.first_correction.items():
            changed.append(day)
            state.corrected.setdefault((metric_id, day), line)
            one = state.series.get(metric_id)
            if one is not None:
                _drop_sorted(one, day)
    for metric_id, new in added.items():
        one = state.series.get(metric_id)
        if one is None:
            new.sort()
            state.series[metric_id] = new
            changed += new.dates[:1]  # its earliest (a first read: 1M dates not compared)
            continue
        changed += [min(new.dates)] if new.dates else []
        in_order = bool(
            not new.dates
            or (
                (not one.dates or one.dates[-1] <= new.dates[0])
                and (len(new.dates) < 2 or new.dates == sorted(new.dates))
            )
        )
        if isinstance(one, LazySeries):  # its notes and lines stay unread (a status after a log)
            one.extend(new.dates, new.values, new.notes, new.lines)
        else:
            one.dates += new.dates
            one.values += new.values
            one.notes += new.notes
            one.lines += new.lines
        if not in_order:
            one.sort()  # stable: rows of one day keep their journal order
    return min(changed) if changed else None


def _drop_sorted(one: Series, day: dt.date) -> None:
    """journal._drop_day for rows in date order: the day's rows are one slice."""
    start, end = index_left(one.dates, day), index_right(one.dates, day)
    if start < end:
        del one.dates[start:end], one.values[start:end]
        del one.notes[start:end], one.lines[start:end]


def _hash(data: bytes | memoryview = b"") -> Any:
    return store.hasher(data, bulk=True)


def cache_folder() -> Path:
    return store.cache_dir() / "journal"


def entry_path(identity: str) -> Path:
    return cache_folder() / f"{_hash(identity.encode()).hexdigest()[:40]}.bin"


class _Checked:
    """How an entry's prefixes were checked: hashed in full (hashers: a SHA-256 of each file's
    bytes the entry holds, to go on hashing with) or vouched for by the stamp (stamp.py)."""

    def __init__(
        self,
        hashers: list[Any] | None,
        held: list[tuple[str, int, str]] | None = None,
        vouch: dict[str, Any] | None = None,
    ) -> None:
        self.hashers = hashers
        self.held = held or []  # each file's (path, cached length, prefix digest)
        self.stamp = vouch
        self.digests: list[str] = []

    def record(
        self, path: Path, root: Path, parts: list[tuple[str, JournalFile]], entry: _Entry
    ) -> None:
        """Stamp the entry at path after this run's check (stamp.record)."""
        if self.digests:  # the entry was written anew: its stamp starts from a full check
            self.stamp = None
            self.held = [
                (state.rel, state.length, prefix)
                for state, prefix in zip(entry.files, self.digests, strict=True)
            ]
        if self.held:
            stamp.record(path, root, parts, self.held, self.stamp)

    def prefixes(
        self,
        entry: _Entry,
        parts: list[tuple[str, JournalFile]],
        pieces: list[memoryview],
        lengths: list[int],
    ) -> list[str]:
        """The digest of each file's bytes the entry now holds: its first lengths[i] bytes
        (hashed by the full check, or now when the stamp vouched for them), then the pieces
        read since."""
        if self.hashers is None:  # vouched for without hashing: hash the old prefixes now
            self.hashers = [
                _hash_prefix(data, length)
                for length, (_rel, data) in zip(lengths, parts, strict=True)
            ]
        for hasher, piece in zip(self.hashers, pieces, strict=True):
            hasher.update(piece)
        self.digests = [hasher.hexdigest() for hasher in self.hashers]
        return self.digests


def _hash_prefix(data: JournalFile, length: int) -> Any:
    """A SHA-256 of data's first length bytes, read a piece at a time."""
    hasher = _hash()
    for piece in data.chunks(length):
        hasher.update(piece)
    return hasher


def _lookup(
    path: Path,
    identity: str,
    key: str,
    parts: list[tuple[str, JournalFile]],
    root: Path | None = None,
) -> tuple[_Entry, _Checked] | None:
    """The cached parse of these files, and how its prefixes were checked: by the stamp's
    quick check (root: the working tree's files; stamp.py) or hashed in full; None for a miss
    of any kind (missing, not authenticated, damaged, stale, a file that does not start with
    the bytes parsed, a value no parse gives)."""
    sealed = store.read_sealed(path)
    if sealed is None:
        return None
    head, handle, base = sealed
    try:
        meta, payload = split_entry(head)
        held = meta["files"]
        if (
            meta["identity"] != identity
            or meta["key"] != key
            or [rel for rel, _length, _prefix in held] != [rel for rel, _data in parts]
            or not all(
                isinstance(length, int) and 0 <= length <= data.size
                for (_rel, length, _prefix), (_rel2, data) in zip(held, parts, strict=True)
            )
        ):
            return None
        held = [(str(rel), int(length), str(prefix)) for rel, length, prefix in held]
        vouch = None if root is None else stamp.vouched(path, root, parts, held)
        checked = _Checked(None, held, vouch)
        if vouch is None:
            checked.hashers = []
            for (_rel, length, prefix), (_rel2, data) in zip(held, parts, strict=True):
                hasher = _hash_prefix(data, length)
                if hasher.hexdigest() != prefix:
                    return None  # not an append: a rewrite, an inserted line, another file
                checked.hashers.append(hasher)
        return _decode(held, payload, Blocks(handle, base)), checked
    except Exception:  # whatever an entry holds that we cannot use is only a miss
        handle.close()
        return None


def _decode(held: list[Any], payload: Any, blocks: Blocks) -> _Entry:
    """The entry of a head's payload, its series paged from blocks (pages.py); ValueError
    (or whatever a foreign shape raises) when it is not one _store writes."""
    body, inputs, section = decode_entry(payload, blocks)
    files, computed, tails, rescue = decode_head(body, blocks)
    states = []
    for (rel, length, _prefix), held_state, tail in zip(held, files, tails, strict=True):
        lines, derived, problems, series, corrected, texts, unparsed = held_state
        state = _State(rel)
        state.length, state.lines, state.derived = length, lines, set(derived)
        state.problems = [Problem._make(p) for p in problems]
        members = paged_members(blocks, series, tail, rescue)
        state.series = dict(members)
        if len(state.series) != len(members):
            raise ValueError("a metric twice")
        if not (type(corrected) is type(texts) is dict and type(unparsed) is list):
            raise ValueError("not a journal cache entry")
        state.corrected, state.texts, state.unparsed = corrected, texts, unparsed
        states.append(state)
    entry = _Entry(states)
    entry.rescue, entry.computed, entry.inputs = rescue, computed, inputs
    found = decode_combined(section, blocks, [state.rel for state in states], rescue)
    if found is not None:
        entry.combined, entry.settled = found
    return entry


def _store(path: Path, identity: str, key: str, entry: _Entry, prefixes: list[str]) -> None:
    """Write the entry through the store; a parse that cannot be pickled is simply not cached."""
    try:
        load_inputs(entry)
        payload, blocks = encode_entry(entry.files, entry.computed, entry.combined)
    except (TypeError, ValueError, pickle.PicklingError):
        return
    held = [
        [state.rel, state.length, prefix]
        for state, prefix in zip(entry.files, prefixes, strict=True)
    ]
    meta = json.dumps({"identity": identity, "key": key, "files": held}).encode()
    head = b"%s%d\n%s%s" % (MAGIC, len(meta), meta, payload)
    store.write_sealed(path, head, blocks, MAX_ENTRIES)
