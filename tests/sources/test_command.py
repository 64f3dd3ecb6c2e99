"""sources/command.py: a program's date,value rows, or its one number dated today."""

from __future__ import annotations

import datetime as dt
import shlex
import sys
from pathlib import Path

import pytest

from smartgoals.ledger.sourcespec import parse_spec
from smartgoals.sources.command import RUNS_PROGRAM, read
from smartgoals.sources.common import Context, SourceError
from tests.conftest import ledger_from_strings

METRICS = ledger_from_strings("metrics:\n  n: {name: N, unit: count}\ngoals: []\n").metrics
TODAY = dt.date(2026, 3, 1)


def pulled(root: Path, script: str):  # type: ignore[no-untyped-def]
    command = f"{shlex.quote(sys.executable)} -c {shlex.quote(script)}"
    spec = parse_spec({"command": command})
    return read(spec, Context(root, METRICS["n"], METRICS, TODAY))


def test_it_runs_a_program() -> None:
    assert RUNS_PROGRAM is True


def test_one_number_is_dated_today(tmp_path: Path) -> None:
    assert pulled(tmp_path, "print(' 42 ')").values == [(TODAY, 42.0)]


def test_rows_with_an_optional_header(tmp_path: Path) -> None:
    script = "print('date, value'); print('2026-01-01,5'); print(''); print('2026-01-02,6')"
    assert pulled(tmp_path, script).values == [
        (dt.date(2026, 1, 1), 5.0),
        (dt.date(2026, 1, 2), 6.0),
    ]


def test_a_bad_row_names_the_command(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="command: row 1 has 3 columns"):
        pulled(tmp_path, "print('2026-01-01,5,6'); print('2026-01-02,1')")


def test_an_unclosed_quote_or_an_empty_command(tmp_path: Path) -> None:
    context = Context(tmp_path, METRICS["n"], METRICS, TODAY)
    with pytest.raises(SourceError, match=r"^command: "):
        read(parse_spec({"command": "echo 'unclosed"}), context)
    with pytest.raises(SourceError, match="command: empty"):
        read(parse_spec({"command": "   "}), context)
