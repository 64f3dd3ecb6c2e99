"""`chart`: a metric's observations and its target, to be drawn in the terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.engine.evaluation import TargetStatus, evaluate
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date, since_date
from smartgoals.suggest import suggest
from smartgoals.views.chart import ChartView


def chart(
    root: Path,
    today: dt.date,
    metric: str,
    since: str | None = None,
    goal: str | None = None,
    as_of: str | None = None,
) -> ChartView:
    """The observations of metric from since to as_of, and the target of goal on it (default:
    the first goal, in file order, with a target on the metric)."""
    ledger = load_ledger(root)
    if metric not in ledger.metrics:
        raise InvalidInputError(f"unknown metric {metric!r}{suggest(metric, ledger.metrics)}")
    day = as_of_date(as_of, today)
    first = since_date(since)
    goals = {g.id for g in ledger.goals}
    if goal is not None and goal not in goals:
        raise InvalidInputError(f"unknown goal {goal!r}{suggest(goal, goals)}")
    chosen: TargetStatus | None = None
    chosen_goal = None
    for status in evaluate(ledger, day).goals:
        if goal is not None and status.goal.id != goal:
            continue
        found = next((t for t in status.targets if t.metric.id == metric), None)
        if found is not None:
            chosen, chosen_goal = found, status.goal.id
            break
    if goal is not None and chosen is None:
        raise InvalidInputError(f"goal {goal!r} has no target on {metric!r}")
    series = ledger.series.get(metric)
    dates: tuple[dt.date, ...] = ()
    values: tuple[float, ...] = ()
    if series is not None:
        end = series.count_until(day)
        low = 0
        if first is not None:
            from bisect import bisect_left

            low = bisect_left(series.dates, first, 0, end)
        dates, values = tuple(series.dates[low:end]), tuple(series.values[low:end])
    return ChartView(
        ledger.metrics[metric], dates, values, chosen_goal, chosen, day, first, ledger.problems
    )
