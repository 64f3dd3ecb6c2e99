"""The `metrics` view: every metric's id, name, unit and cadence, and its latest value with its
date, as JSON or as a table laid out to the width."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.quantity import format_value
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.layout import Column, Heading, layout_table, render_lines


class MetricItem(NamedTuple):
    metric: MetricDef
    latest: float | None  # a stage metric's value is its stage's index
    date: dt.date | None


class MetricsView(NamedTuple):
    metrics: tuple[MetricItem, ...]
    problems: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def metrics_json(view: MetricsView, display: Display) -> dict[str, Any]:
    """`metrics --json`: {"metrics": [{id, name, unit, type, cadence, direction, derived,
    latest, date}]}; a stage metric's latest value is its stage name."""
    items = []
    for item in view.metrics:
        metric = item.metric
        latest: float | str | None = item.latest
        if metric.is_stage and item.latest is not None:
            latest = metric.stage_name(item.latest)
        items.append(
            {
                "id": metric.id,
                "name": metric.name,
                "unit": metric.unit,
                "type": "stage" if metric.is_stage else "number",
                "cadence": metric.cadence,
                "direction": metric.direction,
                "derived": metric.formula is not None,
                "latest": latest,
                "date": item.date.isoformat() if item.date else None,
                "source": metric.source,
            }
        )
    return {"metrics": items}


def metrics_lines(view: MetricsView, display: Display) -> list[str]:
    """`metrics`: one line per metric, laid out to the width like the status table."""
    columns = [
        Column("Metric", priority=0, droppable=False),
        Column("Name", priority=1, min_width=12, ideal_width=36, truncate=True),
        Column("Unit", priority=3),
        Column("Cadence", priority=4),
        Column("Latest", "right", priority=2, min_width=8, truncate=True),
        Column("Date", priority=2),
        Column("Source", priority=5, min_width=8, ideal_width=40, truncate=True),
    ]
    rows: list[Sequence[str] | Heading] = []
    for item in view.metrics:
        metric = item.metric
        unit = "stage" if metric.is_stage else metric.unit
        if metric.formula:
            unit += " (derived)"
        latest = "-" if item.latest is None else _latest_text(metric, item.latest)
        day = item.date.isoformat() if item.date else "-"
        source = metric.source or "-"
        rows.append([metric.id, metric.name, unit, metric.cadence or "-", latest, day, source])
    layout = layout_table(columns, rows, display.width, wide=display.wide, ascii=display.ascii)
    count = len(view.metrics)
    return [*render_lines(layout), f"{count} metric{'s' if count != 1 else ''}"]


def _latest_text(metric: MetricDef, value: float) -> str:
    if metric.is_stage:
        return metric.stage_name(value) or "-"
    return format_value(value, metric.unit, metric.precision)


FORMS: dict[type, dict[Format, Form]] = {
    MetricsView: {Format.JSON: metrics_json, Format.PLAIN: metrics_lines}
}
