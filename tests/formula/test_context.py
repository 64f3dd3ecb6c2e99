"""formula.context: MISSING, finite numbers, and the Outcome a formula yields."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.formula.context import MISSING, Outcome, Reach, finite
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import parse
from tests.formula.fakedata import DATA


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (2.5, 2.5),
        (3, 3.0),
        (-1e18, -1e18),
        (1e19, MISSING),
        (float("nan"), MISSING),
        (float("inf"), MISSING),
        (True, MISSING),
        ("1", MISSING),
        (None, MISSING),
        (MISSING, MISSING),
    ],
)
def test_finite_is_a_float_in_range_or_missing(given: object, expected: object) -> None:
    found = finite(given)
    assert found is expected if expected is MISSING else found == expected
    if expected is not MISSING:
        assert type(found) is float


def test_an_outcome_names_what_it_read_and_why_it_has_no_value() -> None:
    outcome = evaluate(parse("dau / mau * 100 + missing_metric"), DATA)
    assert outcome.value is None
    assert outcome.values == {"dau": 250, "mau": 1000, "missing_metric": None}
    assert outcome.missing == ["no value for missing_metric"]
    assert outcome.reason == "no value for missing_metric"
    assert outcome.latest == dt.date(2026, 3, 31)
    assert repr(Outcome(1.0)) == "Outcome(1.0, reason=None)"


def test_a_reach_without_an_eta_says_why() -> None:
    assert Reach(None, None, "too few observations").reason == "too few observations"
