"""sources/common.py: paths kept in the ledger, cells read as dates and values, programs run
without a shell."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from smartgoals.sources.common import (
    Context,
    SourceError,
    inside,
    read_bytes,
    run_program,
    to_day,
    to_pairs,
    to_value,
)
from tests.conftest import ledger_from_strings

METRICS = ledger_from_strings(
    "metrics:\n  mrr: {name: MRR, unit: USD}\n  mvp: {name: MVP, type: stage, stages: [a, b]}\n"
    "goals: []\n"
).metrics


def context(root: Path, metric: str = "mrr") -> Context:
    return Context(root, METRICS[metric], METRICS, dt.date(2026, 3, 1))


def test_inside_keeps_paths_in_the_ledger(tmp_path: Path) -> None:
    assert inside(tmp_path, "data/x.csv") == tmp_path.resolve() / "data" / "x.csv"
    with pytest.raises(SourceError, match="not an absolute one"):
        inside(tmp_path, "/etc/passwd")
    with pytest.raises(SourceError, match="leads out of the ledger"):
        inside(tmp_path, "../x.csv")


def test_inside_follows_a_symlink_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    (ledger / "link").symlink_to(outside)
    with pytest.raises(SourceError, match="leads out of the ledger"):
        inside(ledger, "link/secret.json")


def test_read_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"abc")
    assert read_bytes(tmp_path / "a.txt", "a.txt") == b"abc"
    with pytest.raises(SourceError):
        read_bytes(tmp_path / "missing.txt", "missing.txt")


@pytest.mark.parametrize(
    ("raw", "metric", "value"),
    [
        (5, "mrr", 5.0),
        (2.5, "mrr", 2.5),
        ("1.2k", "mrr", 1200.0),
        ("$5,000", "mrr", 5000.0),
        ("b", "mvp", 1.0),
    ],
)
def test_to_value(raw: object, metric: str, value: float) -> None:
    assert to_value(raw, METRICS[metric], "here") == value


@pytest.mark.parametrize("raw", [True, None, {"a": 1}, [1], "lots"])
def test_to_value_refuses(raw: object) -> None:
    with pytest.raises(SourceError, match=r"^here: "):
        to_value(raw, METRICS["mrr"], "here")


def test_to_day() -> None:
    assert to_day("2026-02-01", "w") == dt.date(2026, 2, 1)
    assert to_day("2026-02-01T23:59:00Z", "w") == dt.date(2026, 2, 1)
    assert to_day("2026-02-01 10:00", "w") == dt.date(2026, 2, 1)
    assert to_day("01/02/2026", "w", "%d/%m/%Y") == dt.date(2026, 2, 1)
    for bad in ("2026-02-01X", "2026-2-1", "yesterday"):
        with pytest.raises(SourceError, match="is not a date \\(YYYY-MM-DD\\)"):
            to_day(bad, "w")


def test_to_pairs_skips_empty_values(tmp_path: Path) -> None:
    rows = [("2026-01-01", "5"), ("2026-01-02", None), ("2026-01-03", 7)]
    assert to_pairs(rows, "q", context(tmp_path)) == [
        (dt.date(2026, 1, 1), 5.0),
        (dt.date(2026, 1, 3), 7.0),
    ]
    with pytest.raises(SourceError, match="q: row 1 has 3 columns"):
        to_pairs([("a", "b", "c")], "q", context(tmp_path))


def test_run_program(tmp_path: Path) -> None:
    script = "import os, sys; print(os.getcwd()); print(sys.stdin.read() == '')"
    out = run_program([sys.executable, "-c", script], tmp_path, 10, "p")
    assert out.splitlines() == [str(tmp_path), "True"]  # in the ledger, with no input
    with pytest.raises(SourceError, match="p: exited with code 3: boom"):
        failing = "import sys; sys.stderr.write('boom\\n'); sys.exit(3)"
        run_program([sys.executable, "-c", failing], tmp_path, 10, "p")
    with pytest.raises(SourceError, match="is not installed"):
        run_program(["no-such-program-smartgoals"], tmp_path, 10, "p")
    with pytest.raises(SourceError, match=r"p: stopped after 0\.5 s"):
        run_program([sys.executable, "-c", "import time; time.sleep(5)"], tmp_path, 0.5, "p")
