"""Numbers as people write them ("$5k", "1.2M", "60%", "5:1", "200ms") and back again."""

from __future__ import annotations

import math

from smartgoals.lazyre import lazy
from smartgoals.record import Record

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₿": "BTC"}
_SYMBOL_FOR = {code: symbol for symbol, code in CURRENCY_SYMBOLS.items()}
_MULTIPLIERS = {"k": 1e3, "K": 1e3, "m": 1e6, "M": 1e6, "mm": 1e6, "b": 1e9, "B": 1e9, "bn": 1e9}
_NUMBER = lazy(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = lazy(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_SUFFIXED = lazy(r"^(?P<num>.*?)\s*(?P<suffix>ms|mm|bn|[kKmMbB%xs])?$")
_RATIO = lazy(r"^\s*([^:]+?)\s*:\s*([^:]+?)\s*$")
MAX_ABS = 1e15  # beyond any real business figure; guards against typos such as 5e300


class Quantity(Record):
    """A parsed number and the kind of unit its text implied, if any."""

    value: float
    kind: str | None  # "currency", "percent", "ratio", "ms", "seconds", "multiple" or None
    currency: str | None = None  # ISO code for a currency symbol


def unit_kind(unit: str) -> str:
    """Classify a metric's unit: currency, percent, ratio, ms, seconds or other."""
    if unit in CURRENCY_SYMBOLS or (len(unit) == 3 and unit.isalpha() and unit.isupper()):
        return "currency"
    lowered = unit.lower()
    if lowered in {"percent", "%", "pct"}:
        return "percent"
    if lowered in {"ratio", "x"}:
        return "ratio"
    if lowered in {"ms", "milliseconds"}:
        return "ms"
    if lowered in {"s", "seconds"}:
        return "seconds"
    return "other"


# durations: seconds per unit, for the metric units (unit: hours) and for the written values
_DURATIONS = {
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1.0),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60.0),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600.0),
    **dict.fromkeys(("d", "day", "days"), 86400.0),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), 604800.0),
}
_DURATION_UNITS = frozenset({"minutes", "hours", "days", "weeks", "min", "h", "d"})
_DURATION_PART = lazy(r"(\d+(?:\.\d*)?|\.\d+)\s*([a-z]+)\s*")


def duration_seconds(unit: str) -> float | None:
    """Seconds in one of a duration unit (hours, minutes, days, weeks), or None for the rest."""
    lowered = unit.lower()
    return _DURATIONS[lowered] if lowered in _DURATION_UNITS else None


def parse_duration(text: str) -> float | None:
    """A written duration in seconds ("3.5h", "90m", "2 days", "1h 30m"), or None when the text
    is not one. On a duration metric `m` is minutes, never millions."""
    lowered = text.strip().lower()
    position, total = 0, 0.0
    while position < len(lowered):
        match = _DURATION_PART.match(lowered, position)
        if match is None or match.group(2) not in _DURATIONS:
            return None
        total += float(match.group(1)) * _DURATIONS[match.group(2)]
        position = match.end()
    return total if position else None


def _plain_number(text: str) -> float:
    if _GROUPED.match(text):
        text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise ValueError
    return float(text)


def parse_quantity(raw: object) -> Quantity:
    """Parse a number as typed by a person. Raises ValueError with a readable message."""
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got {str(raw).lower()} (quote it if you meant text)")
    if isinstance(raw, (int, float)):
        value = float(raw)
        kind: str | None = None
        currency: str | None = None
    elif isinstance(raw, str):
        value, kind, currency = _parse_text(raw)
    else:
        raise ValueError(f"expected a number, got {raw!r}")
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not a finite number")
    if abs(value) > MAX_ABS:
        raise ValueError(f"{raw!r} is too large (more than {MAX_ABS:.0e})")
    return Quantity(value, kind, currency)


def _parse_text(raw: str) -> tuple[float, str | None, str | None]:
    if not raw.isascii():  # ASCII is its own NFKC form: unicodedata only for other text
        import unicodedata

        raw_text = unicodedata.normalize("NFKC", raw)
    else:
        raw_text = raw
    text = raw_text.strip().replace("_", "")
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
        raise ValueError(f"{raw!r} has digits that are not 0-9")
    problem = ValueError(
        f"{raw!r} is not a number; write e.g. 1200, 5k, $5,000, 1.2M, 60%, 5:1 or 200ms"
    )
    if not text:
        raise ValueError("expected a number, got an empty value")
    if ratio := _RATIO.match(text):
        try:
            left, right = _plain_number(ratio.group(1)), _plain_number(ratio.group(2))
        except ValueError:
            raise problem from None
        if right == 0:
            raise ValueError(f"{raw!r} divides by zero")
        return left / right, "ratio", None
    sign = ""
    if text[0] in "+-":
        sign, text = text[0], text[1:].lstrip()
    currency = None
    if text and text[0] in CURRENCY_SYMBOLS:
        currency, text = CURRENCY_SYMBOLS[text[0]], text[1:].lstrip()
    match = _SUFFIXED.match(text)
    if not match:
        raise problem
    number, suffix = match.group("num"), match.group("suffix")
    try:
        value = _plain_number(sign + number)
    except ValueError:
        raise problem from None
    kind: str | None = "currency" if currency else None
    if suffix in _MULTIPLIERS:
        value *= _MULTIPLIERS[suffix]
    elif suffix == "%":
        kind = "percent"
    elif suffix == "ms":
        kind = "ms"
    elif suffix == "s":
        kind = "seconds"
    elif suffix == "x":
        kind = "ratio"
    if currency and kind != "currency":
        raise problem
    return value, kind, currency


def check_unit(quantity: Quantity, unit: str, raw: object) -> None:
    """Refuse a value whose written unit contradicts the metric's (e.g. "60%" for USD)."""
    if quantity.kind is None:
        return
    expected = unit_kind(unit)
    if quantity.kind == "currency":
        if expected != "currency" or (quantity.currency and _code(unit) != quantity.currency):
            raise ValueError(f"{raw!r} is money in {quantity.currency}, but the unit is {unit}")
    elif quantity.kind != expected and not (quantity.kind == "ratio" and expected == "other"):
        raise ValueError(f"{raw!r} is written as {quantity.kind}, but the unit is {unit}")


def _code(unit: str) -> str:
    return CURRENCY_SYMBOLS.get(unit, unit)


def format_number(value: float, precision: int | None = None) -> str:
    """A number for people: thousands separators, no trailing zeros and at most `precision`
    decimals (the metric's own, when it declares one) or else two; a value that two decimals
    would show as 0 keeps two significant digits up to four decimals (0.0042), so that a small
    amount does not read as nothing."""
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    decimals = 2 if precision is None else precision
    if precision is None and 0 < abs(value) < 0.005:  # two decimals would read 0
        decimals = min(4, 1 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:,.0f}"
    return _unsigned_zero(text) if text not in {"-0", ""} else "0"


def _unsigned_zero(text: str) -> str:
    """-0.00 reads 0.00: a rounded value has no sign when nothing of it is left."""
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text


_WHOLE_CURRENCIES = {"JPY", "KRW", "ISK", "CLP", "VND"}  # no minor unit in use


def _money_number(value: float, code: str, precision: int | None) -> str:
    """Money as people read it: whole units from 10 up ($63,154) and to the cent below ($4.50;
    $5 and $0 when whole); an amount under a cent by its significant digits ($0.0042); a
    currency without cents (JPY) whole; BTC to the satoshi. A metric's `precision` is the most
    decimals shown, and a fraction of a cent-currency always shows its cents ($63,154.50)."""
    if code == "BTC":
        return format_number(value, 8 if precision is None else precision)
    if precision is None:
        whole = code in _WHOLE_CURRENCIES or abs(round(value, 2)) >= 10
        precision = 0 if whole else None if abs(value) < 0.005 else 2
    text = format_number(value, precision)
    decimals = len(text.partition(".")[2])
    return text + "0" if decimals == 1 and code not in _WHOLE_CURRENCIES else text


def format_raw(value: float) -> str:
    """A number for the journal: no separators, as short as it can be without losing digits."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def format_value(value: float | str | None, unit: str, precision: int | None = None) -> str:
    """A value with its unit, as a person would write it: $5,000, 60%, 5:1, 200ms, 1,200.

    `precision` is the most decimals the metric's values are shown with, when it declares it;
    money otherwise shows whole units from 10 up and cents below (_money_number), anything
    else at most two decimals (format_number)."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    kind = unit_kind(unit)
    if kind == "currency":
        number = _money_number(value, _code(unit), precision)
    else:
        number = format_number(value, precision)
    if kind == "currency":
        symbol = _SYMBOL_FOR.get(_code(unit))
        if symbol:
            return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
        return f"{number} {unit}"
    if kind == "percent":
        return f"{number}%"
    if kind == "ratio":
        return f"{number}x" if unit.lower() == "x" else f"{number}:1"
    if kind == "ms":
        return f"{number}ms"
    if kind == "seconds":
        return f"{number}s"
    if unit in {"", "count"}:
        return number
    return f"{number} {unit}"
