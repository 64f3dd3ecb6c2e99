"""stamp.py: the journal cache's quick check. A warm run believes the cached prefix without
hashing it only when the file is the same, no shorter, ends where it ended, its samples are
the same and (at the same size) its times have not moved; every edit below, each keeping the
file's size or not, gives what SMARTGOALS_NO_CACHE=1 gives."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from smartgoals.ledger import journalcache, stamp
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import load_ledger
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  deals: {name: Deals, unit: count, aggregate: sum}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
"""
ROWS = "".join(f"2026-{1 + n // 28:02d}-{1 + n % 28:02d},mrr,{100 + n},\n" for n in range(300))


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger whose journal is sampled, not hashed whole (small blocks), with times trusted
    as soon as they are read (the edits below wait past a clock tick), and its cache filled."""
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    monkeypatch.setattr(stamp, "SAMPLE_ALL", 0)
    monkeypatch.setattr(stamp, "HEAD", 64)
    monkeypatch.setattr(stamp, "TAIL", 64)
    monkeypatch.setattr(stamp, "BLOCK", 16)
    monkeypatch.setattr(stamp, "END", 16)
    monkeypatch.setattr(stamp, "RACY_NS", 0)
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + ROWS)
    same(root)
    return root


def journal(root: Path) -> Path:
    return root / "goals" / "log.csv"


def same(root: Path) -> None:
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    assert cached.series == plain.series
    assert cached.problems == plain.problems


def quick(root: Path) -> bool:
    """Whether the next run would believe the cached prefix without hashing it."""
    [entry] = Path(os.environ["XDG_CACHE_HOME"]).glob("smartgoals/journal/*.bin")
    found = journalcache.entry_meta(entry)
    assert found is not None
    held = [tuple(item) for item in found["files"]]
    parts = [("goals/log.csv", journal(root).read_bytes())]
    return stamp.vouched(entry, root, parts, held) is not None  # type: ignore[arg-type]


def in_place(path: Path, at: int, data: bytes) -> None:
    """Write data at offset at, in the same file (the same inode; no truncation)."""
    time.sleep(0.02)  # past the file system's clock tick
    with path.open("r+b") as out:
        out.seek(at)
        out.write(data)


def append(path: Path, text: str) -> None:
    time.sleep(0.02)
    with path.open("a") as out:
        out.write(text)


def test_an_unchanged_journal_and_an_append_are_vouched_for(root: Path) -> None:
    assert quick(root)
    append(journal(root), "2026-12-01,mrr,5,\n")
    assert quick(root)
    same(root)
    assert quick(root)


def middle(path: Path) -> int:
    """The offset of a value in the middle of the file, outside the sampled blocks' ends."""
    return path.read_bytes().index(b",mrr,250,") + 5


EDITS: dict[str, Callable[[Path], None]] = {
    "same-size-in-the-prefix": lambda p: in_place(p, middle(p), b"9"),
    "same-size-then-mtime-restored": lambda p: _restoring_mtime(p, lambda: in_place(p, 40, b"9")),
    "in-the-last-block-and-appended": lambda p: (
        in_place(p, p.stat().st_size - 5, b"9"),
        append(p, "2026-12-01,mrr,5,\n"),
    ),
    "truncated-and-appended-longer": lambda p: (
        os.truncate(p, p.stat().st_size - 40),
        append(p, "2026-12-01,mrr,5,\n" * 4),
    ),
    "truncated-and-appended-to-the-same-size": lambda p: _same_size_rewrite(p),
    "replaced-by-a-new-file": lambda p: _replaced(p),
    "a-line-inserted-and-appended": lambda p: _inserted(p),
}


def _restoring_mtime(path: Path, edit: Callable[[], None]) -> None:
    before = path.stat()
    edit()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ctime still moves
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def _same_size_rewrite(path: Path) -> None:
    size = path.stat().st_size
    os.truncate(path, size - 19)
    append(path, "2026-12-01,mrr,77,\n")
    assert path.stat().st_size == size


def _replaced(path: Path) -> None:
    data = path.read_bytes()
    at = middle(path)
    other = path.with_name("log.new")
    other.write_bytes(data[:at] + b"9" + data[at + 1 :] + b"2026-12-01,mrr,5,\n")
    os.replace(other, path)


def _inserted(path: Path) -> None:
    data = path.read_bytes()
    head, _, rest = data.partition(b"\n")
    time.sleep(0.02)
    with path.open("r+b") as out:
        out.write(head + b"\n2026-01-01,mrr,1,\n" + rest + b"2026-12-01,mrr,5,\n")


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_anything_but_an_append_is_checked_in_full(root: Path, edit: str) -> None:
    EDITS[edit](journal(root))
    assert not quick(root)
    same(root)
    same(root)  # and the next run, from the entry or stamp written after the full check


def test_racy_times_are_never_trusted_at_the_same_size(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write in the same clock tick as the stamp may leave mtime and ctime as they were: a
    stamp made within RACY_NS of them never vouches for a file of the same size."""
    monkeypatch.setattr(stamp, "RACY_NS", 60 * 1_000_000_000)
    same(root)
    assert not quick(root)
    with journal(root).open("r+b") as out:  # at once: possibly the same tick
        out.seek(middle(journal(root)))
        out.write(b"8")
    same(root)


def test_a_full_check_runs_on_a_schedule(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the quick check cannot see (bytes rewritten in place outside the samples by a run
    that also appended) is seen by the full check, at the latest after VERIFY_RUNS quick ones."""
    monkeypatch.setattr(stamp, "VERIFY_RUNS", 2)
    same(root)  # quick check 1
    assert quick(root)
    same(root)  # quick check 2: the next run checks in full
    assert not quick(root)
    same(root)
    assert quick(root)  # counted from the full check again
    monkeypatch.setattr(stamp, "VERIFY_SECONDS", 0)
    assert not quick(root)


def test_a_damaged_or_foreign_stamp_is_no_stamp(root: Path) -> None:
    [entry] = Path(os.environ["XDG_CACHE_HOME"]).glob("smartgoals/journal/*.bin")
    path = stamp.stamp_path(entry)
    path.write_bytes(path.read_bytes().replace(b'"quick": 0', b'"quick": 1'))
    assert not quick(root)
    in_place(journal(root), middle(journal(root)), b"9")
    same(root)


def test_samples_cover_a_small_prefix_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"x" * 5000
    assert stamp.samples(data, 5000) != stamp.samples(data[:2500] + b"y" + data[2501:], 5000)
    monkeypatch.setattr(stamp, "SAMPLE_ALL", 0)
    monkeypatch.setattr(stamp, "HEAD", 64)
    monkeypatch.setattr(stamp, "TAIL", 64)
    monkeypatch.setattr(stamp, "BLOCK", 16)
    # sampled: a byte outside every block is not seen (the full check's job)
    assert stamp.samples(data, 5000) == stamp.samples(data[:100] + b"y" + data[101:], 5000)
    assert stamp.samples(data, 5000) != stamp.samples(data[:4990] + b"y" + data[4991:], 5000)
