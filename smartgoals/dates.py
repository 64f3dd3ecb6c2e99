"""Dates given on the command line (`--as-of`, `--since`), checked once with one message each."""

from __future__ import annotations

import datetime as dt

from .errors import InvalidInputError


def as_of_date(text: str | None, today: dt.date) -> dt.date:
    """An --as-of value: a day, a period (its last day), today or yesterday; default today."""
    if text is None:
        return today
    from .periods import parse_day, parse_period

    try:
        if text.strip().lower() in {"today", "yesterday"}:
            return parse_day(text, today)
        return parse_period(text).last
    except ValueError as exc:
        raise InvalidInputError(f"--as-of: {exc}") from None


def since_date(text: str | None, option: str = "--since") -> dt.date | None:
    """A --since value: a day or a period (its first day)."""
    if text is None:
        return None
    from .periods import parse_period

    try:
        return parse_period(text).first
    except ValueError as exc:
        raise InvalidInputError(f"{option}: {exc}") from None
