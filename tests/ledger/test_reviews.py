"""ledger/reviews.py: the grade bands and reviews/<period>.csv read back with its problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.ledger.reviews import (
    HEADER_LINE,
    Review,
    bands_text,
    current,
    format_review,
    grade_of,
    period_of_path,
    read_reviews,
    review_problems,
)

DAY = dt.date(2026, 10, 5)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (None, "n/a"),
        (1.0, "A"),
        (0.9, "A"),
        (0.8996, "A"),
        (0.8994, "B"),
        (0.7, "B"),
        (0.4, "C"),
        (0.399, "D"),
        (0.0, "D"),
        (-1.0, "D"),
        (2.0, "A"),
    ],
)
def test_grade_bands(score: float | None, grade: str) -> None:
    assert grade_of(score) == grade


def test_bands_are_stated() -> None:
    assert bands_text() == "A >= 0.9, B >= 0.7, C >= 0.4, D below, n/a without a score"


def test_a_row_reads_back_as_written() -> None:
    row = Review("2026-Q3", "revenue", "", "at_risk", 0.8, "B", "A", 'a, "note"', "why", DAY)
    text = format_review(row)
    rows, problems = read_reviews((HEADER_LINE + text).encode(), ["revenue"], "reviews/2026-Q3.csv")
    assert not problems
    assert rows == [row._replace(line=2)]
    assert rows[0].overridden


def test_problems_with_their_lines() -> None:
    data = (
        HEADER_LINE
        + "2026-Q3,revenue,,on_track,0.950,A,B,,,2026-10-05\n"  # a different grade, no reason
        + "2026-Q2,revnue,,on_track,0.950,A,A,,,2026-10-05\n"  # wrong period, unknown goal
        + "2026-Q3,revenue,mrr,on_track,0.950,B,B,,,2026-10-05\n"  # not the score's band
        + "2026-Q3,revenue,mrr,on_track,1.5,A,A,,,2026-10-05\n"  # not a score
        + "2026-Q3,revenue,mrr,on_track,,n/a,E,,x,2026-10-05\n"  # not a grade
        + "2026-Q3,revenue\n"
    )
    problems = [str(p) for p in read_reviews(data.encode(), ["revenue"], "reviews/2026-Q3.csv")[1]]
    assert problems == [
        "reviews/2026-Q3.csv:2: reason: grade B differs from the computed A and gives no reason",
        "reviews/2026-Q3.csv:3: period: '2026-Q2' in the file of 2026-Q3",
        "reviews/2026-Q3.csv:3: goal: unknown goal 'revnue' (did you mean 'revenue'?)",
        "reviews/2026-Q3.csv:4: computed_grade: B is not the band of the score",
        "reviews/2026-Q3.csv:5: computed_score: '1.5' is not a score from 0 to 1",
        "reviews/2026-Q3.csv:6: grade: 'E' is not a grade (A, B, C, D, n/a)",
        "reviews/2026-Q3.csv:7: expected 10 fields, found 2",
    ]
    assert [str(p) for p in read_reviews(b"a,b\n", [], "r.csv")[1]] == [
        f"r.csv:1:1: the header must be {HEADER_LINE.strip()!r}"
    ]


def test_a_later_row_supersedes() -> None:
    first = Review("2026-Q3", "revenue", "", "on_track", 0.95, "A", "A", "", "", DAY)
    second = first._replace(grade="B", reason="amended")
    assert current([first, second]) == {("revenue", ""): second}


def test_period_names() -> None:
    assert period_of_path("reviews/2026-Q4.csv") == "2026-Q4"
    assert period_of_path("reviews/2026-W48.csv") == "2026-W48"
    assert period_of_path("reviews/2026.csv") == "2026"
    assert period_of_path("reviews/notes.csv") is None
    assert period_of_path("goals/2026-Q4.csv") is None


def test_review_files_of_a_ledger(tmp_path: Path) -> None:
    assert review_problems(tmp_path, ["revenue"]) == ([], [])
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews/2026-Q3.csv").write_text(
        HEADER_LINE + "2026-Q3,gone,,on_track,0.950,A,A,,,2026-10-05\n"
    )
    (tmp_path / "reviews/summary.csv").write_text("x\n")
    problems, warnings = review_problems(tmp_path, ["revenue"])
    assert [str(p) for p in problems] == [
        "reviews/summary.csv: not named for a period (2026-Q4.csv, 2026-11.csv)",
    ]
    # history: a goal removed since the close is a warning, not a problem check fails on
    assert [str(p) for p in warnings] == [
        "reviews/2026-Q3.csv:2: goal: goal 'gone' is not in the ledger now "
        "(renamed or removed since the close?)"
    ]
