"""lazyrows.py: series from the journal cache read their notes and lines only when asked, all
at once, before anything changes them; a judgement never asks."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.lazyrows import LazySeries
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
      - {metric: deals, target: 50, every: month}
"""
ROWS = "".join(
    f"2026-01-{1 + n % 28:02d},{'mrr' if n % 2 else 'deals'},{n},{'note' if n % 3 else ''}\n"
    for n in range(200)
)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", "0")
    root = tmp_path / "ledger"
    write_ledger(root, GOALS, HEADER_LINE + ROWS)
    load_ledger(root)  # fills the cache
    return root


def test_a_judgement_reads_no_note_or_line(root: Path) -> None:
    import datetime as dt

    ledger = load_ledger(root, judged=True)
    assert all(isinstance(one, LazySeries) for one in ledger.series.values())
    evaluate(ledger, dt.date(2026, 2, 1))
    assert not any(one.loaded() for one in ledger.series.values())  # type: ignore[attr-defined]
    plain = load_ledger(root, use_cache=False)
    assert ledger.series == plain.series  # comparing reads them, all at once
    assert all(one.loaded() for one in ledger.series.values())  # type: ignore[attr-defined]


def test_an_append_reads_no_note_or_line_either(root: Path) -> None:
    """A status after a log: the rows appended since the entry wait beside the block."""
    with (root / "goals" / "log.csv").open("a") as out:
        out.write("2026-02-01,mrr,7,new\n2026-02-02,deals,3,\n")
    ledger = load_ledger(root, judged=True)
    assert not any(one.loaded() for one in ledger.series.values())  # type: ignore[attr-defined]
    plain = load_ledger(root, use_cache=False)
    assert ledger.series == plain.series
    assert ledger.series["mrr"].notes[-1] == "new"


def test_changes_apply_after_the_block_is_read(root: Path) -> None:
    with (root / "goals" / "log.csv").open("a") as out:
        out.write("2026-01-03,mrr,7,correction: fix\n2025-12-31,mrr,1,backdated\n")
    cached, plain = load_ledger(root), load_ledger(root, use_cache=False)
    assert cached.series == plain.series
    assert cached.problems == plain.problems
