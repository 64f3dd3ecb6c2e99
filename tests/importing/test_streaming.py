"""importing/streaming.py: JSON read a record at a time gives what json.loads and locate give."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from smartgoals.errors import Problem
from smartgoals.importing.records import Table, open_table, read_table
from smartgoals.importing.streaming import TOO_DEEP, Records, scan_records


def records_of(text: str, where: str | None = None) -> list[object] | str:
    found = scan_records(text, where)
    return found if isinstance(found, str) else [value for _i, value in found.iterate(text)]


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        ("[]", None, []),
        (' [ {"a": 1} ,\n {"b": [2]} ] ', None, [{"a": 1}, {"b": [2]}]),
        ('{"data": {"items": [{"n": 1}]}, "more": [1, {"x": [2]}]}', "data.items", [{"n": 1}]),
        ('{"data": [[{"n": 1}], [{"n": 2}]]}', "/data/1", [{"n": 2}]),
        ('{"0": [{"n": 1}]}', "0", [{"n": 1}]),  # an object's key that looks like an index
        # a key given twice: the last one counts, as in json.loads
        ('{"a": [{"n": 1}], "a": [{"n": 2}]}', "a", [{"n": 2}]),
        (
            '{"a": {"b": [1]}, "a": 1}',
            "a.b",
            "records: 'a.b' is not in the file (nothing at 'a/b')",
        ),
        ('{"a": [1]}', "a.1", "records: 'a.1' is not in the file (nothing at 'a/1')"),
        ('{"a": 1}', None, "expected a list of records (set records: in the rules)"),
        ('{"a": {"b": 1}}', "a", "expected a list of records (set records: in the rules)"),
    ],
)
def test_records_as_json_loads_and_locate_find_them(
    text: str, where: str | None, expected: object
) -> None:
    assert records_of(text, where) == expected


@pytest.mark.parametrize(
    "text", ["", "[1,]", '{"a": 1,}', "[1 2]", '{"a" 1}', "[1] x", '[{"a": 1}', '{"a": [1}']
)
def test_not_json_is_the_error_json_loads_gives_at_the_same_place(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(text)
    with pytest.raises(json.JSONDecodeError) as got:
        scan_records(text, None)
    assert (got.value.msg, got.value.lineno, got.value.colno) == (
        expected.value.msg,
        expected.value.lineno,
        expected.value.colno,
    )


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,  # json's own recursion would give up
        '{"meta": ' + "[" * 70 + "]" * 70 + ', "data": []}',  # outside the records too
        "[" + "[" * 64 + "]" * 64 + "]",  # 65 levels
    ],
)
def test_deeper_than_64_levels_is_refused_wherever_it_is(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(TOO_DEEP)):
        scan_records(text, "data" if text.startswith("{") else None)


def test_a_scan_keeps_the_keys_and_the_records_that_are_not_objects() -> None:
    found = scan_records('[{"a": 1}, 7, {"b": 2}]', None)
    assert found == Records(start=0, count=3, keys={"a", "b"}, not_objects=[2])


def test_open_table_reads_a_csv_file_as_it_goes(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(b"date,n\n2026-01-01,5\n2026-01-02,6\n")
    table, problems = open_table(path, "in.csv", "csv", ",", None, (), 1000)
    assert problems == [] and table is not None
    assert not isinstance(table.rows, list)
    assert list(table.rows) == [(2, ["2026-01-01", "5"]), (3, ["2026-01-02", "6"])]


def test_open_table_and_read_table_agree_on_json(tmp_path: Path) -> None:
    data = b'{"items": [{"date": "d", "n": 1}, {"date": "e"}]}'
    (tmp_path / "in.json").write_bytes(data)
    opened, _ = open_table(
        tmp_path / "in.json", "in.json", "json", ",", "items", ("date", "n"), 1000
    )
    read, _ = read_table(data, "in.json", "json", ",", "items", ("date", "n"))
    assert opened is not None and read is not None
    assert Table(opened.columns, list(opened.rows)) == read


def test_a_non_utf8_line_deep_in_a_csv_file_is_found_as_it_is_read(tmp_path: Path) -> None:
    from smartgoals.importing.records import UnreadableRowsError

    path = tmp_path / "in.csv"
    path.write_bytes(b"date,n\n" + b"2026-01-01,5\n" * 200_000 + b"2026-01-02,\xff\n")
    table, _ = open_table(path, "in.csv", "csv", ",", None, (), 10_000_000)
    assert table is not None
    with pytest.raises(UnreadableRowsError) as raised:
        list(table.rows)
    assert raised.value.problem == Problem(
        "in.csv", 200_002, 0, "not UTF-8 text (invalid start byte)"
    )
