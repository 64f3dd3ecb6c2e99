"""engine/quota.py: whether a quota's open period is paced or awaits its row."""

from __future__ import annotations

import pytest

from smartgoals.engine.quota import awaits_row
from smartgoals.ledger.model import MetricDef


@pytest.mark.parametrize(
    ("cadence", "unit", "awaits"),
    [
        (None, "month", False),  # events logged as they happen: paced
        ("daily", "week", False),
        ("weekly", "week", True),  # once a period: its row is awaited
        ("weekly", "month", False),
        ("monthly", "month", True),
        ("quarterly", "month", True),  # less often than the period
        ("monthly", "quarter", False),
    ],
)
def test_awaits_row(cadence: str | None, unit: str, awaits: bool) -> None:
    metric = MetricDef("m", "M", "count", cadence=cadence, aggregate="sum")
    assert awaits_row(metric, unit) is awaits
