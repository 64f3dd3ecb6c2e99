"""No impossible row: check_invariants over generated ledgers, and over the bundled demo."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.invariants import check_invariants
from smartgoals.ledger.loader import load_ledger
from tests.conftest import REPO_ROOT, ledger_from_strings

METRICS = """
metrics:
  level: {name: Level, unit: USD, cadence: monthly}
  down: {name: Churn, unit: percent, direction: down, cadence: weekly}
  events: {name: Events, unit: count, aggregate: sum}
  weekly_events: {name: Weekly events, unit: count, cadence: weekly, aggregate: sum}
  monthly_sum: {name: Monthly sum, unit: USD, cadence: monthly, aggregate: sum}
  mean: {name: Mean, cadence: weekly, aggregate: mean}
  peak: {name: Peak, cadence: weekly, aggregate: max}
  low: {name: Low, cadence: weekly, aggregate: min}
  rate: {name: Rate, unit: percent, cadence: monthly}
  stage: {name: Stage, type: stage, stages: [idea, beta, launched]}
  double: {name: Double, unit: USD, formula: "level * 2"}
"""
TARGETS = [
    "{metric: level, target: 900}",
    "{metric: level, baseline: 100, target: 900, pace: compound}",
    "{metric: down, target: '<= 2%'}",
    "{metric: level, target: '>= 50', hold: true}",
    "{metric: down, target: '<= 9%', hold: true, window: 30d}",
    "{metric: rate, target: '>= 60%', pace: none}",
    "{metric: stage, target: launched}",
    "{metric: double, target: 1500}",
    "{metric: events, target: 3, every: week}",
    "{metric: weekly_events, target: 20, every: month}",
    "{metric: monthly_sum, target: 400, every: month}",
    "{metric: mean, target: 50, every: month}",
    "{metric: peak, target: 80, every: quarter}",
    "{metric: low, target: 10, every: month}",
    "{metric: events, target: 10, every: quarter}",
    "{metric: level, steps: [{value: 300, due: 2026-03-31}, {value: 600, due: 2026-06-30}]}",
    "{metric: level, steps: [{value: 200, due: 2026-02-15}, {value: '>= 100', due: 2026-05-20,"
    " hold: true}]}",
]
START = dt.date(2026, 1, 1)
VALUES = {
    "level": st.floats(0, 1200),
    "down": st.floats(0, 15),
    "events": st.integers(0, 4),
    "weekly_events": st.integers(0, 8),
    "monthly_sum": st.integers(0, 600),
    "mean": st.floats(0, 100),
    "peak": st.floats(0, 100),
    "low": st.floats(0, 100),
    "rate": st.floats(0, 100),
    "stage": st.sampled_from(["idea", "beta", "launched"]),
}


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[str, str]:
    chosen = draw(st.lists(st.sampled_from(TARGETS), min_size=1, max_size=4))
    due = START + dt.timedelta(days=draw(st.integers(20, 200)))
    goals = "".join(
        f"  - id: g{i}\n    title: G{i}\n    start: 2026-01-01\n    due: {due}\n"
        f"    after: {'g0' if i and draw(st.booleans()) else '[]'}\n"
        f"    targets: [{target}]\n"
        for i, target in enumerate(chosen)
    )
    rows = []
    for metric, values in VALUES.items():
        days = draw(st.lists(st.integers(0, 240), max_size=8, unique=True))
        for day in sorted(days):
            value = draw(values)
            shown = value if isinstance(value, str) else round(value, 2)
            rows.append(f"{START + dt.timedelta(days=day)},{metric},{shown},\n")
    return METRICS + "goals:\n" + goals, "".join(rows)


@given(ledgers(), st.lists(st.integers(-5, 260), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_generated_ledger_has_an_impossible_row(
    ledger_text: tuple[str, str], offsets: list[int]
) -> None:
    goals, journal = ledger_text
    ledger = ledger_from_strings(goals, journal)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    for offset in offsets:
        evaluation = evaluate(ledger, START + dt.timedelta(days=offset))
        assert check_invariants(evaluation) == [], goals


# What the demo's data still violates (another engineer fixes goals/): none of the invariants
# above is broken by the demo at any date today; its remaining problems are in its numbers
# (issue 27 item 6), which check_invariants cannot see.
DEMO_EXPECTED: frozenset[str] = frozenset()


def _demo_dates(step: int) -> Iterator[dt.date]:
    ledger = load_ledger(REPO_ROOT)
    day = min(s.dates[0] for s in ledger.series.values() if s.dates)
    while day <= dt.date(2027, 12, 31):
        yield day
        day += dt.timedelta(days=step)


def _sweep(step: int) -> list[str]:
    ledger = load_ledger(REPO_ROOT)
    return [
        f"{day}: {found}"
        for day in _demo_dates(step)
        for found in check_invariants(evaluate(ledger, day))
        if found.split(":")[0] not in DEMO_EXPECTED
    ]


def test_the_demo_has_no_impossible_row_week_by_week() -> None:
    assert _sweep(7) == []


@pytest.mark.slow
def test_the_demo_has_no_impossible_row_day_by_day() -> None:
    assert _sweep(1) == []
