"""reviews/<period>.csv: the grades of a closed period, one row per goal and per target, written
by `close`, append-only like the journal; the grade bands; rows read back from bytes with line
numbers, every problem a value."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import Problem
from smartgoals.files import read_limited
from smartgoals.suggest import suggest

REVIEWS_DIR = "reviews"
HEADER = (
    "period",
    "goal",
    "target",
    "status",
    "computed_score",
    "computed_grade",
    "grade",
    "note",
    "reason",
    "closed_on",
)
HEADER_LINE = ",".join(HEADER) + "\n"
# a period as close names it: a year, a half, a quarter, a month or an ISO week
PERIOD_NAME = re.compile(r"^\d{4}(-(Q[1-4]|H[12]|0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3])))?$")

# (grade, lowest score): the first band whose floor the score reaches; stated in docs/reports.md
BANDS: tuple[tuple[str, float], ...] = (("A", 0.9), ("B", 0.7), ("C", 0.4), ("D", 0.0))
UNGRADED = "n/a"  # no score: no data, or not started
GRADES: tuple[str, ...] = (*(grade for grade, _ in BANDS), UNGRADED)


def grade_of(score: float | None) -> str:
    """The band of a score from 0 to 1 (clamped, then rounded to the 3 decimals the reviews
    file keeps, so a row read back gets the same grade); n/a without one."""
    if score is None:
        return UNGRADED
    clamped = round(min(max(score, 0.0), 1.0), 3)
    return next(grade for grade, floor in BANDS if clamped >= floor)


def bands_text() -> str:
    """The bands in one line: `A >= 0.9, B >= 0.7, C >= 0.4, D below, n/a without a score`."""
    shown = [f"{grade} >= {floor:g}" for grade, floor in BANDS[:-1]]
    return ", ".join([*shown, f"{BANDS[-1][0]} below", f"{UNGRADED} without a score"])


def review_path(period: str) -> str:
    return f"{REVIEWS_DIR}/{period}.csv"


def period_of_path(rel: str) -> str | None:
    """The period a reviews file is named for; None when rel is not one."""
    folder, _, name = rel.rpartition("/")
    if folder != REVIEWS_DIR or not name.endswith(".csv"):
        return None
    period = name.removesuffix(".csv")
    return period if PERIOD_NAME.match(period) else None


class Review(NamedTuple):
    """One row: a goal's grade (target empty) or one target's (its metric id)."""

    period: str
    goal: str
    target: str
    status: str
    computed_score: float | None
    computed_grade: str
    grade: str
    note: str
    reason: str
    closed_on: dt.date
    line: int = 0

    @property
    def overridden(self) -> bool:
        return self.grade != self.computed_grade


def format_review(review: Review) -> str:
    """The row as one CSV line (fields with commas or quotes quoted, as csv does)."""
    out = io.StringIO()
    score = "" if review.computed_score is None else f"{review.computed_score:.3f}"
    fields = [*review[:4], score, *review[5:9], review.closed_on.isoformat()]
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


UNKNOWN_GOAL = "unknown goal"


def _score(text: str) -> float | None:
    if not text:
        return None
    value = float(text)
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise ValueError
    return value


def _row_problems(review: Review, goal_ids: set[str], rel: str) -> list[Problem]:
    """What is wrong with one parsed row."""
    found = []

    def add(field: str, message: str) -> None:
        found.append(Problem(rel, review.line, 0, message, field))

    expected = period_of_path(rel)
    if expected is not None and review.period != expected:
        add("period", f"{review.period!r} in the file of {expected}")
    if review.goal not in goal_ids:
        add("goal", f"{UNKNOWN_GOAL} {review.goal!r}{suggest(review.goal, goal_ids)}")
    for field, value in (("computed_grade", review.computed_grade), ("grade", review.grade)):
        if value not in GRADES:
            add(field, f"{value!r} is not a grade ({', '.join(GRADES)})")
    banded = grade_of(review.computed_score)
    waiting = review.status == "not_started" and review.computed_grade == UNGRADED
    if review.computed_grade in GRADES and review.computed_grade != banded and not waiting:
        add("computed_grade", f"{review.computed_grade} is not the band of the score")
    if review.overridden and not review.reason.strip():
        add(
            "reason",
            f"grade {review.grade} differs from the computed {review.computed_grade} "
            "and gives no reason",
        )
    for field, value in (("note", review.note), ("reason", review.reason)):
        if "\n" in value or "\r" in value:
            add(field, "must be one line")
    return found


def read_reviews(
    data: bytes, goal_ids: Iterable[str], rel: str
) -> tuple[list[Review], list[Problem]]:
    """Every row in file order, and every problem (header, fields, goals, grades, reasons)."""
    ids = set(goal_ids)
    text = data.decode("utf-8", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(rows[0]) != HEADER:
        return [], [Problem(rel, 1, 1, f"the header must be {HEADER_LINE.strip()!r}")]
    reviews: list[Review] = []
    problems: list[Problem] = []
    for number, fields in enumerate(rows[1:], 2):
        if not fields:
            continue
        if len(fields) != len(HEADER):
            message = f"expected {len(HEADER)} fields, found {len(fields)}"
            problems.append(Problem(rel, number, 0, message))
            continue
        try:
            score = _score(fields[4])
        except ValueError:
            message = f"{fields[4]!r} is not a score from 0 to 1"
            problems.append(Problem(rel, number, 0, message, "computed_score"))
            continue
        try:
            day = dt.date.fromisoformat(fields[9])
        except ValueError:
            message = f"{fields[9]!r} is not a date (YYYY-MM-DD)"
            problems.append(Problem(rel, number, 0, message, "closed_on"))
            continue
        period, goal, target, status, _score_text, computed, grade, note, reason, _day = fields
        review = Review(
            period, goal, target, status, score, computed, grade, note, reason, day, number
        )
        problems.extend(_row_problems(review, ids, rel))
        reviews.append(review)
    return reviews, problems


def current(reviews: Iterable[Review]) -> dict[tuple[str, str], Review]:
    """The row in force for each goal and target: a later row (close --amend) supersedes."""
    return {(review.goal, review.target): review for review in reviews}


MAX_REVIEWS_BYTES = 5_000_000


def review_files(root: Path) -> dict[str, bytes | Problem]:
    """Every reviews/<period>.csv of the ledger at root, by ledger-relative path (a file that
    cannot be read, or is not named for a period, as its problem)."""
    folder = root / REVIEWS_DIR
    if not folder.is_dir():
        return {}
    found: dict[str, bytes | Problem] = {}
    for path in sorted(folder.iterdir()):
        rel = f"{REVIEWS_DIR}/{path.name}"
        if path.name.startswith(".") or not path.name.endswith(".csv"):
            continue
        if period_of_path(rel) is None:
            found[rel] = Problem(rel, 0, 0, "not named for a period (2026-Q4.csv, 2026-11.csv)")
            continue
        try:
            found[rel] = read_limited(path, MAX_REVIEWS_BYTES, rel)
        except ValueError as exc:
            found[rel] = Problem(rel, 0, 0, str(exc))
    return found


def review_problems(root: Path, goal_ids: Iterable[str]) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of the ledger's reviews files, which `check` lists with the
    ledger's. A row naming a goal the ledger no longer has is a warning, not a problem: the
    file is history, append-only, and the goal may have been renamed or removed since the
    period was closed (closing refuses an unknown goal; only later edits of the goals make one)."""
    ids = set(goal_ids)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for rel, data in review_files(root).items():
        if isinstance(data, Problem):
            problems.append(data)
            continue
        for problem in read_reviews(data, ids, rel)[1]:
            if problem.field == "goal" and problem.message.startswith(UNKNOWN_GOAL):
                message = problem.message.replace(UNKNOWN_GOAL, "goal", 1)
                message += " is not in the ledger now (renamed or removed since the close?)"
                warnings.append(problem._replace(message=message))
            else:
                problems.append(problem)
    return problems, warnings
