"""engine/rungs.py: the basis date of a dated target, and a ladder's current rung."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.engine.rungs import basis_date, current_rung
from smartgoals.ledger.model import MetricDef, Rung

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("metric", "basis"),
    [
        (MetricDef("mrr", "MRR", "USD"), "2026-03-01"),  # a level: its latest observation
        (MetricDef("hires", "Hires", "count", aggregate="sum"), "2026-03-31"),  # events: as-of
        (MetricDef("phase", "Phase", "", stages=("a", "b")), "2026-03-31"),  # a stage: as-of
    ],
)
def test_basis_date(metric: MetricDef, basis: str) -> None:
    assert basis_date(metric, D("2026-03-31"), D("2026-03-01")) == D(basis)


@pytest.mark.parametrize(
    ("as_of", "index"),
    [("2026-03-30", 0), ("2026-03-31", 0), ("2026-04-01", 1), ("2026-07-01", 1)],
)
def test_current_rung_is_the_first_whose_due_has_not_passed(as_of: str, index: int) -> None:
    rungs = (Rung(">=", 1, due=D("2026-03-31")), Rung(">=", 2, due=D("2026-06-30")))
    assert current_rung(rungs, D(as_of)) == index


@pytest.mark.parametrize("op", [">=", ">", "<=", "<", "==", ".."])
def test_the_first_value_meeting_a_rung_is_the_one_a_scan_finds(op: str) -> None:
    """_first_met rules a slice out by its extreme only when no value of it can meet the rung."""
    from smartgoals.engine.rungs import _first_met

    rung = Rung(op, 5.0, high=7.0 if op == ".." else None)  # type: ignore[arg-type]
    for values in ([], [1.0, 2.0], [9.0, 1.0], [1.0, 5.0, 6.0, 9.0], [8.0, 7.0, 5.0], [5.0]):
        scan = next((i for i, value in enumerate(values) if rung.met_by(value)), None)
        assert _first_met(rung, values) == scan, (op, values)
