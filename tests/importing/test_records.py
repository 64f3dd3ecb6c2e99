"""importing/records.py: a CSV or JSON file read into rows of text cells with row numbers."""

from __future__ import annotations

import pytest

from smartgoals.errors import Problem
from smartgoals.importing.records import Table, locate, read_table


def csv_table(data: bytes, delimiter: str = ",") -> tuple[Table | None, list[Problem]]:
    return read_table(data, "in.csv", "csv", delimiter, None, ())


def json_table(text: str, records: str | None = None, wanted: tuple[str, ...] = ("date", "n")):  # type: ignore[no-untyped-def]
    return read_table(text.encode(), "in.json", "json", ",", records, wanted)


def test_csv_rows_with_their_line_numbers() -> None:
    table, problems = csv_table(
        b'\xef\xbb\xbf date , n\n2026-01-01,5\n\n,,\n2026-01-02,"6\n7"\n2026-01-03,8\n'
    )
    assert problems == []
    assert table == Table(
        ("date", "n"),
        [(2, ["2026-01-01", "5"]), (6, ["2026-01-02", "6\n7"]), (7, ["2026-01-03", "8"])],
    )


def test_csv_delimiter() -> None:
    table, _ = csv_table(b"date;n\n2026-01-01;5,5\n", ";")
    assert table == Table(("date", "n"), [(2, ["2026-01-01", "5,5"])])


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", Problem("in.csv", 0, 0, "the file is empty (no header line)")),
        (
            b'date,n\n2026-01-01,"5\n',
            Problem("in.csv", 2, 0, "malformed CSV: unexpected end of data"),
        ),
        (b"date,n\n\xff\n", Problem("in.csv", 2, 0, "not UTF-8 text (invalid start byte)")),
    ],
)
def test_unreadable_csv(data: bytes, problem: Problem) -> None:
    assert csv_table(data) == (None, [problem])


def test_json_records_as_cells_in_the_wanted_columns() -> None:
    table, problems = json_table(
        '[{"date": "2026-01-01", "n": 5, "x": 1}, {"date": "2026-01-02", "n": 1.5},'
        ' {"date": null, "n": true}, {"n": {"a": [1]}}, 7]'
    )
    assert problems == [Problem("in.json", 5, 0, "record is not an object")]
    assert table == Table(
        ("date", "n"),
        [
            (1, ["2026-01-01", "5"]),
            (2, ["2026-01-02", "1.5"]),
            (3, ["", "true"]),
            (4, ["", '{"a": [1]}']),
        ],
    )


def test_json_columns_no_record_has_are_left_out() -> None:
    table, _ = json_table('[{"date": "2026-01-01"}]', wanted=("date", "n", "date"))
    assert table == Table(("date",), [(1, ["2026-01-01", ""])])
    empty, _ = json_table("[]")
    assert empty == Table(("date", "n"), [])


@pytest.mark.parametrize("records", ["/data/items", "data.items"])
def test_json_records_at_a_pointer_or_a_dotted_path(records: str) -> None:
    table, problems = json_table('{"data": {"items": [{"date": "d", "n": 1}]}}', records)
    assert problems == []
    assert table is not None and table.rows == [(1, ["d", "1"])]


@pytest.mark.parametrize(
    ("text", "records", "problem"),
    [
        (
            '{"a": 1}',
            None,
            Problem("in.json", 0, 0, "expected a list of records (set records: in the rules)"),
        ),
        (
            '{"a": 1}',
            "a.b",
            Problem("in.json", 0, 0, "records: 'a.b' is not in the file (nothing at 'a/b')"),
        ),
        ("[1,\n  oops]", None, Problem("in.json", 2, 3, "not valid JSON: Expecting value")),
    ],
)
def test_unreadable_json(text: str, records: str | None, problem: Problem) -> None:
    assert json_table(text, records) == (None, [problem])


@pytest.mark.parametrize(
    ("where", "found"),
    [
        ("/a/0/b", (1, "")),
        ("a.0.b", (1, "")),
        ("/x~1y/z~0", (2, "")),  # RFC 6901 escapes: ~1 is /, ~0 is ~
        ("a.1", (None, "'a.1' is not in the file (nothing at 'a/1')")),
        ("/a/0/c", (None, "'/a/0/c' is not in the file (nothing at 'a/0/c')")),
        ("a.x", (None, "'a.x' is not in the file (nothing at 'a/x')")),
    ],
)
def test_locate(where: str, found: tuple[object, str]) -> None:
    data = {"a": [{"b": 1}], "x/y": {"z~": 2}}
    assert locate(data, where) == found
