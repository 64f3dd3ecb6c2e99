"""Values and dates as people write them."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.values import parse_value
from smartgoals.periods import parse_day, parse_period
from smartgoals.quantity import check_unit, format_raw, format_value, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("5000", 5000, None),
        ("5k", 5000, None),
        ("5K", 5000, None),
        ("$5,000", 5000, "currency"),
        ("$1.5k", 1500, "currency"),
        ("1.2M", 1_200_000, None),
        ("2bn", 2e9, None),
        ("60%", 60, "percent"),
        ("99.9%", 99.9, "percent"),
        ("5:1", 5, "ratio"),
        ("3 : 2", 1.5, "ratio"),
        ("1.2x", 1.2, "ratio"),
        ("200ms", 200, "ms"),
        ("-5e3", -5000, None),
        ("1_000", 1000, None),
        ("  42 ", 42, None),
        ("€12", 12, "currency"),
        ("１２３", 123, None),  # full-width digits are normalised (NFKC)
        (1200, 1200, None),
        (0.5, 0.5, None),
    ],
)
def test_parse_quantity(text: object, value: float, kind: str | None) -> None:
    parsed = parse_quantity(text)
    assert parsed.value == pytest.approx(value)
    assert parsed.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "5 apples",
        "nan",
        "inf",
        "-inf",
        "1e400",
        "5:0",
        "$60%",
        "1,2,3",
        "٣",
        True,
        None,
        [1],
    ],
)
def test_parse_quantity_refuses(text: object) -> None:
    with pytest.raises(ValueError):
        parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "unit", "ok"),
    [
        ("60%", "percent", True),
        ("60%", "USD", False),
        ("$5", "USD", True),
        ("$5", "EUR", False),
        ("€5", "EUR", True),
        ("$5", "percent", False),
        ("5:1", "ratio", True),
        ("200ms", "ms", True),
        ("200ms", "USD", False),
        ("12", "USD", True),
    ],
)
def test_units_must_agree(text: str, unit: str, ok: bool) -> None:
    quantity = parse_quantity(text)
    if ok:
        check_unit(quantity, unit, text)
    else:
        with pytest.raises(ValueError):
            check_unit(quantity, unit, text)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (5000, "USD", "$5,000"),
        (0.004, "USD", "$0.004"),
        (-20, "USD", "-$20"),
        (60, "percent", "60%"),
        (5, "ratio", "5:1"),
        (1.2, "x", "1.2x"),
        (200, "ms", "200ms"),
        (1234.5678, "count", "1,234.57"),
        (12, "EUR", "€12"),
        (3, "CHF", "3 CHF"),
        (4.2, "messages/day", "4.2 messages/day"),
        (None, "USD", "-"),
    ],
)
def test_format_value(value: float | None, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_journal_numbers_round_trip(value: float) -> None:
    assert parse_quantity(format_raw(value)).value == value


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025-07-01", "2025-07-01", "2025-07-01"),
        ("2025-07", "2025-07-01", "2025-07-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2025-Q3", "2025-07-01", "2025-09-30"),
        ("Q4 2025", "2025-10-01", "2025-12-31"),
        ("2025q1", "2025-01-01", "2025-03-31"),
        ("2025-H2", "2025-07-01", "2025-12-31"),
        ("2025", "2025-01-01", "2025-12-31"),
        (2026, "2026-01-01", "2026-12-31"),
        (dt.date(2025, 5, 6), "2025-05-06", "2025-05-06"),
    ],
)
def test_parse_period(text: object, first: str, last: str) -> None:
    period = parse_period(text)
    assert period.first.isoformat() == first
    assert period.last.isoformat() == last


@pytest.mark.parametrize(
    "text",
    ["2025-02-30", "2025-13", "2025-Q5", "Q0 2025", "0999", "3000-01-01", "soon", "", True, 1.5],
)
def test_parse_period_refuses(text: object) -> None:
    with pytest.raises(ValueError):
        parse_period(text)


def test_parse_day() -> None:
    today = dt.date(2026, 11, 22)
    assert parse_day("today", today) == today
    assert parse_day("yesterday", today) == dt.date(2026, 11, 21)
    assert parse_day("2026-03-04", today) == dt.date(2026, 3, 4)
    with pytest.raises(ValueError, match="period"):
        parse_day("2026-03", today)


# --- values.parse_value: the one metric-value parser -------------------------------------------

COUNT = MetricDef("users", "Users")
USD = MetricDef("mrr", "MRR", unit="USD")
PERCENT = MetricDef("churn", "Churn", unit="percent")
STAGE = MetricDef("mvp", "MVP", stages=("not started", "beta", "done"))


@pytest.mark.parametrize(
    ("raw", "index"),
    [
        ("beta", 1.0),
        (" beta ", 1.0),
        ("\tdone\n", 2.0),
        ("not started", 0.0),
        (" not started", 0.0),
    ],
)
def test_stage_names_with_surrounding_spaces(raw: str, index: float) -> None:
    assert parse_value(raw, STAGE) == index


@pytest.mark.parametrize("raw", ["Beta", "be ta", "1", "", "not  started", 1, None])
def test_other_stage_values_name_the_stages(raw: object) -> None:
    with pytest.raises(ValueError) as caught:
        parse_value(raw, STAGE)
    assert str(caught.value) == f"{raw!r} is not a stage of mvp (stages: not started, beta, done)"


@pytest.mark.parametrize(
    ("raw", "metric", "message"),
    [
        ("$5", COUNT, "'$5' is money in USD, but the unit is count"),
        ("€5", USD, "'€5' is money in EUR, but the unit is USD"),
        ("60%", USD, "'60%' is written as percent, but the unit is USD"),
        ("5:1", USD, "'5:1' is written as ratio, but the unit is USD"),
        ("200ms", COUNT, "'200ms' is written as ms, but the unit is count"),
        ("$5", PERCENT, "'$5' is money in USD, but the unit is percent"),
    ],
)
def test_unit_contradictions_are_refused(raw: str, metric: MetricDef, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_value(raw, metric)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("raw", "metric", "value"),
    [
        ("$5", USD, 5.0),
        ("60%", PERCENT, 60.0),
        ("60", PERCENT, 60.0),  # a bare number takes the metric's unit
        ("5:1", COUNT, 5.0),  # a ratio is fine for a unit that is not money or percent
        ("5k", COUNT, 5000.0),
        (" 5 ", COUNT, 5.0),
        ("1_000", COUNT, 1000.0),  # not the fast path: float() would accept it, YAML-style
        (7, COUNT, 7.0),
    ],
)
def test_values_that_agree_with_the_unit(raw: object, metric: MetricDef, value: float) -> None:
    assert parse_value(raw, metric) == value


@pytest.mark.parametrize("raw", ["1e16", "-1e16", "1e400", "nan", "inf", "-inf", "0x10", "١", True])
def test_refused_on_both_paths(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_value(raw, COUNT)


def _general(raw: str) -> float | str:
    try:
        return parse_quantity(raw).value
    except ValueError as exc:
        return f"refused: {exc}"


def _fast(raw: str) -> float | str:
    try:
        return parse_value(raw, COUNT)
    except ValueError as exc:
        return f"refused: {exc}"


_WRITTEN_FLOATS = st.tuples(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([repr, str, "{:.2f}".format, "{:e}".format, "{:g}".format]),
    st.sampled_from(["{}", " {} ", "+{}"]),
).map(lambda t: t[2].format(t[1](t[0])))


@given(raw=_WRITTEN_FLOATS)
def test_the_fast_path_and_the_general_parser_agree_on_plain_numbers(raw: str) -> None:
    assert _fast(raw) == _general(raw)


@given(number=st.integers(-(10**16), 10**16))
def test_the_fast_path_and_the_general_parser_agree_on_integers(number: int) -> None:
    raw = str(number)
    assert _fast(raw) == _general(raw)


# --- durations (issue 30, item 6): written in any time unit, stored in the metric's --------------
HOURS = MetricDef("response", "Response time", unit="hours")
MINUTES = MetricDef("session", "Session", unit="minutes")
DAYS = MetricDef("cycle", "Sales cycle", unit="days")


@pytest.mark.parametrize(
    ("raw", "metric", "value"),
    [
        ("3.5h", HOURS, 3.5),
        ("90m", HOURS, 1.5),  # on a duration metric m is minutes, never millions
        ("90 min", MINUTES, 90.0),
        ("90m", MINUTES, 90.0),
        ("1h 30m", MINUTES, 90.0),
        ("1h30m", MINUTES, 90.0),
        ("2 days", DAYS, 2.0),
        ("2 days", HOURS, 48.0),
        ("36h", DAYS, 1.5),
        ("2 weeks", DAYS, 14.0),
        ("45s", MINUTES, 0.75),
        ("3.5", HOURS, 3.5),  # a bare number is in the metric's unit
        (4, DAYS, 4.0),
    ],
)
def test_durations_are_read_in_any_time_unit(raw: object, metric: MetricDef, value: float) -> None:
    assert parse_value(raw, metric) == pytest.approx(value)


@pytest.mark.parametrize("raw", ["2 dayz", "60%", "h", "$5"])
def test_what_is_not_a_duration_is_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_value(raw, HOURS)


def test_a_duration_on_another_metric_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="is not a number"):
        parse_value("3.5h", COUNT)
    assert parse_value("90m", COUNT) == 90_000_000  # m is millions elsewhere
