"""Reminders as an iCalendar file (RFC 5545): a repeating all-day event per review checkpoint
and per metric cadence, which a calendar application can import or subscribe to. Pure: a
ledger's definitions and a date in, text out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import NamedTuple

from smartgoals.engine.dueness import review_span
from smartgoals.ledger.model import Definitions
from smartgoals.periods import period_span

# a cadence or review key -> (RRULE, the calendar period its events start on)
RULES = {
    "day": ("FREQ=DAILY", "day"),
    "week": ("FREQ=WEEKLY;BYDAY=MO", "week"),
    "month": ("FREQ=MONTHLY", "month"),
    "quarter": ("FREQ=MONTHLY;INTERVAL=3", "quarter"),
    "half": ("FREQ=MONTHLY;INTERVAL=6", "half"),
    "year": ("FREQ=YEARLY", "year"),
}
CADENCE_UNITS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "yearly": "year",
}


# control characters, DEL, C1 controls, line/paragraph separators, bidirectional overrides
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class Event(NamedTuple):
    uid: str
    start: dt.date
    rule: str
    summary: str
    description: str


def _unit(key: str) -> str | None:
    from smartgoals.engine.dueness import REVIEW_PERIODS

    return REVIEW_PERIODS.get(key.strip().lower())


def _slug(key: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in key.strip().lower())


def _first_day(today: dt.date, unit: str) -> dt.date:
    """The first day of the period containing today: the series' first occurrence."""
    if unit == "day":
        return today
    if unit == "half":
        span = review_span(today, "bi-annually")
        assert span is not None
        return span[0]
    return period_span(today, unit)[0]


def events(
    definitions: Definitions,
    today: dt.date,
    ledger_review: Iterable[tuple[str, str]] = (),
    ledger: str = "",
) -> list[Event]:
    """One repeating event per review checkpoint (the ledger's and each goal's) and per metric
    cadence; review keys that name no known period are left out. ledger: the ledger's identity,
    in every UID, so that two ledgers' calendars never share an event."""
    at = f".{ledger}@smartgoals" if ledger else "@smartgoals"
    found: list[Event] = []
    for key, what in ledger_review:
        unit = _unit(key)
        if unit is not None:
            found.append(
                Event(
                    f"review-ledger-{unit}{at}",
                    _first_day(today, unit),
                    RULES[unit][0],
                    f"Review ({key}): {what}",
                    "Run smartgoals due, then smartgoals checkin.",
                )
            )
    for goal in definitions.goals:
        for key, what in goal.review:
            unit = _unit(key)
            if unit is None:
                continue
            found.append(
                Event(
                    f"review-{goal.id}-{_slug(key)}{at}",
                    _first_day(today, unit),
                    RULES[unit][0],
                    f"Review {goal.title} ({key}): {what}",
                    f"Run smartgoals due, then smartgoals checkin --goal {goal.id}.",
                )
            )
    for metric in definitions.metrics.values():
        unit = CADENCE_UNITS.get(metric.cadence or "")
        if unit is None or metric.formula is not None:
            continue
        found.append(
            Event(
                f"record-{metric.id}{at}",
                _first_day(today, unit),
                RULES[unit][0],
                f"Record {metric.name} ({metric.cadence})",
                f"smartgoals log {metric.id} VALUE"
                + (f" (source: {metric.source})" if metric.source else ""),
            )
        )
    return found


def escape(text: str) -> str:
    """TEXT values (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks escaped;
    other control characters (escape codes in a title) and bidirectional overrides dropped, so
    the file is safe to print too."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return _UNSAFE.sub("", text)


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def calendar_text(
    definitions: Definitions,
    today: dt.date,
    version: str,
    ledger_review: Iterable[tuple[str, str]] = (),
    name: str = "smartgoals",
    ledger: str = "",
) -> str:
    """The whole iCalendar object, CRLF line ends, each event all day and repeating."""
    stamp = today.strftime("%Y%m%dT000000Z")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//smartgoals//smartgoals {version}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events(definitions, today, ledger_review, ledger):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.start.strftime('%Y%m%d')}",
            "DURATION:P1D",
            f"RRULE:{event.rule}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(event.description)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
