"""ledger/checkins.py: goals/checkins.csv read from bytes with line numbers, withdrawals, and
rows written back."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.errors import Problem
from smartgoals.ledger.checkins import (
    Checkin,
    Withdrawal,
    format_row,
    latest,
    read_checkins,
    read_rows,
    withdrawal_note,
    withdrawal_row,
)

D = dt.date.fromisoformat
GOALS = ("revenue", "hiring")
HEADER = "date,goal,confidence,note\n"


def read(text: str) -> tuple[list[Checkin], list[str]]:
    found, problems = read_checkins((HEADER + text).encode(), GOALS)
    return found, [str(p) for p in problems]


def test_rows_in_file_order_with_their_lines() -> None:
    found, problems = read('2026-11-05,revenue,on_track,fine\n\n2026-11-01,hiring,,"a, b"\n')
    assert problems == []
    assert found == [
        Checkin(D("2026-11-05"), "revenue", "on_track", "fine", 2),
        Checkin(D("2026-11-01"), "hiring", "", "a, b", 4),
    ]


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        (
            "2026-13-01,revenue,,\n",
            "goals/checkins.csv:2:1: date: '2026-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            "2026-1-01,revenue,,\n",
            "goals/checkins.csv:2:1: date: '2026-1-01' is not a date (YYYY-MM-DD)",
        ),
        ("1899-01-01,revenue,,\n", "goals/checkins.csv:2:1: date: year 1899 is out of range"),
        (
            "2026-11-05,revenu,,\n",
            "goals/checkins.csv:2: goal: unknown goal 'revenu' (did you mean 'revenue'?)",
        ),
        (
            "2026-11-05,revenue,ontrack,\n",
            "goals/checkins.csv:2: confidence: 'ontrack' is not a confidence (on_track, at_risk, off_track) (did you mean 'on_track'?)",
        ),
        (
            '2026-11-05,revenue,,"two\nlines"\n',
            "goals/checkins.csv:3: note: a note must be one line",
        ),
        ("2026-11-05,revenue,on_track\n", "goals/checkins.csv:2:1: expected 4 fields, found 3"),
        (
            "2026-11-05,revenue,on_track,withdrawn: on_track\n",
            "goals/checkins.csv:2: confidence: a 'withdrawn:' row must have an empty confidence",
        ),
        (
            "2026-11-05,revenue,,withdrawn: maybe\n",
            "goals/checkins.csv:2: note: 'withdrawn:' must be followed by the withdrawn confidence (on_track, at_risk, off_track or none), then '; ' and its note",
        ),
        (
            "2026-11-05,revenue,,withdrawn: at_risk; gone\n",
            "goals/checkins.csv:2: note: withdraws a check-in that is not above it (2026-11-05, revenue, at_risk, 'gone')",
        ),
    ],
)
def test_bad_rows_are_problems_at_their_line(row: str, problem: str) -> None:
    found, problems = read(row)
    assert found == []
    assert problems == [problem]


def test_file_level_problems() -> None:
    _, problems = read_checkins(b"date,goal,confidence\n", GOALS)
    assert [str(p) for p in problems] == [
        "goals/checkins.csv:1:1: the header must be 'date,goal,confidence,note'"
    ]
    found, problems = read_checkins((HEADER + "2026-11-05,revenue,,torn").encode(), GOALS)
    assert [str(p) for p in problems] == [
        "goals/checkins.csv: the last line has no newline (a torn write?)"
    ]
    assert len(found) == 1
    assert read_checkins(b"\xff\xfe", GOALS, "x.csv")[1] == [
        Problem("x.csv", 0, 0, "not UTF-8 text (invalid start byte at byte 0)")
    ]
    assert read_checkins(b"", GOALS) == ([], [])


def test_a_bom_is_accepted() -> None:
    found, problems = read_checkins(("\ufeff" + HEADER + "2026-11-05,hiring,,\n").encode(), GOALS)
    assert problems == []
    assert found[0].goal == "hiring"


def test_a_withdrawal_cancels_the_latest_matching_row_above_it() -> None:
    found, problems = read(
        "2026-11-05,revenue,at_risk,deals slipped\n"
        "2026-11-05,revenue,at_risk,deals slipped\n"
        "2026-11-06,revenue,,\n"
        '2026-11-05,revenue,,"withdrawn: at_risk; deals slipped"\n'
        "2026-11-06,revenue,,withdrawn: none\n"
    )
    assert problems == []
    assert [c.line for c in found] == [2]


def test_read_rows_keeps_withdrawals_as_written() -> None:
    rows, problems = read_rows(
        (HEADER + "2026-11-06,hiring,,withdrawn: off_track; x; y\n").encode(), GOALS
    )
    assert problems == []
    assert rows == [Withdrawal(D("2026-11-06"), "hiring", "off_track", "x; y", 2)]


def test_problems_are_sorted_by_line() -> None:
    _, problems = read("2026-11-05,revenue,,withdrawn: at_risk; not above\n2026-13-01,revenue,,\n")
    assert [p.split(":")[1] for p in problems] == ["2", "3"]


def test_latest_per_goal_later_lines_win_ties() -> None:
    rows = [
        Checkin(D("2026-11-05"), "revenue", "at_risk", "a", 2),
        Checkin(D("2026-11-05"), "revenue", "on_track", "b", 3),
        Checkin(D("2026-11-01"), "revenue", "off_track", "older, later line", 4),
        Checkin(D("2026-12-01"), "revenue", "off_track", "future", 5),
        Checkin(D("2026-10-01"), "hiring", "", "", 6),
    ]
    assert {g: c.line for g, c in latest(rows, D("2026-11-30")).items()} == {
        "revenue": 3,
        "hiring": 6,
    }
    assert latest(rows)["revenue"].line == 5
    assert latest(rows, D("2026-09-01")) == {}


def test_withdrawal_rows() -> None:
    assert withdrawal_note("at_risk", "deals slipped") == "withdrawn: at_risk; deals slipped"
    assert withdrawal_note("", "") == "withdrawn: none"
    one = Checkin(D("2026-11-22"), "revenue", "at_risk", "deals, slipped", 7)
    assert withdrawal_row(one) == '2026-11-22,revenue,,"withdrawn: at_risk; deals, slipped"\n'
    assert format_row(D("2026-11-22"), "revenue", "on_track", 'say "hi"') == (
        '2026-11-22,revenue,on_track,"say ""hi"""\n'
    )


notes = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)),
    max_size=40,
).filter(lambda n: not n.startswith("withdrawn:"))


@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
    st.sampled_from(GOALS),
    st.sampled_from(("", "on_track", "at_risk", "off_track")),
    notes,
)
def test_a_written_row_reads_back_and_its_withdrawal_cancels_it(
    day: dt.date, goal: str, confidence: str, note: str
) -> None:
    one = Checkin(day, goal, confidence, note, 2)
    data = (HEADER + format_row(day, goal, confidence, note)).encode()
    assert read_checkins(data, GOALS) == ([one], [])
    assert read_checkins(data + withdrawal_row(one).encode(), GOALS) == ([], [])
