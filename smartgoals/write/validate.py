"""The checks every write passes before anything is locked: a batch against the loaded
definitions, each check a function from (batch, definitions, journal file) to problems."""

from __future__ import annotations

from collections.abc import Callable

from smartgoals.errors import Problem
from smartgoals.ledger.checkins import CHECKINS, HEADER_LINE, read_rows
from smartgoals.ledger.model import Definitions
from smartgoals.ledger.reviews import HEADER_LINE as HEADER_LINE_REVIEWS
from smartgoals.ledger.reviews import period_of_path, read_reviews
from smartgoals.write.recording import Batch, unknown_metric

Validation = Callable[[Batch, Definitions, str], list[Problem]]


def recorded_metrics(batch: Batch, definitions: Definitions, target: str) -> list[Problem]:
    """Each value is of a metric these definitions record: known, not derived, and defined as
    it was when the value was read."""
    problems = []
    metrics = definitions.metrics
    for number, entry in enumerate(batch.entries, 1):
        metric = metrics.get(entry.metric.id)
        if metric is None:
            message = unknown_metric(entry.metric.id, definitions)
        elif metric.formula is not None:
            message = f"{metric.id} is computed from its formula ({metric.formula}), not recorded"
        elif metric is not entry.metric and metric != entry.metric:
            message = f"{metric.id} is defined differently than when its value was read"
        else:
            continue
        problems.append(Problem(target, 0, 0, message, f"row {number}"))
    return problems


def journal_rows(batch: Batch, definitions: Definitions, target: str) -> list[Problem]:
    """Each row is one line that the journal reads back as its entry's day and metric (a row
    broken across lines would shift every row after it)."""
    problems = []
    for number, entry in enumerate(batch.entries, 1):
        row = entry.row
        if (
            not row.startswith(f"{entry.day.isoformat()},{entry.metric.id},")
            or not row.endswith("\n")
            or "\n" in row[:-1]
            or "\r" in row
        ):
            message = f"{entry.summary}: not one journal row ({row!r})"
            problems.append(Problem(target, 0, 0, message, f"row {number}"))
    return problems


def checkin_rows(batch: Batch, definitions: Definitions, target: str) -> list[Problem]:
    """goals/checkins.csv rows are read as the file will be: known goals, known confidences,
    withdrawals as the format writes them."""
    if not batch.checkins:
        return []
    goal_ids = (goal.id for goal in definitions.goals)
    found = read_rows((HEADER_LINE + batch.checkins).encode(), goal_ids)[1]
    return [Problem(CHECKINS, 0, 0, p.message, f"row {p.line - 1}") for p in found]


def review_rows(batch: Batch, definitions: Definitions, target: str) -> list[Problem]:
    """Rows for reviews/<period>.csv are read as the file will be: known goals, grades in
    their bands, a reason wherever a grade differs from the computed one."""
    problems: list[Problem] = []
    goal_ids = [goal.id for goal in definitions.goals]
    for extra in batch.files:
        if period_of_path(extra.path) is None:
            continue
        found = read_reviews((HEADER_LINE_REVIEWS + extra.text).encode(), goal_ids, extra.path)[1]
        problems.extend(
            Problem(extra.path, 0, 0, p.message, f"row {p.line - 1} {p.field}".strip())
            for p in found
        )
    return problems


VALIDATIONS: tuple[Validation, ...] = (recorded_metrics, journal_rows, checkin_rows, review_rows)


def validate(batch: Batch, definitions: Definitions, target: str) -> tuple[Problem, ...]:
    """Every problem of every validation (target: the journal file the values go to)."""
    problems: list[Problem] = []
    for check in VALIDATIONS:
        problems.extend(check(batch, definitions, target))
    return tuple(problems)
