"""sources/csvfile.py: CSV files in the ledger by date and value columns, or through rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.ledger.sourcespec import parse_spec
from smartgoals.sources.common import Context, SourceError
from smartgoals.sources.csvfile import RUNS_PROGRAM, read
from tests.conftest import ledger_from_strings

METRICS = ledger_from_strings(
    "metrics:\n  visitors: {name: Visitors, unit: count}\n  views: {name: Views, unit: count}\n"
    "goals: []\n"
).metrics
TODAY = dt.date(2026, 3, 1)


def pull(root: Path, metric: str = "visitors", **spec: str):  # type: ignore[no-untyped-def]
    return read(parse_spec(spec), Context(root, METRICS[metric], METRICS, TODAY))


def test_reads_no_program() -> None:
    assert RUNS_PROGRAM is False


def test_a_glob_in_file_name_order_empty_values_skipped(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "b.csv").write_text("day,count\n2026-01-03,7\n", encoding="utf-8")
    (tmp_path / "exports" / "a.csv").write_text(
        "day,count\n2026-01-01,5\n2026-01-02, \n", encoding="utf-8"
    )
    found = pull(tmp_path, csv="exports/*.csv", date="day", value="count")
    assert found.values == [(dt.date(2026, 1, 1), 5.0), (dt.date(2026, 1, 3), 7.0)]


def test_a_date_format(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("date,value\n01/02/2026,9\n", encoding="utf-8")
    found = pull(tmp_path, csv="v.csv", date_format="%d/%m/%Y")
    assert found.values == [(dt.date(2026, 2, 1), 9.0)]


def test_through_rules_only_this_metrics_values(tmp_path: Path) -> None:
    (tmp_path / "v.csv").write_text("day,v,p\n2026-01-01,5,50\n", encoding="utf-8")
    (tmp_path / "rules.yaml").write_text(
        "date: day\nvalues:\n  - {metric: visitors, value: v}\n  - {metric: views, value: p}\n",
        encoding="utf-8",
    )
    assert pull(tmp_path, "views", csv="v.csv", rules="rules.yaml").values == [
        (dt.date(2026, 1, 1), 50.0)
    ]


@pytest.mark.parametrize(
    ("files", "spec", "message"),
    [
        ({}, {"csv": "x/*.csv"}, "x/\\*.csv: no file matches"),
        ({"v.csv": "day,value\n2026-01-01,1\n"}, {"csv": "v.csv"}, "v.csv: no column 'date'"),
        ({"v.csv": "date,value\n2026-01-01,lots\n"}, {"csv": "v.csv"}, "v.csv:2: "),
        ({"v.csv": "date,value\n1 Jan,1\n"}, {"csv": "v.csv"}, "v.csv:2: '1 Jan' is not a date"),
        ({}, {"csv": "../v.csv"}, "leads out of the ledger"),
    ],
)
def test_refusals(
    tmp_path: Path, files: dict[str, str], spec: dict[str, str], message: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        pull(tmp_path, **spec)
