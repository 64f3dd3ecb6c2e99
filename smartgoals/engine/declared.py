"""A goal's declared state (its `state:` stage metric, logged like any value) beside the computed
status, and where the two disagree."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.judgement import NOT_STARTED, REACHED, GoalStatus
from smartgoals.ledger.model import Ledger


def with_declared(goal: GoalStatus, ledger: Ledger, as_of: dt.date) -> GoalStatus:
    """The goal with its declared state at as_of (the latest stage logged on or before it) and
    the disagreement, if any: declared done (the last stage) but not reached; reached but not
    declared done; declared not started (the first stage) but under way."""
    metric_id = goal.goal.state
    if metric_id is None:
        return goal
    metric = ledger.metrics[metric_id]
    series = ledger.series.get(metric_id)
    known = series.count_until(as_of) if series is not None else 0
    if series is None or not known:
        return goal
    name = metric.stage_name(series.values[known - 1])
    index = metric.stages.index(name) if name is not None else -1
    computed = goal.status
    disagreement = None
    if index == len(metric.stages) - 1 and computed not in REACHED:
        disagreement = f"declared {name}, computed {computed}"
    elif computed in REACHED and index < len(metric.stages) - 1:
        disagreement = f"computed {computed}, declared {name}"
    elif index == 0 and computed != NOT_STARTED:
        disagreement = f"declared {name}, computed {computed}"
    return goal._replace(
        declared=name, declared_date=series.dates[known - 1], disagreement=disagreement
    )
