"""goals/checkins.csv: a person's judgement per goal (`date,goal,confidence,note`), append-only
like the journal, read from bytes with line numbers; problems are values.

A row whose confidence is empty and whose note starts with `withdrawn:` withdraws an earlier
check-in without rewriting it: `2026-11-22,revenue,,"withdrawn: at_risk; deals slipped"`
cancels the latest earlier row with that date, goal, confidence (`none` for an empty one) and
note. `undo` writes such rows; a check-in note may not start with the marker."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import NamedTuple

from smartgoals.errors import Problem
from smartgoals.periods import MAX_YEAR, MIN_YEAR
from smartgoals.suggest import suggest

CHECKINS = "goals/checkins.csv"
HEADER = ("date", "goal", "confidence", "note")
HEADER_LINE = ",".join(HEADER) + "\n"
CONFIDENCES = ("on_track", "at_risk", "off_track")
WITHDRAWN = "withdrawn:"  # a note starting with it withdraws an earlier check-in
NO_CONFIDENCE = "none"  # a withdrawn check-in's empty confidence, as the marker names it


class Checkin(NamedTuple):
    date: dt.date
    goal: str
    confidence: str  # on_track, at_risk, off_track; "" when none was given
    note: str
    line: int


class Withdrawal(NamedTuple):
    """A row withdrawing the latest earlier check-in with the same four fields."""

    date: dt.date
    goal: str
    confidence: str  # of the check-in withdrawn ("" when it had none)
    note: str  # of the check-in withdrawn
    line: int


def read_checkins(
    data: bytes, goal_ids: Iterable[str], rel: str = CHECKINS
) -> tuple[list[Checkin], list[Problem]]:
    """Every check-in in file order, less the withdrawn ones; each bad row is a Problem at its
    line, and skipped (a withdrawal with no check-in above it to withdraw too)."""
    rows, problems = read_rows(data, goal_ids, rel)
    found: list[Checkin] = []
    for row in rows:
        if isinstance(row, Checkin):
            found.append(row)
            continue
        match = next(
            (
                index
                for index in range(len(found) - 1, -1, -1)
                if found[index][:4] == (row.date, row.goal, row.confidence, row.note)
            ),
            None,
        )
        if match is None:
            problems.append(
                Problem(
                    rel,
                    row.line,
                    0,
                    f"withdraws a check-in that is not above it ({row.date.isoformat()}, "
                    f"{row.goal}, {row.confidence or NO_CONFIDENCE}, {row.note!r})",
                    "note",
                )
            )
            continue
        del found[match]
    problems.sort(key=lambda problem: problem.line)  # stable: one line's problems keep order
    return found, problems


def read_rows(
    data: bytes, goal_ids: Iterable[str], rel: str = CHECKINS
) -> tuple[list[Checkin | Withdrawal], list[Problem]]:
    """Every row in file order, check-ins and withdrawals as written; bad rows are Problems."""
    known = {goal: goal for goal in goal_ids}
    found: list[Checkin | Withdrawal] = []
    problems: list[Problem] = []
    if data and not data.endswith(b"\n"):
        problems.append(Problem(rel, 0, 0, "the last line has no newline (a torn write?)"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], [Problem(rel, 0, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            line = reader.line_num
            if line == 1:
                if tuple(f.strip().lower() for f in row) != HEADER:
                    problems.append(
                        Problem(rel, 1, 1, f"the header must be {HEADER_LINE.strip()!r}")
                    )
                continue
            if not row:
                continue
            if len(row) != 4:
                problems.append(Problem(rel, line, 1, f"expected 4 fields, found {len(row)}"))
                continue
            checked = _row(row, line, rel, known)
            if isinstance(checked, Problem):
                problems.append(checked)
            else:
                found.append(checked)
    except csv.Error as exc:
        problems.append(Problem(rel, reader.line_num, 0, f"malformed CSV: {exc}"))
    return found, problems


def _row(
    row: list[str], line: int, rel: str, known: dict[str, str]
) -> Checkin | Withdrawal | Problem:
    day_text, goal, confidence, note = row
    try:
        if len(day_text) != 10:
            raise ValueError
        day = dt.date.fromisoformat(day_text)
    except ValueError:
        return Problem(rel, line, 1, f"{day_text!r} is not a date (YYYY-MM-DD)", "date")
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return Problem(rel, line, 1, f"year {day.year} is out of range", "date")
    if goal not in known:
        return Problem(rel, line, 0, f"unknown goal {goal!r}{suggest(goal, known)}", "goal")
    if confidence and confidence not in CONFIDENCES:
        hint = suggest(confidence, {c: c for c in CONFIDENCES})
        return Problem(
            rel,
            line,
            0,
            f"{confidence!r} is not a confidence ({', '.join(CONFIDENCES)}){hint}",
            "confidence",
        )
    if any(ch in note for ch in "\r\n\x00"):
        return Problem(rel, line, 0, "a note must be one line", "note")
    if note.startswith(WITHDRAWN):
        return _withdrawal(day, goal, confidence, note, line, rel)
    return Checkin(day, goal, confidence, note, line)


def _withdrawal(
    day: dt.date, goal: str, confidence: str, note: str, line: int, rel: str
) -> Withdrawal | Problem:
    if confidence:
        return Problem(
            rel, line, 0, f"a {WITHDRAWN!r} row must have an empty confidence", "confidence"
        )
    rest = note.removeprefix(WITHDRAWN)
    word, _sep, withdrawn_note = rest.removeprefix(" ").partition("; ")
    if word != NO_CONFIDENCE and word not in CONFIDENCES:
        return Problem(
            rel,
            line,
            0,
            f"{WITHDRAWN!r} must be followed by the withdrawn confidence "
            f"({', '.join(CONFIDENCES)} or {NO_CONFIDENCE}), then '; ' and its note",
            "note",
        )
    return Withdrawal(day, goal, "" if word == NO_CONFIDENCE else word, withdrawn_note, line)


def latest(checkins: Iterable[Checkin], as_of: dt.date | None = None) -> dict[str, Checkin]:
    """The latest check-in per goal (on or before as_of); later lines win a tie."""
    found: dict[str, Checkin] = {}
    for one in checkins:
        if as_of is not None and one.date > as_of:
            continue
        here = found.get(one.goal)
        if here is None or one.date >= here.date:
            found[one.goal] = one
    return found


def withdrawal_note(confidence: str, note: str) -> str:
    """The note of a row withdrawing a check-in with this confidence and note."""
    text = f"{WITHDRAWN} {confidence or NO_CONFIDENCE}"
    return f"{text}; {note}" if note else text


def withdrawal_row(one: Checkin) -> str:
    """The row that withdraws a check-in (see the module's docstring)."""
    return format_row(one.date, one.goal, "", withdrawal_note(one.confidence, one.note))


def format_row(day: dt.date, goal: str, confidence: str, note: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([day.isoformat(), goal, confidence, note])
    return buffer.getvalue()
