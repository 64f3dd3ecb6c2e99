"""Dates as people write them in goal files: days, months, quarters, halves and years; cadences."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(?:(\d{4})[- ]?Q([1-4])|Q([1-4])[- ]?(\d{4}))$", re.IGNORECASE)
_HALF = re.compile(r"^(?:(\d{4})[- ]?H([12])|H([12])[- ]?(\d{4}))$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")

MIN_YEAR = 1900
MAX_YEAR = 2999


class Period(NamedTuple):
    """A span of days written as one token; a due is its last day, a start its first."""

    text: str
    first: dt.date
    last: dt.date

    def __str__(self) -> str:
        return self.text


def _month_span(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} in {text!r} is out of range ({MIN_YEAR}-{MAX_YEAR})")


def parse_period(value: object) -> Period:
    """Parse 2025-07-01, 2025-07, 2025-Q3, Q3 2025, 2025-H1 or 2025 into a Period.

    Raises ValueError with a message fit for a person.
    """
    if isinstance(value, Period):
        return value
    if isinstance(value, bool):
        raise ValueError(
            f"expected a date such as 2025-07-01, 2025-07, 2025-Q3 or 2025, got {value}"
        )
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat())
        return Period(value.isoformat(), value, value)
    if isinstance(value, int):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(
            f"expected a date such as 2025-07-01, 2025-07, 2025-Q3 or 2025, got {value!r}"
        )
    text = value.strip()
    if m := _DAY.match(text):
        year, month, day = (int(g) for g in m.groups())
        _check_year(year, text)
        try:
            day_value = dt.date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"{text!r} is not a real date ({exc})") from None
        return Period(day_value.isoformat(), day_value, day_value)
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(year, text)
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a real date (month {month} is not 1-12)")
        return Period(f"{year}-{month:02d}", *_month_span(year, month, 1))
    if m := _QUARTER.match(text):
        year = int(m.group(1) or m.group(4))
        quarter = int(m.group(2) or m.group(3))
        _check_year(year, text)
        return Period(f"{year}-Q{quarter}", *_month_span(year, 3 * quarter - 2, 3))
    if m := _HALF.match(text):
        year = int(m.group(1) or m.group(4))
        half = int(m.group(2) or m.group(3))
        _check_year(year, text)
        return Period(f"{year}-H{half}", *_month_span(year, 6 * half - 5, 6))
    if _YEAR.match(text):
        year = int(text)
        _check_year(year, text)
        return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValueError(f"{text!r} is not a date; use 2025-07-01, 2025-07, 2025-Q3, Q3 2025 or 2025")


def parse_day(text: str, today: dt.date) -> dt.date:
    """Parse a single day given on the command line: YYYY-MM-DD, today or yesterday."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    period = parse_period(text)
    if period.first != period.last:
        raise ValueError(f"{text!r} is a period, not a day; use YYYY-MM-DD")
    return period.first


# How many days may pass after an observation before a metric with this cadence is stale.
CADENCE_DAYS: dict[str, int] = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "yearly": 366,
}
