"""pages.py: the journal cache's series in pages. A paged series is the same sequence as the
parsed one; a warm judgement reads only some of its pages, and gives at every as-of date the
JSON SMARTGOALS_NO_CACHE=1 gives (targets whose windows start early and late, quotas, held
targets, forecasts, growth() and prev() over derived metrics); a page that was damaged or
forged is never believed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import pickle
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger import journalcache, pages, store
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.pages import PagedList
from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, direction: up, cadence: monthly}
  deals: {name: Deals, unit: count, aggregate: sum}
  uptime: {name: Uptime, unit: percent}
  grow: {name: Growth, unit: percent, formula: "growth(mrr, 'month') * 100"}
  step: {name: Step, unit: USD, formula: "mrr - prev(mrr)"}
goals:
  - id: early
    title: Early window
    start: 2024-01-01
    due: 2026-12-31
    targets:
      - metric: mrr
        steps:
          - {value: 300, due: 2024-12-31}
          - {value: 900, due: 2026-12-31}
      - {metric: deals, target: 40, every: month}
      - {metric: uptime, target: ">= 90%", hold: true}
  - id: late
    title: Late window
    start: 2026-03-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 1000}
      - {metric: uptime, target: ">= 95%", hold: true, window: 30d}
      - {metric: grow, target: "> 1"}
      - {metric: step, target: "> 0"}
risks:
  - id: slowing
    title: Slowing
    when: "grow < 2 or step < 0"
"""


def rows() -> str:
    """Three years of rows: mrr most days, deals a few a week, uptime daily."""
    out = []
    day = dt.date(2024, 1, 1)
    for n in range(1100):
        out.append(f"{day},mrr,{100 + n * 0.8 + (n % 7) * 3:.2f},")
        if n % 3 == 0:
            out.append(f"{day},deals,{1 + n % 4},")
        out.append(f"{day},uptime,{99 - (n % 50 == 0) * 12}%,")
        day += dt.timedelta(days=1)
    return "\n".join(out) + "\n"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A ledger whose series span many small pages, its cache filled."""
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    monkeypatch.setattr(pages, "PAGE", 16)
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + rows())
    load_ledger(root)
    return root


def paged(ledger: Any, metric: str) -> PagedList:
    dates = ledger.series[metric].dates
    assert type(dates) is PagedList
    return dates


def test_a_paged_series_is_the_parsed_one(root: Path) -> None:
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    dates, truth = paged(cached, "mrr"), plain.series["mrr"].dates
    assert len(dates) == len(truth)
    for index in (0, 1, 15, 16, 17, 500, -1, -16, -17, len(truth) - 1):
        assert dates[index] == truth[index]
    for start, stop in ((0, 5), (10, 40), (15, 17), (-20, None), (300, 1000), (5, 5)):
        assert dates[start:stop] == truth[start:stop]
    assert dates[::7] == truth[::7]
    for day in (dt.date(2023, 1, 1), dt.date(2024, 6, 3), dt.date(2026, 1, 4), dt.date(2030, 1, 1)):
        assert dates.bisect_left(day) == bisect_left(truth, day)
        assert dates.bisect_right(day, 3, 700) == bisect_right(truth, day, 3, 700)
        assert cached.series["mrr"].count_until(day) == plain.series["mrr"].count_until(day)
    assert type(cached.series["grow"].dates) is PagedList  # derived series are paged too
    assert cached.series == plain.series


def test_finding_a_date_reads_one_page_and_a_judgement_few(root: Path) -> None:
    ledger = load_ledger(root, judged=True)
    dates = paged(ledger, "mrr")
    assert ledger.series["mrr"].count_until(dt.date(2025, 2, 1)) == 398
    assert len(dates._pages.loaded) == 2  # the last page (read at lookup) and the one found
    evaluate(ledger, dt.date(2026, 6, 30))
    # mrr's targets read its first points, those at a due, from a start, and its latest:
    # (uptime's held target, from 2024, reads every one of its pages)
    assert len(dates._pages.loaded) < dates._pages.pages / 4


def test_rows_appended_wait_beside_the_pages(root: Path) -> None:
    with (root / "goals" / "log.csv").open("a") as out:
        out.write("2027-02-02,mrr,5000,\n2027-02-03,mrr,5001,\n")
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    dates = paged(cached, "mrr")
    assert dates[-2:] == plain.series["mrr"].dates[-2:]
    assert dates.bisect_right(dt.date(2027, 2, 2)) == len(dates) - 1
    assert cached.series == plain.series


VIEWS = [["status", "--json"], ["due", "--json"], ["risks", "--json"], ["report", "--json"]]
AS_OF = ["2024-01-01", "2024-02-15", "2024-12-31", "2025-01-01", "2025-07-04", "2026-03-01",
         "2026-06-30", "2027-01-31"]  # fmt: skip


def test_every_view_at_every_date_is_the_uncached_one(
    root: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    for as_of in AS_OF:
        for view in VIEWS:
            args = [*view, "--as-of", as_of]
            monkeypatch.delenv("SMARTGOALS_NO_CACHE", raising=False)
            cached = invoke(cli, root, *args)
            monkeypatch.setenv("SMARTGOALS_NO_CACHE", "1")
            plain = invoke(cli, root, *args)
            assert (cached.exit_code, cached.output) == (plain.exit_code, plain.output), args
            assert plain.exit_code in (0, 1), plain.output


def entry(root: Path) -> Path:
    [found] = (Path(store.cache_dir()) / "journal").glob("*.bin")
    return found


def first_page(path: Path) -> tuple[int, int]:
    """Where mrr's first page is in the entry file: (offset in the file, length)."""
    data = path.read_bytes()
    digits, rest = data.split(b"\n", 1)[1].split(b"\n", 1)
    head = memoryview(rest[: int(digits)])
    base = len(data) - len(rest) + int(digits)
    files = pickle.loads(pickle.loads(journalcache.split_entry(head)[1])[0])[0]
    directory = {m: pages for m, pages, _rows in files[0][3]}["mrr"]
    offset, length, _digest, _first = directory[0]
    return base + offset, length


def test_a_page_damaged_after_the_lookup_is_parsed_again(root: Path) -> None:
    """The entry file changed in place between the head's lookup and the page's read: the
    page is refused, every series takes the journal's truth, and the entry is written anew."""
    ledger, plain = load_ledger(root), load_ledger(root, use_cache=False)
    path = entry(root)
    at, length = first_page(path)
    with path.open("r+b") as out:
        out.seek(at + length // 2)
        out.write(b"\xff\xff")
    assert ledger.series["mrr"].dates[0] == plain.series["mrr"].dates[0]
    assert paged(ledger, "mrr")._list is not None  # the truth, parsed again
    assert ledger.series == plain.series
    assert evaluate(ledger, dt.date(2026, 6, 30)) == evaluate(plain, dt.date(2026, 6, 30))
    assert path.read_bytes()[at : at + length].count(b"\xff\xff") == 0  # written anew


def test_a_page_damaged_before_the_run_is_never_believed(root: Path, cli: CliRunner) -> None:
    path = entry(root)
    at, length = first_page(path)
    data = bytearray(path.read_bytes())
    data[at + length // 2] ^= 0x40
    path.write_bytes(bytes(data))
    args = ["status", "--json", "--as-of", "2024-02-01"]
    cached = invoke(cli, root, *args)
    plain = load_ledger(root, use_cache=False)
    assert load_ledger(root).series == plain.series
    assert cached.exit_code in (0, 1) and "Traceback" not in cached.output


def test_a_forged_page_is_a_miss(root: Path) -> None:
    """Someone without the user's key replaces a page and its digest in the head: the head's
    MAC no longer verifies, and nothing of the entry is used."""
    path = entry(root)
    at, length = first_page(path)
    data = path.read_bytes()
    dates, values = pages.unpack_page(data[at : at + length])
    values[0] = 424242.0
    forged = pages.pack_page(dates, values)
    head_at = data.index(b"\n", data.index(b"\n") + 1) + 1
    digits = int(data.split(b"\n", 2)[1])
    head = data[head_at : head_at + digits]
    old = hashlib.sha256(data[at : at + length]).hexdigest().encode()
    new_head = head.replace(old, hashlib.sha256(forged).hexdigest().encode())
    assert new_head != head
    sealed = b"%d\n%s" % (len(new_head), new_head)
    body = sealed + data[head_at + digits : at] + forged + data[at + length :]
    path.write_bytes(store.MAC_HEAD + hashlib.sha256(sealed).hexdigest().encode() + b"\n" + body)
    assert journalcache.entry_meta(path) is None
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    assert 424242.0 not in cached.series["mrr"].values
    assert cached.series == plain.series
    assert json.dumps(journalcache.entry_meta(path))  # written anew, under the key


def test_a_page_packs_and_unpacks_to_the_same_points() -> None:
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n // 3) for n in range(pages.PAGE)]
    values = [n * 0.5 - 100 for n in range(pages.PAGE)]
    assert pages.unpack_page(pages.pack_page(days, values)) == (days, values)
    with pytest.raises(ValueError):  # not a full page: damaged
        pages.unpack_page(pages.pack_page(days, values)[:-8])
    bad = (0).to_bytes(8, "little") * pages.PAGE + bytes(8 * pages.PAGE)  # day 0 is no date
    with pytest.raises(ValueError):
        pages.unpack_page(bad)


def test_two_entries_know_their_shared_pages_from_the_digests(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """diff of two revisions: the pages both entries stored alike are equal unread; the first
    difference is found where it is, as the uncached series give it."""
    import shutil

    from smartgoals.engine import compare

    other = tmp_path / "other"
    shutil.copytree(root, other)
    journal = other / "goals" / "log.csv"
    text = journal.read_text().replace("2025-03-03,mrr,", "2025-03-03,mrr,1", 1)
    journal.write_text(text)
    load_ledger(other)
    a, b = load_ledger(root), load_ledger(other)
    one, two = paged(a, "mrr"), paged(b, "mrr")
    truth = load_ledger(other, use_cache=False).series["mrr"]
    changed = truth.dates.index(dt.date(2025, 3, 3))
    assert one.same_stretch(two, 0, 16) and one.same_stretch(two, 16, 32)
    page = changed // 16
    assert not one.same_stretch(two, page * 16, page * 16 + 16)
    assert not one.same_stretch(two, 1, 17)  # not a page: compared as slices
    assert not one.same_stretch(truth.dates, 0, 16)  # a plain list: compared as slices
    monkeypatch.setattr(compare, "_STRETCH", 16)
    assert compare.common_prefix(a, b, "mrr") == changed
    assert len(one._pages.loaded) <= 3  # the last page, and the changed one: nothing before
