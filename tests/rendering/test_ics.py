"""rendering/ics.py: RFC 5545 escaping and folding, and the calendar text."""

from __future__ import annotations

import datetime as dt

from smartgoals.rendering.ics import calendar_text, escape, events, fold
from tests.conftest import ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users, unit: count, cadence: weekly}
  cash: {name: Cash, unit: USD}
  arpu: {name: ARPU, unit: USD, cadence: monthly, formula: "mrr / users"}
goals: []
"""


def test_escape() -> None:
    assert escape("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    assert escape("x\r\ny") == "x\\ny"
    assert escape("bold\x1b[1m\u202eevil") == "bold[1mevil"


def test_fold_at_75_octets_never_inside_a_character() -> None:
    assert fold("a" * 75) == "a" * 75
    assert fold("a" * 80) == "a" * 75 + "\r\n " + "a" * 5
    folded = fold("a" * 74 + "é" + "b")  # é is two octets: it moves to the next line
    assert folded == "a" * 74 + "\r\n é" + "b"
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_events_for_recorded_cadences_only() -> None:
    definitions = ledger_from_strings(GOALS).definitions
    found = events(definitions, dt.date(2026, 3, 4))
    # each series starts on the first day of the period containing today (a Wednesday)
    assert [(e.uid, e.start, e.rule, e.summary) for e in found] == [
        ("record-mrr@smartgoals", dt.date(2026, 3, 1), "FREQ=MONTHLY", "Record MRR (monthly)"),
        (
            "record-users@smartgoals",
            dt.date(2026, 3, 2),
            "FREQ=WEEKLY;BYDAY=MO",
            "Record Users (weekly)",
        ),
    ]  # cash has no cadence; arpu is derived: nothing to record


def test_calendar_text_has_crlf_lines_and_a_header() -> None:
    definitions = ledger_from_strings(GOALS).definitions
    text = calendar_text(definitions, dt.date(2026, 3, 4), "9.9", name="acme, inc")
    lines = text.split("\r\n")
    assert lines[:6] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//smartgoals//smartgoals 9.9//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:acme\\, inc",
    ]
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert text.count("BEGIN:VEVENT") == 2
    assert "DTSTAMP:20260304T000000Z" in lines
    assert "\n" not in text.replace("\r\n", "")
