"""formula.functions: the one table of functions; each function's own rules."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from smartgoals.formula.check import check
from smartgoals.formula.compiled import Slots, compile_point
from smartgoals.formula.context import MISSING, Context, Reach
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.functions import FUNCTIONS, Function, step_back
from smartgoals.formula.syntax import Call, FormulaError, parse
from tests.formula.fakedata import DATA, FakeData, value


def test_step_back_clamps_month_ends() -> None:
    assert step_back(dt.date(2026, 3, 31), "month") == dt.date(2026, 2, 28)
    assert step_back(dt.date(2024, 3, 31), "month") == dt.date(2024, 2, 29)
    assert step_back(dt.date(2026, 2, 28), "month") == dt.date(
        2026, 1, 31
    )  # month end to month end
    assert step_back(dt.date(2026, 6, 30), "quarter") == dt.date(2026, 3, 31)
    assert step_back(dt.date(2026, 1, 15), "quarter") == dt.date(2025, 10, 15)
    assert step_back(dt.date(2026, 1, 15), "year") == dt.date(2025, 1, 15)
    assert step_back(dt.date(2026, 1, 15), "week") == dt.date(2026, 1, 8)
    assert step_back(dt.date(2026, 1, 15), "30d") == dt.date(2025, 12, 16)


@pytest.mark.parametrize("period", ["month", "quarter", "year"])
def test_step_back_by_months_on_every_day_of_four_years(period: str) -> None:
    """The same day that many months back, clamped to the month's length; a month's last day
    to that month's last day (the rule as first written, day by day)."""
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    day = dt.date(2023, 1, 1)
    while day < dt.date(2027, 1, 1):
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        at_end = day.day == calendar.monthrange(day.year, day.month)[1]
        expected = dt.date(year, month + 1, last if at_end else min(day.day, last))
        assert step_back(day, period) == expected, day
        day += dt.timedelta(days=1)


def test_the_table_is_consistent() -> None:
    for name, function in FUNCTIONS.items():
        assert 0 <= function.fewest <= function.most, name
    only_in_risks = {name for name, function in FUNCTIONS.items() if function.condition_only}
    assert only_in_risks == {"status", "plan", "progress", "eta", "slack"}
    numeric = {name for name, function in FUNCTIONS.items() if function.numeric is not None}
    assert numeric == {"min", "max", "abs", "round"}


def test_a_new_function_is_one_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry in FUNCTIONS is all that check, evaluate and the compiled path need."""

    def double(numbers: list[float]) -> float:
        return numbers[0] * 2

    def evaluate_double(context: Context, call: Call) -> object:
        number = context.number(context.run(call.args[0]))
        return number if number is MISSING else double([float(number)])  # type: ignore[arg-type]

    monkeypatch.setitem(FUNCTIONS, "double", Function(1, 1, evaluate_double, numeric=double))
    node = parse("double(mau) + 1")
    check(node, {"mau"}, condition=False)
    outcome = evaluate(node, DATA)
    assert outcome.value == 2001
    assert outcome.values == {"mau": 1000}  # a numeric call shows its inputs
    slots = Slots(["mau"])
    point = compile_point(node, slots)
    assert point is not None
    slots.values[0] = 5.0
    assert point() == 11.0
    with pytest.raises(FormulaError, match="double\\(\\) takes 1 argument"):
        check(parse("double(mau, 2)"), {"mau"}, condition=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sum(mau, 'year')", 2500),  # 700 + 800 + 1000 since 2026-01-01
        ("mean(mau, 'quarter')", 2500 / 3),
        ("count(mau, 'year')", 3),
        ("min(mau, 'year')", 700),
        ("max(mau, '90d')", 1000),
        ("sum(dau, '2 weeks') + sum(zero, 'week')", 250),
        ("at(mau, '2026-02')", 800),
        ("at(mau, '2025-06')", 100),
    ],
)
def test_windows_and_dates(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("mean(nothing, 'year')", "no value for nothing in 'year'"),
        ("sum(stage, 'year')", "'beta' is not a number"),
        ("at(mau, '2024-12')", "no value for mau on or before 2024-12"),
        ("status('nope')", "no goal 'nope'"),
        ("plan('g', 'mau')", "no target of 'mau' in goal 'g'"),
    ],
)
def test_functions_without_a_value_say_why(text: str, reason: str) -> None:
    outcome = evaluate(parse(text), DATA)
    assert outcome.value is None
    assert reason in (outcome.reason or "")


def test_eta_and_slack_read_the_forecast_the_caller_hands_in() -> None:
    reaches = {
        ("grow", "mau"): Reach(dt.date(2026, 6, 1), 30, ""),
        ("grow", "dau"): Reach(None, None, "too few observations"),
    }
    data = FakeData({}, reaches=reaches)
    outcome = evaluate(parse("eta('grow', 'mau') < '2026-07' and slack('grow', 'mau') > 7"), data)
    assert outcome.value is True
    assert outcome.values == {"eta('grow', 'mau')": "2026-06-01", "slack('grow', 'mau')": 30.0}
    late = evaluate(parse("slack('grow', 'dau') < 0"), data)
    assert late.value is None
    assert late.missing == ["no slack for grow/dau: too few observations"]
    none = evaluate(parse("eta('other', 'mau') < '2026'"), data)
    assert none.missing == ["no target of 'mau' in goal 'other'"]
