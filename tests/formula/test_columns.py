"""formula.columns: a formula over whole columns gives exactly the points the compiled closures
give at each date, and refuses (None) every case where a point would be missing outside the
leading run. tests/system/test_speed_paths.py holds derive_series, which tries it first, to
the evaluator."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.formula.columns import derive_columns
from smartgoals.formula.compiled import Slots, compile_point
from smartgoals.formula.context import MISSING
from smartgoals.formula.syntax import parse, references

START = dt.date(2024, 1, 31)
Inputs = dict[str, tuple[list[dt.date], list[float]]]


def by_closures(text: str, days: list[dt.date], inputs: Inputs) -> tuple[list, list]:
    """The compiled closures at each day, as derived._compiled runs them."""
    node = parse(text)
    refs = sorted(references(node))
    slots = Slots(refs)
    point = compile_point(node, slots)
    assert point is not None
    dates, values = [], []
    for day in days:
        for index, ref in enumerate(refs):
            if ref in inputs:
                slots.dates[index], slots.series_values[index] = inputs[ref]
                count = slots.counts[index] = bisect_right(inputs[ref][0], day)
                slots.values[index] = inputs[ref][1][count - 1] if count else MISSING
        value = point()
        if value is not MISSING:
            dates.append(day)
            values.append(float(value))  # type: ignore[arg-type]
    return dates, values


def union(inputs: Inputs) -> list[dt.date]:
    return sorted({day for dates, _values in inputs.values() for day in dates})


def series(offsets: list[int], values: list[float]) -> tuple[list[dt.date], list[float]]:
    ordered = sorted(offsets)
    return [START + dt.timedelta(days=d) for d in ordered], values[: len(ordered)]


INPUTS = {
    "a": series(list(range(0, 400, 3)), [float(10 + i % 17) for i in range(134)]),
    "b": series([5, 5, 40, 41, 90, *range(100, 400, 7)], [float(3 + i % 5) for i in range(48)]),
}


@pytest.mark.parametrize(
    "text",
    [
        "a",
        "a / b * 100",
        "growth(a, 'month') * 100",
        "change(b, 'quarter') + prev(a)",
        "-(a - b) / 2",
        "growth(b, '30d') - change(a, 'week') * 0.5",
        "2 * 3 + a",
    ],
)
def test_a_formula_over_columns_is_the_closures_point_for_point(text: str) -> None:
    days = union(INPUTS)
    got = derive_columns(parse(text), days, INPUTS)
    assert got is not None  # these take the column path
    assert got == by_closures(text, days, INPUTS)


@pytest.mark.parametrize(
    ("text", "inputs"),
    [
        ("a / b", {"a": series([1, 2], [1.0, 2.0]), "b": series([1, 2], [1.0, 0.0])}),
        ("growth(a, 'day')", {"a": series([1, 2, 3], [1.0, 0.0, 2.0])}),
        ("a * 2", {"a": series([1, 2], [1.0, 1e19])}),  # beyond the bounds: that point only
        ("a * 1e10", {"a": series([1, 2], [1.0, 1e9])}),  # a result beyond the bounds
        ("a / 0", {"a": series([1, 2], [1.0, 2.0])}),
        ("a ** 2", {"a": series([1, 2], [1.0, 2.0])}),
        ("min(a, 2)", {"a": series([1, 2], [1.0, 2.0])}),
        ("a + missing", {"a": series([1, 2], [1.0, 2.0])}),
    ],
)
def test_a_point_missing_outside_the_leading_run_is_left_to_the_closures(
    text: str, inputs: Inputs
) -> None:
    assert derive_columns(parse(text), union(inputs), inputs) is None


def test_paged_inputs_are_left_to_the_closures() -> None:
    class Paged(list[dt.date]):
        """Not a plain list: the journal cache's pages load on access."""

    dates, values = INPUTS["a"]
    assert derive_columns(parse("a * 2"), dates, {"a": (Paged(dates), values)}) is None


LEAVES = st.sampled_from(
    ["a", "b", "2", "0.5", "prev(a)", "growth(b, 'month')", "change(a, '30d')", "growth(a, 'year')"]
)
FORMULAS = st.recursive(
    LEAVES,
    lambda children: (
        st.tuples(children, st.sampled_from(["+", "-", "*", "/"]), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        | children.map(lambda c: f"-{c}")
    ),
    max_leaves=6,
)
OFFSETS = st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=40)
VALUES = st.lists(st.floats(min_value=0.5, max_value=1e6), min_size=40, max_size=40)


@settings(max_examples=300, deadline=None)
@given(formula=FORMULAS, a=OFFSETS, b=OFFSETS, values=VALUES, since=st.integers(0, 900))
def test_columns_give_the_closures_points_on_any_series(
    formula: str, a: list[int], b: list[int], values: list[float], since: int
) -> None:
    """On any dates (several a day included), from any first date on (an incremental run)."""
    inputs = {"a": series(a, values), "b": series(b, values[::-1])}
    days = [day for day in union(inputs) if day >= START + dt.timedelta(days=since)]
    got = derive_columns(parse(formula), days, inputs)
    if got is not None:
        assert got == by_closures(formula, days, inputs), formula


@pytest.mark.parametrize("text", ["b + growth(a, 'month')", "change(a, 'week') + b"])
def test_a_growth_of_a_metric_with_no_points_yet_has_none(text: str) -> None:
    """A metric read by growth() or change() that has no point at any date computed: no value
    at any of them (found by the property test of derived points from a date on)."""
    inputs: Inputs = {"a": ([], []), "b": series([0, 3], [1.0, 2.0])}
    days = union(inputs)
    assert derive_columns(parse(text), days, inputs) in (None, (days[len(days) :], []))
    assert by_closures(text, days, inputs) == ([], [])
