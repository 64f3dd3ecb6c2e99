"""bulkrows.py: the bulk reader gives exactly what the row reader gives (the same series in the
same order, the same problems in the same order, the same count of lines), reading plain lines
itself and handing every other line to the row reader, or declining the text whole."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.errors import Problem
from smartgoals.ledger import bulkrows, journal
from smartgoals.ledger.journal import HEADER_LINE, parse_rows, read_journal
from smartgoals.ledger.model import MetricDef, Series, Where

REL = "goals/log.csv"
METRICS = {
    "mrr": MetricDef("mrr", "MRR", unit="USD"),
    "users": MetricDef("users", "Users"),
    "share": MetricDef("share", "Share", unit="percent"),
    "wait": MetricDef("wait", "Wait", unit="minutes"),
    "mvp": MetricDef("mvp", "MVP", stages=("idea", "beta", "done")),
    "ratio": MetricDef(
        "ratio", "Ratio", formula="users / mrr", formula_where=Where("goals/g.yaml", 7, 5)
    ),
}


def row_reader(data: bytes, start: int = 0) -> tuple[dict[str, Series], list[Problem], int]:
    """The row reader alone, as journal._read_file and parse_rows run it without the bulk
    reader (errors reported as _read_file reports them)."""
    series: dict[str, Series] = {}
    problems: list[Problem] = []
    encoding = "utf-8" if start else "utf-8-sig"
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, errors="strict", newline="")
    reader = csv.reader(text, strict=True)
    try:
        journal._read_rows(reader, REL, METRICS, series, problems, None, None, start, None)
    except UnicodeDecodeError as exc:
        problems.append(Problem(REL, 0, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    except csv.Error as exc:
        problems.append(Problem(REL, reader.line_num, 0, f"malformed CSV: {exc}"))
    if data and not data.endswith(b"\n"):
        problems.append(
            Problem(REL, reader.line_num, 0, "the last line has no newline (a torn write?)")
        )
    return series, problems, int(reader.line_num)


def bulk(data: bytes, start: int = 0) -> Any:
    return bulkrows.read_bulk(data, REL, METRICS, journal._row_reader(REL, METRICS), start=start)


DAYS = ["2026-01-01", "2026-01-02", "2026-02-28", "2026-13-01", "1899-12-31", "26-1-1", ""]
IDS = ["mrr", "users", "share", "wait", "mvp", "ratio", "nope", "MRR", " mrr"]
VALUES = [
    "1", "2.5", "-3", "1e3", "1E-2", "+4", " 5", "5 ", "", "x", "5k", "$1,200", "60%", "nan",
    "inf", "-Infinity", "1_000", "1e16", "-1e300", "1.2.3", "e", "--1", "beta", "idea", "1:30",
    "1h", "90min", "٣", "0x10", "999999999999999", "1000000000000001", "-1000000000000000.5",
]  # fmt: skip
NOTES = [
    "", "note", "correction: fix", "correction:", " correction: not one", "a\x00b", "é", "x,y",
]  # fmt: skip


@st.composite
def a_line(draw: st.DrawFn) -> str:
    day, metric = draw(st.sampled_from(DAYS)), draw(st.sampled_from(IDS))
    value, note = draw(st.sampled_from(VALUES)), draw(st.sampled_from(NOTES))
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        return f"{day},{metric},{value},{note}"  # plain (a note with a comma: five fields)
    if kind == 5:
        return f"{day},{metric},{value}"  # no note
    if kind == 6:
        quoted = note.replace('"', '""')
        return f'{day},{metric},"{value}","{quoted}, and ""more"""'
    if kind == 7:
        return f'{day},{metric},{value},"two\nlines, {note}"'  # a line break inside quotes
    if kind == 8:
        return draw(st.sampled_from(["", ",", "a,b", "1,2,3,4,5", "a\rb,c,d,e", '"open,x,y,z']))
    return f"{day},{metric},{value},{note}".upper()


@st.composite
def a_journal(draw: st.DrawFn) -> bytes:
    head = draw(st.sampled_from([HEADER_LINE, HEADER_LINE, "\ufeff" + HEADER_LINE, "", "Date, metric ,VALUE,note\n", '"date",metric,value,note\n', "2026-01-01,mrr,1,\n"]))  # fmt: skip
    lines = draw(st.lists(a_line(), max_size=40))
    text = head + "".join(f"{line}\n" for line in lines)
    if draw(st.booleans()) and text:
        text = text[: draw(st.integers(0, len(text)))]  # torn anywhere
    data = text.encode("utf-8")
    if draw(st.integers(0, 20)) == 0:
        data += b"2026-01-03,mrr,\xff,\n"  # not UTF-8
    return data


def same(data: bytes, start: int = 0) -> None:
    expected = row_reader(data, start)
    found = bulk(data, start)
    if found is not None:
        torn = bool(data) and not data.endswith(b"\n")
        problems = found[1]
        if torn:
            torn_problem = "the last line has no newline (a torn write?)"
            problems = [*problems, Problem(REL, found[2], 0, torn_problem)]
        assert (found[0], problems, found[2]) == expected
    if not start:  # and through read_journal, which takes the bulk reader when it can
        for one in expected[0].values():
            one.sort()
        assert read_journal(data, REL, METRICS) == (expected[0], expected[1])


@settings(max_examples=400, deadline=None)
@given(a_journal())
def test_the_bulk_reader_gives_what_the_row_reader_gives(data: bytes) -> None:
    same(data)


@settings(max_examples=200, deadline=None)
@given(a_journal(), st.integers(1, 200))
def test_in_small_windows_too(data: bytes, window: int) -> None:
    """The text is read a window at a time; a record of quoted lines cut by a window's end
    makes the whole text the row reader's."""
    default = bulkrows.WINDOW
    bulkrows.WINDOW = window
    try:
        same(data)
    finally:
        bulkrows.WINDOW = default


@settings(max_examples=150, deadline=None)
@given(st.lists(a_line(), max_size=30), st.integers(1, 1000))
def test_a_piece_after_earlier_lines_too(lines: list[str], start: int) -> None:
    """journalcache parses only the lines appended since its entry: line numbers go on from
    start, and there is no header."""
    data = "".join(f"{line}\n" for line in lines).encode()
    same(data, start)
    series: dict[str, Series] = {}
    problems: list[Problem] = []
    try:
        count = parse_rows(data, REL, METRICS, series, problems, start=start)
    except csv.Error:  # as the row reader raises it, for journalcache to read the file whole
        assert row_reader(data, start)[1][-1].message.startswith("malformed CSV")
        return
    assert (series, problems, count) == row_reader(data, start)


PLAIN = HEADER_LINE + "".join(
    f"2026-01-{day:02d},{metric},{day * 10 + n},{'n' if n % 3 else ''}\n"
    for day in range(1, 29)
    for n, metric in enumerate(["mrr", "users", "share", "wait"])
)


def test_a_well_formed_journal_is_read_in_bulk() -> None:
    found = bulk(PLAIN.encode())
    assert found is not None
    assert found[2] == PLAIN.count("\n")
    assert found[0]["mrr"].values[:2] == [10.0, 20.0]
    same(PLAIN.encode())


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(PLAIN.replace("\n", "\r\n"), id="crlf"),
        pytest.param("Datum,metric,value,note\n2026-01-01,mrr,1,\n", id="another-header"),
        pytest.param('"date",metric,value,note\n2026-01-01,mrr,1,\n', id="quoted-header"),
        pytest.param(PLAIN + '2026-01-01,mrr,1,"open\n', id="open-quote"),
        pytest.param(PLAIN + "2026-01-01,mrr,1," + "x" * 200_000 + "\n", id="a-huge-field"),
    ],
)
def test_text_it_does_not_take_whole_is_declined(text: str) -> None:
    assert bulk(text.encode()) is None
    same(text.encode())


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-Infinity", "1_000", "1e16", "٣", "1000000000000001", "-0.1e16"]
)
def test_a_value_float_reads_but_parse_value_does_not_is_checked_row_by_row(value: str) -> None:
    """Between plain numbers of its metric (min and max can step over a nan)."""
    text = HEADER_LINE + f"2026-01-01,mrr,1,\n2026-01-02,mrr,{value},\n2026-01-03,mrr,2,\n"
    found = bulk(text.encode())
    assert found is not None
    same(text.encode())


def test_special_lines_are_the_row_readers_in_their_place() -> None:
    """A correction, a quoted note over two lines and a bad row between plain ones."""
    text = PLAIN + (
        "2026-01-02,mrr,7,correction: typo\n"
        '2026-01-03,users,5,"a note\nover two lines, with a comma"\n'
        "2026-01-04,mrr,1,2,3\n"
        "2026-01-05,mrr,5k,\n"
        "2026-01-06,mvp,beta\n"
        "2026-01-07,ratio,1,\n"
        "2026-01-08,nope,1,\n"
    )
    found = bulk(text.encode())
    assert found is not None
    same(text.encode())
    mrr = found[0]["mrr"]
    assert 20.0 not in mrr.values and 7.0 in mrr.values  # the correction replaced the day
    assert found[1][0].message == "expected 4 fields, found 5"


def test_a_text_declined_leaves_the_derived_metrics_seen_as_they_were() -> None:
    """The row reader reads a declined text again from the same start: a derived metric the
    bulk reader met before declining is still reported (a carriage return 2 windows on)."""
    text = (
        HEADER_LINE + "2026-01-01,ratio,1,\n" + PLAIN[len(HEADER_LINE) :] + "2026-03-01,mrr,1,\r\n"
    )
    seen: set[str] = set()
    default = bulkrows.WINDOW
    bulkrows.WINDOW = 64
    try:
        found = bulkrows.read_bulk(
            text.encode(), REL, METRICS, journal._row_reader(REL, METRICS), derived_seen=seen
        )
    finally:
        bulkrows.WINDOW = default
    assert found is None and seen == set()
    series: dict[str, Series] = {}
    problems: list[Problem] = []
    parse_rows(text.encode(), REL, METRICS, series, problems, derived_seen=set())
    assert [p.field for p in problems] == ["formula"]
