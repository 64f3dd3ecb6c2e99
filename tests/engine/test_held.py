"""engine/held.py: a held target's window, breaches and reason."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.held import judge_held
from smartgoals.ledger.model import MetricDef, Rung, Series

D = dt.date.fromisoformat
UPTIME = MetricDef("uptime", "Uptime", "percent")


def test_a_breach_is_listed_and_explained() -> None:
    series = Series()
    for day, value in [("2026-01-10", 99.9), ("2026-02-10", 98.0), ("2026-03-10", 99.95)]:
        series.dates.append(D(day))
        series.values.append(value)
    rung = Rung(">=", 99.5, due=D("2026-12-31"), hold=True)
    found = judge_held(rung, UPTIME, series, 3, D("2026-03-31"), D("2026-01-01"), None)
    assert found.status == "breached"
    assert [tuple(b) for b in found.breaches] == [(D("2026-02-10"), 98.0)]
    assert found.progress == 2 / 3
    assert found.why == (
        "held from 2026-01-01 to 2026-03-31: broken at 1 of 3 observations, first 2026-02-10 98%"
    )
