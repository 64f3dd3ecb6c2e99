"""journal.py from bytes: reading rows with their line numbers, writing rows, checking notes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.ledger.journal import (
    HEADER_LINE,
    MAX_NOTE_LENGTH,
    check_note,
    format_row,
    read_journal,
)
from smartgoals.ledger.model import MetricDef, Where
from smartgoals.quantity import format_raw

REL = "goals/log.csv"
METRICS = {
    "users": MetricDef("users", "Users"),
    "mrr": MetricDef("mrr", "MRR", unit="USD"),
    "mvp": MetricDef("mvp", "MVP", stages=("idea", "beta", "done")),
    "ratio": MetricDef(
        "ratio", "Ratio", formula="users / mrr", formula_where=Where("goals/g.yaml", 7, 5)
    ),
}


def read(text: str | bytes) -> tuple[dict, list]:  # type: ignore[type-arg]
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_journal(data, REL, METRICS)


def messages(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [str(p) for p in problems]


# --- the header --------------------------------------------------------------------------------


def test_empty_journal_and_header_only_have_nothing_and_no_problem() -> None:
    assert read(b"") == ({}, [])
    assert read(HEADER_LINE) == ({}, [])


@pytest.mark.parametrize("header", ["date,metric,value,note", "Date, Metric ,VALUE,note "])
def test_header_is_matched_ignoring_case_and_spaces(header: str) -> None:
    series, problems = read(f"{header}\n2026-01-01,users,5,\n")
    assert problems == []
    assert series["users"].values == [5.0]


def test_a_journal_without_a_header_is_read_and_the_header_reported() -> None:
    series, problems = read("2026-01-01,users,5,\n2026-01-02,users,6,\n")
    assert messages(problems) == ["goals/log.csv:1:1: the header must be 'date,metric,value,note'"]
    assert series["users"].values == [5.0, 6.0]
    assert series["users"].lines == [1, 2]


def test_a_wrong_header_is_reported_and_not_read_as_a_row() -> None:
    series, problems = read("when,what,how much,why\n2026-01-01,users,5,\n")
    assert messages(problems) == ["goals/log.csv:1:1: the header must be 'date,metric,value,note'"]
    assert series["users"].lines == [2]


def test_bom_and_crlf_are_read_as_plain_lines() -> None:
    data = (
        b"\xef\xbb\xbfdate,metric,value,note\r\n2026-01-01,users,5,first\r\n2026-01-02,users,6,\r\n"
    )
    series, problems = read(data)
    assert problems == []
    assert series["users"].values == [5.0, 6.0]
    assert series["users"].notes == ["first", ""]  # no stray \r
    assert series["users"].lines == [2, 3]


# --- rows --------------------------------------------------------------------------------------


def test_a_torn_last_line_is_a_problem_at_its_line() -> None:
    series, problems = read(HEADER_LINE + "2026-01-01,users,5,\n2026-01-02,users,6")
    assert messages(problems) == ["goals/log.csv:3: the last line has no newline (a torn write?)"]
    assert series["users"].dates[0] == dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("2026-01-01,users", "goals/log.csv:2:1: expected 4 fields, found 2"),
        ("2026-01-01,users,5,a,b", "goals/log.csv:2:1: expected 4 fields, found 5"),
        ("2026-1-1,users,5,", "goals/log.csv:2:1: date: '2026-1-1' is not a date (YYYY-MM-DD)"),
        ("2026-02-30,users,5,", "goals/log.csv:2:1: date: '2026-02-30' is not a date (YYYY-MM-DD)"),
        ("2026-01-01,users,five,", "goals/log.csv:2: value: 'five' is not a number; write e.g."),
        (
            "2026-01-01,mrr,60%,",
            "goals/log.csv:2: value: '60%' is written as percent, but the unit",
        ),
        ("2026-01-01,users,5,a\x00b", "goals/log.csv:2: note: contains a NUL byte"),
        (
            "2026-01-01,userz,5,",
            "goals/log.csv:2: metric: unknown metric 'userz' (did you mean 'users'?)",
        ),
        ("2026-01-01,zzz,5,", "goals/log.csv:2: metric: unknown metric 'zzz'"),
    ],
)
def test_a_bad_row_is_one_problem_at_its_line_and_is_skipped(row: str, message: str) -> None:
    series, problems = read(f"{HEADER_LINE}{row}\n2026-01-02,users,7,\n")
    assert len(problems) == 1
    assert str(problems[0]).startswith(message), str(problems[0])
    assert series["users"].values == [7.0]  # the rows after it are read
    assert series["users"].lines == [3]


def test_three_fields_mean_no_note_and_blank_lines_are_skipped() -> None:
    series, problems = read(HEADER_LINE + "2026-01-01,users,5\n\n2026-01-02,users,6,n\n")
    assert problems == []
    assert series["users"].notes == ["", "n"]
    assert series["users"].lines == [2, 4]


def test_rows_of_a_derived_metric_are_reported_once_at_its_formula() -> None:
    journal = HEADER_LINE + "2026-01-01,ratio,5,\n2026-01-02,ratio,6,\n"
    series, problems = read(journal)
    assert "ratio" not in series
    assert messages(problems) == [
        "goals/g.yaml:7:5: formula: ratio is computed from its formula, but goals/log.csv:2 "
        "records it; remove the formula or the rows"
    ]


def test_not_utf8_and_malformed_csv_are_problems() -> None:
    _series, problems = read(HEADER_LINE.encode() + b"2026-01-01,users,5,caf\xe9\n")
    assert len(problems) == 1 and "not UTF-8 text" in problems[0].message
    _series, problems = read(HEADER_LINE + '2026-01-01,users,5,"a"b\n')
    assert len(problems) == 1 and problems[0].message.startswith("malformed CSV")
    assert problems[0].line == 2


@pytest.mark.parametrize(
    ("raw", "value"), [("idea", 0.0), ("beta", 1.0), (" done ", 2.0), ("done", 2.0)]
)
def test_stage_values_are_stored_as_their_index(raw: str, value: float) -> None:
    series, problems = read(f'{HEADER_LINE}2026-01-01,mvp,"{raw}",\n')
    assert problems == []
    assert series["mvp"].values == [value]


def test_an_unknown_stage_names_the_stages() -> None:
    _series, problems = read(HEADER_LINE + "2026-01-01,mvp,gamma,\n")
    assert messages(problems) == [
        "goals/log.csv:2: value: 'gamma' is not a stage of mvp (stages: idea, beta, done)"
    ]


# --- order -------------------------------------------------------------------------------------


def test_same_day_rows_keep_journal_order() -> None:
    series, _ = read(HEADER_LINE + "2026-01-05,users,10,a\n2026-01-05,users,60,b\n")
    assert series["users"].values == [10.0, 60.0]
    assert series["users"].notes == ["a", "b"]


def test_rows_are_sorted_by_date_stably() -> None:
    journal = HEADER_LINE + (
        "2026-03-01,users,3,c1\n"
        "2026-01-01,users,1,a\n"
        "2026-03-01,users,4,c2\n"
        "2026-02-01,users,2,b\n"
        "2026-01-01,users,0,a2\n"
    )
    one = read(journal)[0]["users"]
    assert one.dates == [dt.date(2026, m, 1) for m in (1, 1, 2, 3, 3)]
    assert one.notes == ["a", "a2", "b", "c1", "c2"]  # same-day rows in journal order
    assert one.values == [1.0, 0.0, 2.0, 3.0, 4.0]
    assert one.lines == [3, 6, 5, 2, 4]  # each value keeps the line it came from


# --- writing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("note", "line"),
    [
        ("", "2026-01-02,users,5,\n"),
        ("plain", "2026-01-02,users,5,plain\n"),
        ("a, b", '2026-01-02,users,5,"a, b"\n'),
        ('say "hi"', '2026-01-02,users,5,"say ""hi"""\n'),
        ("=SUM(A1:A9)", "2026-01-02,users,5,=SUM(A1:A9)\n"),  # kept verbatim, never run
        ("  spaced  ", "2026-01-02,users,5,  spaced  \n"),
    ],
)
def test_format_row_quotes_where_needed_and_reads_back(note: str, line: str) -> None:
    row = format_row(dt.date(2026, 1, 2), "users", "5", note)
    assert row == line
    series, problems = read(HEADER_LINE + row)
    assert problems == []
    assert series["users"].notes == [note]


@pytest.mark.parametrize("note", ["two\nlines", "cr\rhere", "nul\x00", "x" * (MAX_NOTE_LENGTH + 1)])
def test_check_note_refuses(note: str) -> None:
    with pytest.raises(ValueError, match=r"a note must be one line|at most 2,000 characters"):
        check_note(note)


@pytest.mark.parametrize(
    "note", ["", "ok, with a comma", "x" * MAX_NOTE_LENGTH, "tab\there", "é 😀"]
)
def test_check_note_accepts(note: str) -> None:
    assert check_note(note) == note


_NOTES = st.text(max_size=60).filter(lambda note: not any(ch in note for ch in "\r\n\x00"))
_VALUES = st.one_of(
    st.tuples(st.just("users"), st.floats(-1e12, 1e12, allow_nan=False).map(format_raw)),
    st.tuples(st.just("mrr"), st.integers(-(10**12), 10**12).map(str)),
    st.tuples(st.just("mvp"), st.sampled_from(["idea", "beta", "done"])),
)
_ROWS = st.lists(
    st.tuples(st.dates(dt.date(1900, 1, 1), dt.date(2999, 12, 31)), _VALUES, _NOTES), max_size=20
)


@given(rows=_ROWS)
def test_rows_written_with_format_row_read_back_identically(rows: list) -> None:  # type: ignore[type-arg]
    data = HEADER_LINE + "".join(format_row(day, m, raw, note) for day, (m, raw), note in rows)
    series, problems = read(data)
    assert problems == []
    expected: dict[str, list[tuple[dt.date, str, str, int]]] = {}
    for line, (day, (metric, raw), note) in enumerate(rows, start=2):
        expected.setdefault(metric, []).append((day, raw, note, line))
    assert set(series) == set(expected)
    for metric, wanted in expected.items():
        wanted.sort(key=lambda row: row[0])  # stable: same-day rows keep journal order
        one = series[metric]
        assert one.dates == [day for day, _, _, _ in wanted]
        assert one.notes == [note for _, _, note, _ in wanted]
        assert one.lines == [line for _, _, _, line in wanted]
        if metric == "mvp":
            stages = METRICS["mvp"].stages
            assert [stages[int(v)] for v in one.values] == [raw for _, raw, _, _ in wanted]
        else:
            assert one.values == [float(raw) for _, raw, _, _ in wanted]
