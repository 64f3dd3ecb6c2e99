"""The journal cache's quick check: whether a journal file still starts with the bytes its
cached parse holds, at a cost that does not grow with the file.

The full check (journalcache._lookup) hashes the whole cached prefix, every run: at 1M rows
that is 24 MB of SHA-256. A stamp, written beside the entry after each check that passed,
records for each file what was seen then: its device and inode, its size, its mtime and ctime
in nanoseconds, a digest of samples of the cached prefix, and a digest of the 4 KiB that
ended the file. The next run believes the prefix without hashing it when, for every file:

- it is the same file (device and inode: an editor's save, `git checkout` and `mv` make a new
  one) and is at least as long as both the cached prefix and the size seen last time;
- the 4 KiB that ended the file last time are still there, at the same place (a truncation
  and a new append, or a line inserted before them, moves or changes them);
- the samples of the prefix are the same: the whole prefix when it is under SAMPLE_ALL (1 MiB),
  else its first 64 KiB, its last 256 KiB and 16 blocks of 4 KiB spread over it;
- when its size has not changed, its mtime and ctime have not either (any write does set
  them; ctime cannot be set back by a user) and were not within RACY_NS of the moment they
  were recorded (a write in the same clock tick would leave them as they were).

Otherwise, and on a schedule (after VERIFY_RUNS quick checks or VERIFY_SECONDS since the last
full one), the full check runs. What the quick check cannot see, until that full check: on
a journal over 1 MiB, bytes rewritten in place (the same inode), outside every sampled block,
by a run that also made the file longer (an edit and an append between two runs, by a program
that writes into the middle of the file). docs/trust-model.md states this.

A stamp is sealed with the user's key like every entry (store.py), and names the entry it
vouches for by the entry's prefix digests: a stamp of another entry, or damaged, is no stamp.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from smartgoals.files import JournalFile, as_journal_file
from smartgoals.ledger import store

Data = bytes | JournalFile  # a journal file's bytes, or the file read by offset
Parts = Sequence[tuple[str, Data]]

SUFFIX = ".stamp"
SAMPLE_ALL = 1 << 20  # a prefix under 1 MiB is hashed whole (well under a millisecond)
HEAD = 64 * 1024
TAIL = 256 * 1024
BLOCK = 4096
BLOCKS = 16
END = 4096  # the bytes that ended the file last time
RACY_NS = 2_000_000_000  # a timestamp this close to when it was read may not move on a write
VERIFY_RUNS = 32
VERIFY_SECONDS = 24 * 3600


def stamp_path(entry: Path) -> Path:
    return entry.with_suffix(SUFFIX)


def samples(data: Data, length: int) -> str:
    """A digest of samples of data[:length] (all of it under SAMPLE_ALL), reading only them."""
    source = as_journal_file(data)
    hasher = store.hasher(length.to_bytes(8, "big"))
    if length <= SAMPLE_ALL:
        hasher.update(source.read(0, length))
        return str(hasher.hexdigest())
    hasher.update(source.read(0, HEAD))
    step = (length - HEAD - TAIL) // BLOCKS
    for index in range(BLOCKS):
        at = HEAD + index * step
        hasher.update(source.read(at, at + BLOCK))
    hasher.update(source.read(length - TAIL, length))
    return str(hasher.hexdigest())


def _end(data: JournalFile, size: int) -> str:
    return str(store.hasher(data.read(max(0, size - END), size)).hexdigest())


def _status(path: Path, data: JournalFile) -> os.stat_result | None:
    """The file's status: the open file's own (the very file read), else the path's."""
    try:
        return data.info() or os.stat(path, follow_symlinks=False)
    except OSError:
        return None


def _seen(path: Path, data: Data, length: int, now: int) -> list[Any] | None:
    """What a stamp records of one file, or None when the file on disk is not the bytes read
    (it changed while this run read it)."""
    data = as_journal_file(data)
    info = _status(path, data)
    if info is None or info.st_size != data.size:
        return None
    mtime, ctime = info.st_mtime_ns, info.st_ctime_ns
    if now - max(mtime, ctime) < RACY_NS:
        mtime = ctime = -1  # racy: a same-size write may not move them; never trusted
    return [
        info.st_dev,
        info.st_ino,
        data.size,
        mtime,
        ctime,
        samples(data, length),
        _end(data, data.size),
    ]


def record(
    entry: Path,
    root: Path,
    parts: Parts,
    held: list[tuple[str, int, str]],
    stamp: dict[str, Any] | None = None,
) -> None:
    """Write the stamp of entry after a check that passed: full (stamp None: the count of
    quick checks starts again) or quick (stamp: the one that vouched, counted once more).
    held: each file's (path, cached length, prefix digest), as the entry holds them."""
    now = time.time_ns()
    seen = [
        _seen(root / rel, data, length, now)
        for (rel, data), (_rel, length, _prefix) in zip(parts, held, strict=True)
    ]
    if any(one is None for one in seen):
        return  # changed while read: no stamp, the next run checks in full
    body = {
        "entry": [prefix for _rel, _length, prefix in held],
        "files": seen,
        "quick": 0 if stamp is None else int(stamp["quick"]) + 1,
        "verified": now if stamp is None else int(stamp["verified"]),
    }
    store.write(stamp_path(entry), json.dumps(body).encode(), _KEEP)


_KEEP = 8  # as many as the journal cache's entries


def vouched(
    entry: Path, root: Path, parts: Parts, held: list[tuple[str, int, str]]
) -> dict[str, Any] | None:
    """The stamp of entry when it vouches for every file's cached prefix (see the module's
    text) and no full check is due; None: check in full."""
    body = store.read(stamp_path(entry))
    if body is None:
        return None
    try:
        stamp = json.loads(bytes(body))
        if (
            stamp["entry"] != [prefix for _rel, _length, prefix in held]
            or int(stamp["quick"]) >= VERIFY_RUNS
            or time.time_ns() - int(stamp["verified"]) >= VERIFY_SECONDS * 1_000_000_000
        ):
            return None
        for (rel, data), (_rel, length, _prefix), seen in zip(
            parts, held, stamp["files"], strict=True
        ):
            if not _same(root / rel, data, length, seen):
                return None
    except Exception:  # a stamp we cannot read is no stamp
        return None
    return dict(stamp)


def _same(path: Path, data: Data, length: int, seen: list[Any]) -> bool:
    dev, ino, size, mtime, ctime, sampled, end = seen
    data = as_journal_file(data)
    info = _status(path, data)
    if info is None or (info.st_dev, info.st_ino) != (dev, ino) or info.st_size != data.size:
        return False
    if data.size < max(length, size) or _end(data, size) != end:
        return False
    if data.size == size and (mtime < 0 or (info.st_mtime_ns, info.st_ctime_ns) != (mtime, ctime)):
        return False
    return bool(samples(data, length) == sampled)
