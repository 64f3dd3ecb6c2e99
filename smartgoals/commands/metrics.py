"""`metrics`: every metric's id, name, unit and cadence, and its latest value with its date."""

from __future__ import annotations

from pathlib import Path

from smartgoals.ledger.loader import load_ledger
from smartgoals.views.metrics import MetricItem, MetricsView


def metrics(root: Path) -> MetricsView:
    """The ledger's metrics in the goal files' order, each with its latest observation (derived
    metrics: the latest computed value)."""
    ledger = load_ledger(root)
    items = []
    for metric in ledger.metrics.values():
        series = ledger.series.get(metric.id)
        if series is not None and series.dates:
            items.append(MetricItem(metric, series.values[-1], series.dates[-1]))
        else:
            items.append(MetricItem(metric, None, None))
    return MetricsView(tuple(items), ledger.problems)
