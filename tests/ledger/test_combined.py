"""combined.py: the combination of a journal in several files, cached with the files' parses.
A warm run in which no file changed reads the cached combination without combining; rows
appended after it are merged into it only when nothing else can change; corrections, conflicts,
retractions and damaged pages give exactly what SMARTGOALS_NO_CACHE=1 gives."""

from __future__ import annotations

import datetime as dt
import os
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartgoals.ledger import combined, journalcache, pages, store
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.pages import PagedList
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  deals: {name: Deals, unit: count, aggregate: sum}
  stage: {name: Stage, type: stage, stages: [idea, beta, live]}
  ratio: {name: Ratio, unit: percent, formula: "deals / mrr * 100"}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
      - {metric: deals, target: 50, every: month}
"""
FILES = ("goals/log.csv", "goals/log.d/ada.csv", "goals/log.d/bob.csv")


def rows(start: int, days: int, step: int) -> str:
    """mrr and deals on every step-th day of 2025 from start."""
    out = []
    for n in range(start, days, step):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
        out.append(f"{day},mrr,{100 + n},\n{day},deals,{n % 5},\n")
    return "".join(out)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three files of interleaved rows, many pages (of 16 points) each, the cache filled."""
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    monkeypatch.setattr(pages, "PAGE", 16)
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + rows(0, 300, 3))
    (root / "goals" / "log.d").mkdir()
    (root / FILES[1]).write_text(HEADER_LINE + rows(1, 300, 3))
    (root / FILES[2]).write_text(HEADER_LINE + rows(2, 300, 3))
    load_ledger(root)
    return root


def add(root: Path, rel: str, text: str) -> None:
    with (root / rel).open("a", encoding="utf-8") as out:
        out.write(text)


def same(root: Path) -> Any:
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    assert cached.series == plain.series
    paths = [None if one.paths is None else list(one.paths) for one in cached.series.values()]
    assert paths == [one.paths for one in plain.series.values()]
    assert cached.problems == plain.problems
    return cached


class Counted:
    """combined.combine, counting its calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        self.combine = combined.combine
        monkeypatch.setattr(combined, "combine", self)

    def __call__(self, files: Any) -> Any:
        self.calls += 1
        return self.combine(files)


def test_a_warm_run_reads_the_cached_combination(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch)
    ledger = load_ledger(root)
    dates: Any = ledger.series["mrr"].dates
    assert type(dates) is PagedList and ledger.series["mrr"].paths is not None
    assert len(dates._pages.loaded) == 1  # the last page, read at lookup: nothing combined
    assert ledger.series["mrr"].paths[:3] == list(FILES)
    same(root)
    assert counted.calls == 0


@pytest.mark.parametrize("rel", FILES)
def test_rows_appended_after_it_are_merged(
    root: Path, monkeypatch: pytest.MonkeyPatch, rel: str
) -> None:
    counted = Counted(monkeypatch)
    add(root, rel, "2026-01-05,mrr,7,\n2026-01-03,mrr,6,\n2026-01-05,deals,1,\n")
    same(root)
    add(root, rel, "2026-01-05,mrr,8,\n")  # the last day, every row of it in this file
    same(root)
    assert counted.calls == 0
    other = FILES[(FILES.index(rel) + 1) % 3]
    add(root, other, "2026-01-05,mrr,9,\n")  # the last day, in another file: a conflict
    ledger = same(root)
    assert counted.calls == 1
    assert any("2026-01-05" in problem.message for problem in ledger.problems)


def test_a_correction_in_a_shard_combines_again(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = Counted(monkeypatch)
    add(root, FILES[2], "2025-03-01,mrr,5,correction: settled\n2026-02-01,mrr,1,\n")
    same(root)
    assert counted.calls == 1
    add(root, FILES[1], "2026-02-02,mrr,2,\n")  # merged after the new combination
    same(root)
    assert counted.calls == 2  # the entry was not written anew: the correction is read again


def test_a_retracted_day_stays_retracted(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A retraction (a correction with no value) settles a day no row holds: a row appended on
    it in another file is dropped, as a full read drops it, and never merged."""
    monkeypatch.setattr(journalcache, "REWRITE_MIN_BYTES", 0)
    monkeypatch.setattr(journalcache, "REWRITE_PART", 1 << 62)  # a new entry after each append
    add(root, FILES[1], "2026-03-01,mrr,,correction: never happened\n")
    same(root)
    add(root, FILES[0], "2026-03-01,mrr,44,\n")
    assert 44.0 not in same(root).series["mrr"].values


def test_conflicting_rows_in_two_shards(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add(root, FILES[1], "2026-04-01,mrr,1,\n")
    add(root, FILES[2], "2026-04-01,mrr,2,\n")
    ledger = same(root)
    assert any("ada.csv" in p.message and "bob.csv" in p.path for p in ledger.problems)
    monkeypatch.setattr(journalcache, "REWRITE_MIN_BYTES", 0)
    monkeypatch.setattr(journalcache, "REWRITE_PART", 1 << 62)
    add(root, FILES[0], "2026-04-02,stage,beta,\n")  # the conflict is stored with the entry
    counted = Counted(monkeypatch)
    assert any("bob.csv" in p.path for p in same(root).problems)
    assert any("bob.csv" in p.path for p in same(root).problems)
    assert counted.calls == 1  # the new entry's combination is read, not combined again


def _combined_page(root: Path, metric: str = "mrr") -> tuple[Path, int, int]:
    """The entry file, and the place of the combination's first page of metric's dates."""
    [path] = (Path(store.cache_dir()) / "journal").glob("*.bin")
    data = path.read_bytes()
    digits, rest = data.split(b"\n", 1)[1].split(b"\n", 1)
    head = memoryview(rest[: int(digits)])
    base = len(data) - len(rest) + int(digits)
    _files, _inputs, section = pickle.loads(journalcache.split_entry(head)[1])
    directory = {m: found for m, found, _rows, _paths in section[1]}[metric]
    offset, length, _digest, _first = directory[0]
    return path, base + offset, length


def test_a_damaged_combined_page_is_read_as_a_miss(root: Path) -> None:
    path, at, length = _combined_page(root)
    data = bytearray(path.read_bytes())
    data[at + length // 2] ^= 0x40
    path.write_bytes(bytes(data))
    ledger = same(root)
    assert ledger.series["mrr"].dates[0] == dt.date(2025, 1, 1)
    assert load_ledger(root).series["mrr"].dates[:2] == [dt.date(2025, 1, 1), dt.date(2025, 1, 2)]


def test_a_combined_page_damaged_after_the_lookup_is_parsed_again(root: Path) -> None:
    ledger, plain = load_ledger(root), load_ledger(root, use_cache=False)
    path, at, length = _combined_page(root)
    with path.open("r+b") as out:
        out.seek(at + length // 2)
        out.write(b"\xff\xff")
    assert ledger.series["mrr"].dates[0] == plain.series["mrr"].dates[0]
    assert ledger.series == plain.series
    assert list(ledger.series["mrr"].paths or []) == plain.series["mrr"].paths


# a row: days after the append's first day (each append starts two days after the one before),
# metric, value, note
ROW = st.tuples(
    st.integers(-1, 3),
    st.sampled_from(["mrr", "deals", "stage"]),
    st.sampled_from(["1", "2", "2", "3", "beta", "", "x"]),
    st.sampled_from(["", "", "", "", "correction: fix"]),
)


@pytest.mark.parametrize("rewrite", [False, True], ids=["entry-kept", "entry-rewritten"])
@settings(
    max_examples=int(os.environ.get("SHARD_EXAMPLES", 30)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(st.sampled_from(FILES), st.lists(ROW, max_size=3)), max_size=10))
def test_appends_near_the_end_match_the_uncached_parse(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rewrite: bool,
    appends: list[tuple[str, list[tuple[int, str, str, str]]]],
) -> None:
    """Rows appended to any file around the combination's last days (the same day, the next,
    a day before; corrections, retractions, conflicts, values that do not parse)."""
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    monkeypatch.setattr(pages, "PAGE", 4)
    if rewrite:
        monkeypatch.setattr(journalcache, "REWRITE_MIN_BYTES", 0)
        monkeypatch.setattr(journalcache, "REWRITE_PART", 1 << 62)
    root = tmp_path / f"ledger-{os.urandom(4).hex()}"
    start = "2026-01-01,mrr,1,\n2026-01-02,mrr,2,\n2026-01-03,deals,1,\n"
    write_ledger(root, GOALS, HEADER_LINE + start)
    (root / "goals" / "log.d").mkdir()
    for rel in FILES[1:]:
        (root / rel).write_text(HEADER_LINE + start)
    load_ledger(root)
    for index, (rel, added) in enumerate(appends):
        first = dt.date(2026, 1, 3) + dt.timedelta(days=2 * index)
        for offset, metric, value, note in added:
            add(root, rel, f"{first + dt.timedelta(days=offset)},{metric},{value},{note}\n")
        same(root)
