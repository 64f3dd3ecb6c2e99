"""Dates as people write them: in goal files (days, months, quarters, halves, years; cadences and
windows) and on the command line (`--date`, `--as-of`, `--since`: `today`, `-3d`, `last-friday`)."""

from __future__ import annotations

import datetime as dt
import re

from smartgoals.errors import InvalidInputError
from smartgoals.lazyre import lazy
from smartgoals.record import Record

_DAY = lazy(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MONTH = lazy(r"^(\d{4})-(\d{1,2})$")
_QUARTER = lazy(r"^(?:(\d{4})[- ]?Q([1-4])|Q([1-4])[- ]?(\d{4}))$", re.IGNORECASE)
_HALF = lazy(r"^(?:(\d{4})[- ]?H([12])|H([12])[- ]?(\d{4}))$", re.IGNORECASE)
_YEAR = lazy(r"^(\d{4})$")

MIN_YEAR = 1900
MAX_YEAR = 2999


OPEN = "open"  # `due: open`: an open-ended timeline, judged without pace


class Period(Record):
    """A span of days written as one token; a due is its last day, a start its first."""

    text: str
    first: dt.date
    last: dt.date

    def __str__(self) -> str:
        return self.text


def _month_span(year: int, first_month: int, months: int) -> tuple[dt.date, dt.date]:
    last_month = first_month + months - 1
    last_day = days_in_month(year, last_month)
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


def _parse_iso_day(text: str, today: dt.date) -> dt.date:
    """A single day: YYYY-MM-DD, today or yesterday."""
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

# --- windows and calendar periods (quotas, held targets, formula windows) ---------------------

PERIOD_UNITS = ("week", "month", "quarter", "year")
_WINDOW = lazy(
    r"^\s*(?:(?P<days>[1-9]\d{0,4})\s*d(?:ays?)?|(?P<count>[1-9]\d{0,3})\s+"
    r"(?P<unit>day|week|month|quarter|year)s?)\s*$"
)


class Window(Record):
    """A span of days ending at a date: the calendar period to date that contains it ('month':
    month to date), or a trailing count of days, weeks, months, quarters or years."""

    text: str
    unit: str  # day, week, month, quarter or year
    length: int  # 0: the calendar period to date; else trailing

    def start(self, end: dt.date) -> dt.date:
        """The window's first day, for a window ending at (and including) end."""
        if self.length == 0:
            return period_span(end, self.unit)[0]
        if self.unit == "day":
            return end - dt.timedelta(days=self.length - 1)
        if self.unit == "week":
            return end - dt.timedelta(days=7 * self.length - 1)
        months = self.length * {"month": 1, "quarter": 3, "year": 12}[self.unit]
        return add_months(end, -months) + dt.timedelta(days=1)


def parse_window(text: str) -> Window:
    """'week', 'month', 'quarter', 'year' (the calendar period to date), or a trailing window:
    '90d', '12 months', '4 weeks', '2 quarters', '1 year'."""
    word = text.strip().lower()
    if word in PERIOD_UNITS:
        return Window(word, word, 0)
    found = _WINDOW.match(word)
    if not found:
        raise ValueError(
            f"{text!r} is not a window; use week, month, quarter or year (the period to date), "
            "or a trailing window such as 90d, 4 weeks, 12 months"
        )
    if found.group("days"):
        return Window(word, "day", int(found.group("days")))
    return Window(word, found.group("unit"), int(found.group("count")))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day so many months later (or earlier); a month end stays a month end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = days_in_month(year, month + 1)
    at_end = day.day == days_in_month(day.year, day.month)
    return dt.date(year, month + 1, last if at_end else min(day.day, last))


def period_span(day: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The calendar week (Monday first), month, quarter or year containing day."""
    if unit == "week":
        first = day - dt.timedelta(days=day.weekday())
        return first, first + dt.timedelta(days=6)
    if unit == "month":
        return _month_span(day.year, day.month, 1)
    if unit == "quarter":
        return _month_span(day.year, 3 * ((day.month - 1) // 3) + 1, 3)
    if unit == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError(f"unknown period {unit!r}")


def period_label(day: dt.date, unit: str) -> str:
    """The name of the period containing day: 2026-W47, 2026-11, 2026-Q4, 2026."""
    if unit == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if unit == "month":
        return f"{day.year}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


def parse_span(text: str) -> Period:
    """A period that can be closed: a year, a half, a quarter, a month, or an ISO week
    (2026-W48, Monday to Sunday); never a single day. Raises ValueError for a person."""
    if m := _WEEK.match(text.strip()):
        year, week = int(m.group(1)), int(m.group(2))
        _check_year(year, text)
        try:
            first = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"{text!r} is not a real week of {year}") from None
        return Period(f"{year}-W{week:02d}", first, first + dt.timedelta(days=6))
    period = parse_period(text)
    if period.first == period.last:
        raise ValueError(f"{text!r} is a day; close a period: 2026-Q4, 2026-11, 2026-W48 or 2026")
    return period


def following(period: Period) -> Period:
    """The period of the same kind that starts the day after this one ends."""
    day = period.last + dt.timedelta(days=1)
    text = period.text
    if "W" in text:
        year, week, _ = day.isocalendar()
        return parse_span(f"{year}-W{week:02d}")
    if "Q" in text:
        return parse_span(f"{day.year}-Q{(day.month - 1) // 3 + 1}")
    if "H" in text:
        return parse_span(f"{day.year}-H{(day.month - 1) // 6 + 1}")
    if len(text) == 4:
        return parse_span(str(day.year))
    return parse_span(f"{day.year}-{day.month:02d}")


# The trailing window of an undated held target: three of its metric's cadence periods.
DEFAULT_HOLD_PERIODS = 3
DEFAULT_HOLD_DAYS = 90  # for a metric without a cadence


# --- days given on the command line ------------------------------------------------------------

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# The one list of what a day on the command line may be; every hint quotes it.
DAY_WORDS = (
    "YYYY-MM-DD, today, yesterday, -3d (days ago), -2w (weeks ago), "
    "last-friday (the latest Friday before today; any weekday, last-mon to last-sun)"
)
_AGO = lazy(r"^-(\d{1,4})\s*([dw])$")
_LAST = lazy(r"^last[- ]([a-z]+)$")


def days_in_month(year: int, month: int) -> int:
    """How many days the month has (calendar.monthrange's second value, without importing
    calendar at start-up)."""
    if month == 12:
        return 31
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).day


def relative_day(text: str, today: dt.date) -> dt.date | None:
    """The day a relative word names (today, yesterday, -3d, -2w, last-friday), or None when
    text is not one."""
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    if m := _AGO.match(word):
        count = int(m.group(1)) * (7 if m.group(2) == "w" else 1)
        return today - dt.timedelta(days=count)
    if m := _LAST.match(word):
        name = m.group(1)
        matches = [i for i, day in enumerate(WEEKDAYS) if len(name) >= 3 and day.startswith(name)]
        if len(matches) == 1:
            back = (today.weekday() - matches[0] - 1) % 7 + 1  # 1..7: never today itself
            return today - dt.timedelta(days=back)
    return None


def parse_day(text: str, today: dt.date) -> dt.date:
    """A single day as people write it on the command line (see DAY_WORDS).

    Raises ValueError with the reason; callers add the list of what is accepted."""
    relative = relative_day(text, today)
    if relative is not None:
        if not MIN_YEAR <= relative.year <= MAX_YEAR:
            raise ValueError(f"{text.strip()!r} is before {MIN_YEAR}")
        return relative
    return _parse_iso_day(text, today)


def day_option(text: str | None, today: dt.date, option: str = "--date") -> dt.date:
    """A --date value (default today); one message whatever is wrong with it."""
    if not text:
        return today
    try:
        return parse_day(text, today)
    except ValueError as exc:
        # the reason, then what is accepted, the same whatever went wrong (the period parser's
        # own hint lists periods, which --date refuses)
        reason = str(exc).split("; use ")[0]
        raise InvalidInputError(f"{option}: {reason}; {option} takes a day: {DAY_WORDS}") from None


PERIODS = "a period (2026-11, 2026-Q3 or Q3 2026, 2026-H1, 2026)"


def as_of_date(text: str | None, today: dt.date) -> dt.date:
    """An --as-of value: a day, a period (its last day), or a relative day; default today."""
    if text is None:
        return today
    return _day_or_period(text, today, "--as-of", last=True)


def since_date(
    text: str | None, option: str = "--since", today: dt.date | None = None
) -> dt.date | None:
    """A --since value: a day, a period (its first day), or a relative day (from today)."""
    if text is None:
        return None
    return _day_or_period(text, today or dt.date.today(), option, last=False)


def _day_or_period(text: str, today: dt.date, option: str, last: bool) -> dt.date:
    try:
        relative = relative_day(text, today)
        if relative is not None:
            return parse_day(text, today)
        period = parse_period(text)
        return period.last if last else period.first
    except ValueError as exc:
        reason = str(exc).split("; use ")[0]
        end = "its last day" if last else "its first day"
        raise InvalidInputError(
            f"{option}: {reason}; {option} takes {DAY_WORDS}, or {PERIODS[:-1]}: {end})"
        ) from None
