"""`metrics`: every metric's id, name, unit and cadence, and its latest value with its date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import MetricDef


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
