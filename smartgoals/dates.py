"""Dates given on the command line (`--date`, `--as-of`, `--since`), checked once with one
message each; days as people say them (`today`, `yesterday`, `-3d`, `last-friday`)."""

from __future__ import annotations

import datetime as dt

from .errors import InvalidInputError
from .lazyre import lazy

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
    from .periods import parse_day as parse_iso_day

    relative = relative_day(text, today)
    if relative is not None:
        from .periods import MAX_YEAR, MIN_YEAR

        if not MIN_YEAR <= relative.year <= MAX_YEAR:
            raise ValueError(f"{text.strip()!r} is before {MIN_YEAR}")
        return relative
    return parse_iso_day(text, today)


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
    from .periods import parse_period

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
