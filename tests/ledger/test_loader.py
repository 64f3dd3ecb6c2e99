"""ledger/loader.py: the one loading pipeline, files as bytes (or a directory) -> Ledger, with
problems collected and ordered, never raised."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.engine.evaluation import evaluate
from smartgoals.errors import Problem
from smartgoals.files import LedgerFiles
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import checkin_problems, load_checkins, load_definitions, load_ledger
from tests.conftest import ledger_files, write_ledger

D = dt.date.fromisoformat
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
  double: {name: Double, formula: "mrr * 2"}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: arpu, target: 100}
"""
JOURNAL = """\
2026-01-01,mrr,1000,
2026-01-01,users,10,
2026-02-01,mrr,3000,
2026-02-01,users,20,
"""


def test_a_directory_and_its_bytes_load_alike(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER_LINE + JOURNAL)
    from_disk = load_ledger(tmp_path, use_cache=False)
    from_bytes = load_ledger(ledger_files(GOALS, JOURNAL), use_cache=False)
    assert from_disk.problems == from_bytes.problems == ()
    assert from_disk.series == from_bytes.series
    assert from_disk.series["mrr"].values == [1000.0, 3000.0]


def test_derived_series_are_computed_and_judged_keeps_only_what_is_read() -> None:
    files = ledger_files(GOALS, JOURNAL)
    full = load_ledger(files, use_cache=False)
    assert full.series["arpu"].values == [100.0, 150.0]
    assert full.series["double"].values == [2000.0, 6000.0]
    judged = load_ledger(files, use_cache=False, judged=True)
    assert "arpu" in judged.series
    assert "double" not in judged.series  # no target or risk reads it
    until = load_ledger(files, use_cache=False, until=D("2026-01-15"))
    assert until.series["arpu"].dates == [D("2026-01-01")]


def test_the_cache_does_not_change_what_is_loaded() -> None:
    files = ledger_files(GOALS, JOURNAL)
    assert load_definitions(files, use_cache=True) == load_definitions(files, use_cache=False)
    assert load_ledger(files).series == load_ledger(files, use_cache=False).series


def test_problems_from_reading_and_all_files_settings_first() -> None:
    files = ledger_files(GOALS, JOURNAL + "2026-03-01,mrx,1,\n", settings="at_risk_band: 7\n")
    files["goals/checkins.csv"] = b"date,goal,confidence,note\n2026-01-01,grwo,,\n"
    read = LedgerFiles(files, (Problem("goals/z.yaml", 0, 0, "cannot read: denied"),))
    found = [str(p) for p in load_ledger(read, use_cache=False).problems]
    assert found == [
        "smartgoals.yaml:1:1: at_risk_band: Input should be less than or equal to 1",
        "goals/checkins.csv:2: goal: unknown goal 'grwo' (did you mean 'grow'?)",
        "goals/log.csv:6: metric: unknown metric 'mrx' (did you mean 'mrr'?)",
        "goals/z.yaml: cannot read: denied",
    ]


def test_shards_are_read_after_the_main_journal() -> None:
    files = ledger_files(GOALS, "2026-01-01,mrr,1,a\n")
    files["goals/log.d/bob.csv"] = (HEADER_LINE + "2026-01-01,mrr,2,b\n").encode()
    files["goals/log.d/ann.csv"] = (HEADER_LINE + "2026-01-01,mrr,3,c\n").encode()
    series = load_ledger(files, use_cache=False).series["mrr"]
    assert series.notes == ["a", "c", "b"]  # log.csv, then shards by name; same day: file order
    assert series.paths == ["goals/log.csv", "goals/log.d/ann.csv", "goals/log.d/bob.csv"]


def test_no_journal_is_no_series_and_no_problem() -> None:
    files = ledger_files(GOALS)
    del files["goals/log.csv"]
    ledger = load_ledger(files, use_cache=False)
    assert ledger.problems == ()
    assert ledger.series.get("mrr") is None


def test_checkins(tmp_path: Path) -> None:
    definitions = load_definitions(ledger_files(GOALS), use_cache=False)
    data = b"date,goal,confidence,note\n2026-01-01,grow,on_track,ok\n2026-01-02,nope,,\n"
    assert [p.line for p in checkin_problems(data, definitions)] == [3]
    assert [c.note for c in load_checkins({"goals/checkins.csv": data}, definitions)] == ["ok"]
    assert load_checkins({}, definitions) == []
    write_ledger(tmp_path, GOALS)
    (tmp_path / "goals" / "checkins.csv").write_bytes(data)
    assert [c.goal for c in load_checkins(tmp_path, definitions)] == ["grow"]


ROWS = [
    "2026-01-01,mrr,1000,",
    "2026-01-05,users,10,",
    "2026-02-01,mrr,3000,",
    "2026-02-03,users,20,",
    "2026-03-01,mrr,2500,",
]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False))
def test_status_does_not_depend_on_journal_order(rng: random.Random) -> None:
    shuffled = ROWS[:]
    rng.shuffle(shuffled)
    expected = load_ledger(ledger_files(GOALS, "\n".join(ROWS) + "\n"), use_cache=False)
    ledger = load_ledger(ledger_files(GOALS, "\n".join(shuffled) + "\n"), use_cache=False)
    # the rows' line numbers differ; what they say does not
    for metric, one in expected.series.items():
        assert (ledger.series[metric].dates, ledger.series[metric].values) == (
            one.dates,
            one.values,
        )
    as_of = D("2026-03-02")
    assert evaluate(ledger, as_of).goals == evaluate(expected, as_of).goals
