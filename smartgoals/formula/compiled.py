"""The compiled fast path of formulas over series: the numeric part of the language compiled
once into closures that read their inputs from Slots the caller advances through the dates.

A derived metric is computed at every date where one of its inputs changed: thousands of
points for one formula. formula.evaluate walks the tree and builds an Outcome at each of them;
here numbers, metric references, + - * / **, unary minus, the numeric functions of
formula.functions (min, max, abs, round) and growth, change and prev are compiled once into
nested closures. The closures follow the evaluator step for step (the same checks of each
number, the same misses); a formula outside that part compiles to None and is evaluated point
by point. tests/system/test_speed_paths.py compares the two.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from typing import TypeAlias

from smartgoals.formula.context import MAX_EXPONENT, MISSING, finite
from smartgoals.formula.functions import FUNCTIONS, NoValue, Numeric, step_back
from smartgoals.formula.syntax import Binary, Call, Node, Num, Ref, Str, Unary

Point: TypeAlias = Callable[[], object]


class Slots:
    """What compiled closures read at the current date: per input metric (a slot), its latest
    value (MISSING when none yet), how many of its observations are dated on or before the
    date, and its dates and values."""

    __slots__ = ("counts", "dates", "metrics", "series_values", "values")

    def __init__(self, metrics: list[str]) -> None:
        self.metrics = metrics
        self.values: list[object] = [MISSING] * len(metrics)
        self.counts: list[int] = [0] * len(metrics)
        self.dates: list[list[dt.date]] = [[] for _ in metrics]
        self.series_values: list[list[float]] = [[] for _ in metrics]


def compile_point(node: Node, slots: Slots) -> Point | None:
    """The formula as a closure of no arguments evaluated at the slots' current date, or None
    when it uses anything but the numeric part of the language. The closure returns what
    formula.evaluate would: a value, or MISSING."""
    try:
        return _compile(node, slots)
    except _Unsupported:
        return None


class _Unsupported(Exception):
    """A part of the formula outside the compiled part of the language."""


def _slot(slots: Slots, metric: str) -> int:
    if metric not in slots.metrics:
        raise _Unsupported(metric)
    return slots.metrics.index(metric)


def _compile(node: Node, slots: Slots) -> Point:
    if isinstance(node, Num):
        return _Constant(node.value)
    if isinstance(node, Ref):
        index, values = _slot(slots, node.metric), slots.values
        return lambda: values[index]
    if isinstance(node, Unary) and node.op == "-":
        operand = _compile(node.operand, slots)

        def negative() -> object:
            number = finite(operand())
            return number if number is MISSING else -number  # type: ignore[operator]

        return negative
    if isinstance(node, Binary) and node.op in ("+", "-", "*", "/", "**"):
        return _arithmetic(node.op, _compile(node.left, slots), _compile(node.right, slots))
    if isinstance(node, Call):
        return _call(node, slots)
    raise _Unsupported(node)


class _Constant:
    """A number in the formula: a closure that knows it is constant."""

    __slots__ = ("value",)

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> object:
        return self.value


def _arithmetic(op: str, left: Point, right: Point) -> Point:
    if op in ("*", "/", "+", "-") and isinstance(right, _Constant):
        fast = _by_constant(op, left, finite(right.value))
        if fast is not None:
            return fast

    def operands() -> tuple[float, float] | None:
        a, b = left(), right()
        if a is MISSING or b is MISSING:
            return None
        a, b = finite(a), finite(b)
        if a is MISSING or b is MISSING:
            return None
        return a, b  # type: ignore[return-value]

    if op == "+":

        def add() -> object:
            pair = operands()
            return MISSING if pair is None else finite(pair[0] + pair[1])

        return add
    if op == "-":

        def subtract() -> object:
            pair = operands()
            return MISSING if pair is None else finite(pair[0] - pair[1])

        return subtract
    if op == "*":

        def multiply() -> object:
            pair = operands()
            return MISSING if pair is None else finite(pair[0] * pair[1])

        return multiply
    if op == "/":

        def divide() -> object:
            pair = operands()
            if pair is None or pair[1] == 0:
                return MISSING
            return finite(pair[0] / pair[1])

        return divide

    def power() -> object:
        pair = operands()
        if pair is None:
            return MISSING
        a, b = pair
        if abs(b) > MAX_EXPONENT or (a == 0 and b < 0) or (a < 0 and b != int(b)):
            return MISSING
        try:
            return finite(a**b)
        except (OverflowError, ZeroDivisionError, TypeError):
            return MISSING

    return power


def _by_constant(op: str, left: Point, b: object) -> Point | None:
    """`x * 100`, `x / 30.4`, `x + 1`, `x - 1`: the constant checked once."""
    if b is MISSING:
        return lambda: MISSING
    assert isinstance(b, float)
    if op == "/" and b == 0:
        return lambda: MISSING

    def operand() -> float | None:
        a = left()
        if a is MISSING:
            return None
        a = finite(a)
        return None if a is MISSING else a  # type: ignore[return-value]

    if op == "*":

        def multiply() -> object:
            a = operand()
            return MISSING if a is None else finite(a * b)

        return multiply
    if op == "/":

        def divide() -> object:
            a = operand()
            return MISSING if a is None else finite(a / b)

        return divide
    if op == "+":

        def add() -> object:
            a = operand()
            return MISSING if a is None else finite(a + b)

        return add

    def subtract() -> object:
        a = operand()
        return MISSING if a is None else finite(a - b)

    return subtract


_STEPPED_BACK: dict[tuple[dt.date, str], dt.date] = {}


def _call(node: Call, slots: Slots) -> Point:
    name, args = node.name, node.args
    if name in ("growth", "change", "prev"):
        ref = args[0]
        if not isinstance(ref, Ref):
            raise _Unsupported(node)
        return _history(name, _slot(slots, ref.metric), args, slots)
    function = FUNCTIONS.get(name)
    numeric = None if function is None else function.numeric
    if numeric is None or any(isinstance(a, Str) for a in args):
        raise _Unsupported(node)
    return _numeric(numeric, [_compile(arg, slots) for arg in args])


def _numeric(numeric: Numeric, compiled: list[Point]) -> Point:
    """A numeric function (min, max, abs, round) over its compiled arguments."""

    def apply() -> object:
        found = [finite(arg()) for arg in compiled]
        if MISSING in found:
            return MISSING
        try:
            return numeric(found)  # type: ignore[arg-type]
        except NoValue:
            return MISSING

    return apply


def _history(name: str, index: int, args: tuple[Node, ...], slots: Slots) -> Point:
    counts, dates, values = slots.counts, slots.dates, slots.series_values
    if name == "prev":

        def previous() -> object:
            count = counts[index]
            return MISSING if count < 2 else values[index][count - 2]

        return previous
    period = args[1]
    if not isinstance(period, Str):
        raise _Unsupported(name)
    back = period.value
    stepped = _STEPPED_BACK  # a date one period back, for every formula of the run

    def history() -> object:
        count = counts[index]
        if count == 0:
            return MISSING
        days, numbers = dates[index], values[index]
        latest = days[count - 1]
        before = stepped.get((latest, back))
        if before is None:
            before = stepped[latest, back] = step_back(latest, back)
        find = getattr(days, "bisect_right", None)  # the journal cache's pages find it faster
        found = find(before, 0, count) if find is not None else bisect_right(days, before, 0, count)
        if found == 0:
            return MISSING
        now, then = finite(numbers[count - 1]), finite(numbers[found - 1])
        if now is MISSING or then is MISSING:
            return MISSING
        if name == "change":
            return finite(now - then)  # type: ignore[operator]
        if then == 0:
            return MISSING
        return finite(now / then - 1)  # type: ignore[operator]

    return history
