"""What needs a person now (pure: a ledger, its check-ins and a date in, lists out): metrics
whose cadence lapsed, review checkpoints without a check-in in their period, risks triggered
since the last check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from smartgoals.engine.evaluation import Evaluation, RiskStatus, evaluate
from smartgoals.ledger.checkins import Checkin
from smartgoals.ledger.model import GoalDef, Ledger, MetricDef
from smartgoals.periods import CADENCE_DAYS, add_months, period_span

# review: keys as people write them -> a calendar period (half: January-June, July-December)
REVIEW_PERIODS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "quarterly": "quarter",
    "bi-annually": "half",
    "biannually": "half",
    "semi-annually": "half",
    "half-yearly": "half",
    "yearly": "year",
    "annually": "year",
}
FINISHED = ("achieved", "achieved_late", "missed", "not_started")


class DueMetric(NamedTuple):
    metric: MetricDef
    last_value: float | None
    last_date: dt.date | None
    due: dt.date | None  # the first day it is stale; None: never recorded
    overdue: bool  # stale at the as-of date (else it lapses within --within days)


class DueReview(NamedTuple):
    goal: GoalDef
    cadence: str  # as written: monthly, quarterly, ...
    what: str
    period_start: dt.date  # the period the review belongs to
    due: dt.date  # when it became (or becomes) due: the period's first day
    last_checkin: dt.date | None
    overdue: bool


class Due(NamedTuple):
    metrics: tuple[DueMetric, ...]
    reviews: tuple[DueReview, ...]
    risks: tuple[RiskStatus, ...]
    last_checkin: dt.date | None


def review_span(day: dt.date, cadence: str) -> tuple[dt.date, dt.date] | None:
    """The calendar period of a review cadence containing day; None for a cadence not known."""
    unit = REVIEW_PERIODS.get(cadence.strip().lower())
    if unit is None:
        return None
    if unit == "day":
        return day, day
    if unit == "half":
        first = dt.date(day.year, 1 if day.month <= 6 else 7, 1)
        return first, add_months(first, 6) - dt.timedelta(days=1)
    return period_span(day, unit)


def due_metrics(ledger: Ledger, as_of: dt.date, within: int) -> list[DueMetric]:
    found = []
    horizon = as_of + dt.timedelta(days=within)
    for metric in ledger.metrics.values():
        if metric.formula is not None or metric.cadence not in CADENCE_DAYS:
            continue
        series = ledger.series.get(metric.id)
        known = series.count_until(as_of) if series is not None else 0
        if not known or series is None:
            found.append(DueMetric(metric, None, None, None, True))
            continue
        last_date, last_value = series.dates[known - 1], series.values[known - 1]
        lapses = last_date + dt.timedelta(days=CADENCE_DAYS[metric.cadence or ""] + 1)
        if lapses <= horizon:
            found.append(DueMetric(metric, last_value, last_date, lapses, lapses <= as_of))
    return found


def due_reviews(
    evaluation: Evaluation, checkins: Sequence[Checkin], as_of: dt.date, within: int
) -> list[DueReview]:
    horizon = as_of + dt.timedelta(days=within)
    last: dict[str, list[dt.date]] = {}
    for one in checkins:
        if one.date <= as_of:
            last.setdefault(one.goal, []).append(one.date)
    found = []
    for status in evaluation.goals:
        goal = status.goal
        if status.status in FINISHED or not goal.review:
            continue
        dates = last.get(goal.id, [])
        latest = max(dates) if dates else None
        for cadence, what in goal.review:
            span = review_span(as_of, cadence)
            if span is None:
                continue
            first, end = span
            if latest is None or latest < first:
                found.append(DueReview(goal, cadence, what, first, first, latest, True))
                continue
            following = end + dt.timedelta(days=1)
            if following <= horizon:
                found.append(DueReview(goal, cadence, what, following, following, latest, False))
    return found


def due(ledger: Ledger, checkins: Sequence[Checkin], as_of: dt.date, within: int = 0) -> Due:
    evaluation = evaluate(ledger, as_of)
    dated = [one.date for one in checkins if one.date <= as_of]
    last = max(dated) if dated else None
    triggered = [risk for risk in evaluation.risks if risk.triggered]
    if triggered and last is not None:
        before = {risk.risk.id for risk in evaluate(ledger, last).risks if risk.triggered}
        triggered = [risk for risk in triggered if risk.risk.id not in before]
    return Due(
        tuple(due_metrics(ledger, as_of, within)),
        tuple(due_reviews(evaluation, checkins, as_of, within)),
        tuple(triggered),
        last,
    )
