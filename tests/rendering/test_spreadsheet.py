"""rendering/spreadsheet.py: CSV whose cells a spreadsheet never runs as formulas."""

from __future__ import annotations

import pytest

from smartgoals.rendering.spreadsheet import csv_text, safe_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (5, "5"),
        (5.0, "5"),
        (2.5, "2.5"),
        (1e20, "1e+20"),
        ("-5", "-5"),  # a number written as text stays a number
        ("+3.2", "+3.2"),
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+cmd", "'+cmd"),
        ("-x", "'-x"),
        ("@HYPERLINK", "'@HYPERLINK"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
    ],
)
def test_safe_cell(value: object, cell: str) -> None:
    assert safe_cell(value) == cell


def test_csv_text_quotes_and_neutralises() -> None:
    text = csv_text(("date", "note", "value"), [("2026-01-31", "a, b", 1.0), ("x", "=1+1", None)])
    assert text == 'date,note,value\n2026-01-31,"a, b",1\nx,\'=1+1,\n'
