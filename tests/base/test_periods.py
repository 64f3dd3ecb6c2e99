"""periods.py: every written form of a period, its first and last day, days, and cadences."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from smartgoals.periods import (
    CADENCE_DAYS,
    MAX_YEAR,
    MIN_YEAR,
    Period,
    following,
    parse_day,
    parse_period,
    parse_span,
)

D = dt.date


@pytest.mark.parametrize(
    ("written", "text", "first", "last"),
    [
        ("2025-07-01", "2025-07-01", D(2025, 7, 1), D(2025, 7, 1)),
        ("2025-7-1", "2025-07-01", D(2025, 7, 1), D(2025, 7, 1)),
        (" 2025-07-01 ", "2025-07-01", D(2025, 7, 1), D(2025, 7, 1)),
        ("2025-07", "2025-07", D(2025, 7, 1), D(2025, 7, 31)),
        ("2025-7", "2025-07", D(2025, 7, 1), D(2025, 7, 31)),
        ("2025-04", "2025-04", D(2025, 4, 1), D(2025, 4, 30)),
        ("2025-Q1", "2025-Q1", D(2025, 1, 1), D(2025, 3, 31)),
        ("2025-Q2", "2025-Q2", D(2025, 4, 1), D(2025, 6, 30)),
        ("2025Q3", "2025-Q3", D(2025, 7, 1), D(2025, 9, 30)),
        ("2025 q4", "2025-Q4", D(2025, 10, 1), D(2025, 12, 31)),
        ("Q3 2025", "2025-Q3", D(2025, 7, 1), D(2025, 9, 30)),
        ("q1-2025", "2025-Q1", D(2025, 1, 1), D(2025, 3, 31)),
        ("2025-H1", "2025-H1", D(2025, 1, 1), D(2025, 6, 30)),
        ("2025h2", "2025-H2", D(2025, 7, 1), D(2025, 12, 31)),
        ("H2 2025", "2025-H2", D(2025, 7, 1), D(2025, 12, 31)),
        ("2025", "2025", D(2025, 1, 1), D(2025, 12, 31)),
        (2025, "2025", D(2025, 1, 1), D(2025, 12, 31)),  # YAML reads a bare year as an int
        (D(2025, 7, 1), "2025-07-01", D(2025, 7, 1), D(2025, 7, 1)),  # and a day as a date
        (dt.datetime(2025, 7, 1, 13, 5), "2025-07-01", D(2025, 7, 1), D(2025, 7, 1)),
    ],
)
def test_every_accepted_form(written: object, text: str, first: dt.date, last: dt.date) -> None:
    period = parse_period(written)
    assert period == Period(text, first, last)
    assert str(period) == text
    assert parse_period(period) is period


@pytest.mark.parametrize(
    ("written", "last"),
    [
        ("2024-02", D(2024, 2, 29)),  # divisible by 4
        ("2025-02", D(2025, 2, 28)),
        ("1900-02", D(1900, 2, 28)),  # divisible by 100, not by 400
        ("2000-02", D(2000, 2, 29)),  # divisible by 400
        ("2024-Q1", D(2024, 3, 31)),
        ("2024-H1", D(2024, 6, 30)),
    ],
)
def test_leap_years(written: str, last: dt.date) -> None:
    assert parse_period(written).last == last


def test_quarters_and_halves_tile_the_year() -> None:
    quarters = [parse_period(f"2026-Q{q}") for q in range(1, 5)]
    halves = [parse_period(f"2026-H{h}") for h in (1, 2)]
    for spans in (quarters, halves):
        assert spans[0].first == D(2026, 1, 1) and spans[-1].last == D(2026, 12, 31)
        for earlier, later in itertools.pairwise(spans):
            assert later.first - earlier.last == dt.timedelta(days=1)
    assert (quarters[1].last, halves[0].last) == (D(2026, 6, 30), D(2026, 6, 30))


@pytest.mark.parametrize(
    "written", ["1899", "3000", "1899-12-31", "3000-01", "3000-Q1", "Q1 1899", "1899-H2", 3000]
)
def test_years_out_of_range(written: object) -> None:
    with pytest.raises(ValueError, match=rf"out of range \({MIN_YEAR}-{MAX_YEAR}\)"):
        parse_period(written)


def test_years_at_the_edges_of_the_range() -> None:
    assert parse_period("1900").first == D(1900, 1, 1)
    assert parse_period("2999-12").last == D(2999, 12, 31)
    with pytest.raises(ValueError, match="year 1066"):
        parse_period(D(1066, 10, 14))


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2025-02-30", "'2025-02-30' is not a real date (day is out of range for month)"),
        ("2025-13", "'2025-13' is not a real date (month 13 is not 1-12)"),
        ("2025-00", "'2025-00' is not a real date (month 0 is not 1-12)"),
        ("2025-Q5", "'2025-Q5' is not a date; use 2025-07-01, 2025-07, 2025-Q3, Q3 2025 or 2025"),
        ("2025-H3", "'2025-H3' is not a date"),
        ("next year", "'next year' is not a date"),
        ("25", "'25' is not a date"),
        ("", "'' is not a date"),
        (True, "expected a date such as 2025-07-01, 2025-07, 2025-Q3 or 2025, got True"),
        (1.5, "expected a date such as 2025-07-01, 2025-07, 2025-Q3 or 2025, got 1.5"),
        (None, "got None"),
    ],
)
def test_refused(written: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_period(written)
    assert message in str(caught.value)


TODAY = D(2026, 3, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", TODAY),
        (" Today ", TODAY),
        ("yesterday", D(2026, 2, 28)),  # across a month end, in a common year
        ("YESTERDAY", D(2026, 2, 28)),
        ("2026-02-20", D(2026, 2, 20)),
        ("2026-2-20", D(2026, 2, 20)),
    ],
)
def test_parse_day(text: str, day: dt.date) -> None:
    assert parse_day(text, TODAY) == day


def test_yesterday_across_a_leap_day_and_a_year() -> None:
    assert parse_day("yesterday", D(2024, 3, 1)) == D(2024, 2, 29)
    assert parse_day("yesterday", D(2026, 1, 1)) == D(2025, 12, 31)


@pytest.mark.parametrize("text", ["2026-02", "2026-Q1", "2026", "2026-H1"])
def test_parse_day_refuses_a_period(text: str) -> None:
    with pytest.raises(ValueError, match="is a period, not a day; use YYYY-MM-DD"):
        parse_day(text, TODAY)


@pytest.mark.parametrize("text", ["tomorrow", "1899-12-31", "2026-02-30", ""])
def test_parse_day_refuses_what_is_not_a_day(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text, TODAY)


def test_cadence_days() -> None:
    assert CADENCE_DAYS == {
        "daily": 1,
        "weekly": 7,
        "monthly": 31,  # the longest month: a monthly metric logged on the 1st is fresh all month
        "quarterly": 92,  # the longest quarter (Q3, Q4)
        "yearly": 366,  # a leap year
    }
    quarters = [parse_period(f"2026-Q{q}") for q in range(1, 5)]
    assert max((q.last - q.first).days + 1 for q in quarters) == CADENCE_DAYS["quarterly"]


@pytest.mark.parametrize(
    ("text", "name", "first", "last", "after"),
    [
        ("2026-Q4", "2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2027-Q1"),
        ("2026-12", "2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2027-01"),
        ("2026-H2", "2026-H2", dt.date(2026, 7, 1), dt.date(2026, 12, 31), "2027-H1"),
        ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2027"),
        ("2026-w48", "2026-W48", dt.date(2026, 11, 23), dt.date(2026, 11, 29), "2026-W49"),
        ("2026-W53", "2026-W53", dt.date(2026, 12, 28), dt.date(2027, 1, 3), "2027-W01"),
    ],
)
def test_periods_that_can_be_closed(
    text: str, name: str, first: dt.date, last: dt.date, after: str
) -> None:
    period = parse_span(text)
    assert period == Period(name, first, last)
    assert following(period).text == after
    assert following(period).first == last + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "message"), [("2026-11-30", "is a day"), ("2025-W53", "not a real week")]
)
def test_a_span_is_never_a_day(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_span(text)
