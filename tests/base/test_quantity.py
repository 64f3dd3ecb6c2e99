"""quantity.py: numbers as people write them ("$5k", "1.2M", "60%", "5:1", "200ms") and back.
(tests/ledger/test_values.py covers the metric-level parser built on it.)"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.quantity import (
    MAX_ABS,
    Quantity,
    check_unit,
    duration_seconds,
    format_number,
    format_raw,
    format_value,
    parse_duration,
    parse_quantity,
    unit_kind,
)


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("USD", "currency"),
        ("$", "currency"),
        ("CHF", "currency"),  # any three upper-case letters
        ("usd", "other"),
        ("percent", "percent"),
        ("%", "percent"),
        ("Pct", "percent"),
        ("PCT", "currency"),  # three upper-case letters read as a currency code first
        ("ratio", "ratio"),
        ("x", "ratio"),
        ("ms", "ms"),
        ("Milliseconds", "ms"),
        ("s", "seconds"),
        ("seconds", "seconds"),
        ("count", "other"),
        ("days", "other"),
    ],
)
def test_unit_kind(unit: str, kind: str) -> None:
    assert unit_kind(unit) == kind


@pytest.mark.parametrize(
    ("raw", "quantity"),
    [
        (5, Quantity(5.0, None)),
        (2.5, Quantity(2.5, None)),
        ("$5k", Quantity(5000.0, "currency", "USD")),
        ("-$5k", Quantity(-5000.0, "currency", "USD")),
        ("+ €1.5M", Quantity(1_500_000.0, "currency", "EUR")),
        ("£2bn", Quantity(2e9, "currency", "GBP")),
        ("3mm", Quantity(3e6, None)),
        ("1_000", Quantity(1000.0, None)),
        ("1,234,567.5", Quantity(1234567.5, None)),
        (".5", Quantity(0.5, None)),
        ("1e3", Quantity(1000.0, None)),
        ("60%", Quantity(60.0, "percent")),
        ("5:1", Quantity(5.0, "ratio")),
        ("1:4", Quantity(0.25, "ratio")),
        ("3x", Quantity(3.0, "ratio")),
        ("200ms", Quantity(200.0, "ms")),
        ("1.5s", Quantity(1.5, "seconds")),
        ("  42  ", Quantity(42.0, None)),
        ("５k", Quantity(5000.0, None)),  # full-width digits are NFKC digits 0-9
    ],
)
def test_parse_quantity(raw: object, quantity: Quantity) -> None:
    assert parse_quantity(raw) == quantity


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (True, "expected a number, got true (quote it if you meant text)"),
        (None, "expected a number, got None"),
        ("", "expected a number, got an empty value"),
        ("  ", "expected a number, got an empty value"),
        ("lots", "'lots' is not a number; write e.g. 1200, 5k, $5,000, 1.2M, 60%, 5:1 or 200ms"),
        ("$5%", "'$5%' is not a number"),  # money is not a percent
        ("12,34", "'12,34' is not a number"),  # not grouped by thousands
        ("5:0", "'5:0' divides by zero"),
        ("a:b", "'a:b' is not a number"),
        ("٣", "'٣' has digits that are not 0-9"),
        ("nan", "'nan' is not a number"),
        (float("inf"), "inf is not a finite number"),
        ("2e15", "'2e15' is too large (more than 1e+15)"),
    ],
)
def test_parse_quantity_messages(raw: object, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_quantity(raw)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize("value", [MAX_ABS, -MAX_ABS])
def test_the_largest_value_is_accepted(value: float) -> None:
    assert parse_quantity(value).value == value
    assert parse_quantity(format_raw(value)).value == value


@pytest.mark.parametrize(
    ("raw", "unit", "message"),
    [
        ("$5", "EUR", "'$5' is money in USD, but the unit is EUR"),
        ("$5", "count", "'$5' is money in USD, but the unit is count"),
        ("60%", "USD", "'60%' is written as percent, but the unit is USD"),
        ("200ms", "s", "'200ms' is written as ms, but the unit is s"),
    ],
)
def test_check_unit_refuses(raw: str, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$".replace("$5", r"\$5")):
        check_unit(parse_quantity(raw), unit, raw)


@pytest.mark.parametrize(
    ("raw", "unit"),
    [("$5", "USD"), ("$5", "$"), ("5:1", "count"), ("3x", "ratio"), ("7", "percent")],
)
def test_check_unit_accepts(raw: str, unit: str) -> None:
    assert check_unit(parse_quantity(raw), unit, raw) is None


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (1234567, "1,234,567"),
        (-1234.5, "-1,234.5"),
        (1.005, "1"),  # two decimals at most (1.005 is 1.00499... in binary)
        (2.499, "2.5"),
        (0.00449, "0.0045"),  # small amounts keep four decimals
        (-0.00001, "0"),  # never "-0"
        (1e15, "1,000,000,000,000,000"),  # at the bound: the decimal path, same text
    ],
)
def test_format_number(value: float, shown: str) -> None:
    assert format_number(value) == shown


@pytest.mark.parametrize(
    ("value", "raw"),
    [(5.0, "5"), (-0.0, "0"), (0.1, "0.1"), (1e15, "1000000000000000.0"), (2.5e-7, "2.5e-07")],
)
def test_format_raw(value: float, raw: str) -> None:
    assert format_raw(value) == raw


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("beta", "count", "beta"),  # a stage's name is shown as it is
        (-1500, "EUR", "-€1,500"),
        (7, "s", "7s"),
        (3, "", "3"),
        (2, "BTC", "₿2"),
    ],
)
def test_format_value(value: float | str, unit: str, shown: str) -> None:
    assert format_value(value, unit) == shown


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["USD", "EUR", "percent", "ratio", "ms", "s", "count", "x"]),
)
def test_a_shown_whole_number_reads_back(number: int, unit: str) -> None:
    shown = format_value(number, unit)
    parsed = parse_quantity(shown)
    assert parsed.value == number
    check_unit(parsed, unit, shown)  # what is shown agrees with its own unit


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("3.5h", 12600.0),
        ("90m", 5400.0),
        ("2 days", 172800.0),
        ("1h 30m", 5400.0),
        (".5d", 43200.0),
    ],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "5k", "2 dayz", "-2h", "200ms"])
def test_parse_duration_refuses_what_is_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("unit", "seconds"), [("hours", 3600.0), ("minutes", 60.0), ("days", 86400.0), ("USD", None)]
)
def test_duration_seconds(unit: str, seconds: float | None) -> None:
    assert duration_seconds(unit) == seconds
