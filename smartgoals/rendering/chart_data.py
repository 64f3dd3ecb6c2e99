"""`chart --json`: the points and the target drawn, as data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartgoals.rendering.data import metric_value, rung_data

if TYPE_CHECKING:
    from smartgoals.commands.chart import ChartView


def chart_data(view: ChartView) -> dict[str, Any]:
    metric = view.metric
    target = view.target
    return {
        "metric": metric.id,
        "name": metric.name,
        "unit": metric.unit,
        "as_of": view.as_of.isoformat(),
        "since": view.since.isoformat() if view.since else None,
        "points": [
            {"date": d.isoformat(), "value": metric_value(metric, v)}
            for d, v in zip(view.dates, view.values, strict=True)
        ],
        "goal": view.goal,
        "target": None
        if target is None
        else {
            "status": target.status,
            "rungs": [rung_data(metric, r) for r in target.target.rungs],
        },
    }
