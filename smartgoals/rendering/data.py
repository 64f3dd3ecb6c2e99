"""Evaluations -> plain data for --json. The field names are a contract: extend, never rename."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..evaluation import Evaluation, GoalStatus, RiskStatus, TargetStatus
from ..records import Ledger, MetricDef, Rung, Series


def _number(value: float | None, digits: int = 6) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


def metric_value(metric: MetricDef, value: float | None) -> float | int | str | None:
    """A value as JSON: a stage's name, or a number."""
    if metric.is_stage:
        return metric.stage_name(value)
    return _number(value)


def rung_data(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    return {
        "target": metric_value(metric, rung.value),
        "target_high": _number(rung.high),
        "op": rung.op,
        "due": rung.due.isoformat() if rung.due else None,
    }


def target_data(status: TargetStatus) -> dict[str, Any]:
    metric = status.metric
    rung = rung_data(metric, status.rung)
    steps = None
    if status.steps is not None:
        steps = [
            {
                "value": metric_value(metric, s.rung.value),
                "op": s.rung.op,
                "due": s.rung.due.isoformat() if s.rung.due else None,
                "due_text": s.rung.due_text,
                "status": s.status,
            }
            for s in status.steps
        ]
    return {
        "metric": metric.id,
        "metric_name": metric.name,
        "unit": metric.unit,
        "status": status.status,
        "current": metric_value(metric, status.current),
        "current_date": status.current_date.isoformat() if status.current_date else None,
        "target": rung["target"],
        "target_high": rung["target_high"],
        "op": rung["op"],
        "due": rung["due"],
        "baseline": metric_value(metric, status.baseline),
        "progress": _number(status.progress, 4),
        "expected": _number(status.expected, 4),
        "left": _number(status.left),
        "stale": status.stale,
        "steps": steps,
        "derived": metric.formula is not None,
        "reason": status.reason,
    }


def goal_data(status: GoalStatus) -> dict[str, Any]:
    goal = status.goal
    return {
        "id": goal.id,
        "title": goal.title,
        "area": goal.area,
        "owner": goal.owner,
        "status": status.status,
        "score": status.score,
        "start": goal.start.isoformat() if goal.start else None,
        "due": goal.due.isoformat() if goal.due else None,
        "after": goal.after,
        "file": goal.where.path,
        "line": goal.where.line,
        "targets": [target_data(t) for t in status.targets],
    }


def risk_data(status: RiskStatus) -> dict[str, Any]:
    risk = status.risk
    return {
        "id": risk.id,
        "title": risk.title,
        "owner": risk.owner,
        "when": risk.when,
        "triggered": status.triggered,
        "actions": list(risk.actions),
        "values": {k: _number(v) if isinstance(v, float) else v for k, v in status.values.items()},
        "missing": list(status.missing),
        "file": risk.where.path,
        "line": risk.where.line,
    }


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "goals": [goal_data(g) for g in evaluation.goals],
        "risks": [risk_data(r) for r in evaluation.risks],
    }


def observations_data(
    metric: MetricDef, series: Series, limit: int | None = None, as_of: dt.date | None = None
) -> list[Any]:
    """Observations (the last `limit` of those on or before as_of) as JSON rows."""
    end = len(series.dates) if as_of is None else series.count_until(as_of)
    start = 0 if limit is None else max(end - limit, 0)
    return [
        {
            "date": series.dates[i].isoformat(),
            "value": metric_value(metric, series.values[i]),
            "note": series.notes[i] or None,
            "line": series.lines[i],
        }
        for i in range(start, end)
    ]


def goal_card_data(
    status: GoalStatus, ledger: Ledger, as_of: dt.date, recent: int
) -> dict[str, Any]:
    """`show --json`: the goal with its SMART texts and each target's recent values."""
    goal = status.goal
    data = goal_data(status)
    data["as_of"] = as_of.isoformat()
    data["smart"] = dict(goal.smart)
    data["review"] = dict(goal.review)
    data["tags"] = list(goal.tags)
    data["notes"] = goal.notes
    for target, target_json in zip(status.targets, data["targets"], strict=True):
        series = ledger.series.get(target.metric.id, Series())
        target_json["recent"] = observations_data(target.metric, series, recent, as_of)
    return data
