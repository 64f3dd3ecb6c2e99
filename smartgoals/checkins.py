"""goals/checkins.csv: a person's judgement per goal (`date,goal,confidence,note`), append-only
like the journal, read from bytes with line numbers; problems are values."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from typing import NamedTuple

from .errors import Problem
from .periods import MAX_YEAR, MIN_YEAR
from .suggest import suggest

CHECKINS = "goals/checkins.csv"
HEADER = ("date", "goal", "confidence", "note")
HEADER_LINE = ",".join(HEADER) + "\n"
CONFIDENCES = ("on_track", "at_risk", "off_track")


class Checkin(NamedTuple):
    date: dt.date
    goal: str
    confidence: str  # on_track, at_risk, off_track; "" when none was given
    note: str
    line: int


def read_checkins(
    data: bytes, goal_ids: Iterable[str], rel: str = CHECKINS
) -> tuple[list[Checkin], list[Problem]]:
    """Every check-in in file order; each bad row is a Problem at its line, and skipped."""
    known = {goal: goal for goal in goal_ids}
    found: list[Checkin] = []
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


def _row(row: list[str], line: int, rel: str, known: dict[str, str]) -> Checkin | Problem:
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
    return Checkin(day, goal, confidence, note, line)


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


def format_row(day: dt.date, goal: str, confidence: str, note: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([day.isoformat(), goal, confidence, note])
    return buffer.getvalue()
