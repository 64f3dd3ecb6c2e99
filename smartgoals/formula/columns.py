"""Formulas over whole columns: a derived metric's every point computed by a few operations in
C over lists, instead of one call of compiled closures per date.

A cold run computes each derived metric at every date where an input changed: 11,000 points a
metric at 1M rows, where compiled.py's closures cost about 3 us a point. Here the same numeric
part of the language (numbers, metric references, + - * /, unary minus, growth, change and
prev of a metric) is run a column at a time: each input's value as of every date is found by
`bisect` mapped over the dates, and each operation is `map(operator.truediv, left, right)`.

The closures' rules are kept exactly by refusing every case where they would differ. A point
is missing where an input has no value yet, or a history function finds nothing one period
back: those points are always a leading run of the dates (the counts only grow), so the
columns simply start later. Anything else that makes a point missing (a division by zero, a
growth from zero, a value or result beyond the formula's bounds) makes the whole formula fall
back to the closures (None), as does an input whose dates are not a plain list (the journal
cache's paged series). tests/system/test_speed_paths.py holds derive_series, which takes this
path first, to the evaluator on generated series.
"""

from __future__ import annotations

import datetime as dt
import operator
from bisect import bisect_right
from collections.abc import Callable, Mapping
from itertools import repeat

from smartgoals.formula.context import finite
from smartgoals.formula.functions import step_back
from smartgoals.formula.syntax import MAX_MAGNITUDE, Binary, Call, Node, Num, Ref, Str, Unary

_OPERATORS: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


class _Refused(Exception):
    """A point the closures would find missing outside the leading run, or a formula outside
    this part of the language: the closures compute the formula instead."""


class _Column:
    """Values at days[start:] (every one a number)."""

    __slots__ = ("start", "values")

    def __init__(self, start: int, values: list[float]) -> None:
        self.start = start
        self.values = values

    def since(self, start: int) -> list[float]:
        return self.values[start - self.start :]


Operand = _Column | float
Inputs = tuple[list[dt.date], list[float]]  # a metric's dates and values


class _Frame:
    """The dates to compute at and each input's dates and values."""

    def __init__(self, days: list[dt.date], inputs: Mapping[str, Inputs]) -> None:
        self.days = days
        self.inputs = inputs
        self._counts: dict[str, list[int]] = {}

    def counts(self, metric: str) -> list[int]:
        """How many of metric's points are dated on or before each day (0: no value yet)."""
        found = self._counts.get(metric)
        if found is None:
            dates = self.inputs[metric][0]
            if dates == self.days:  # an input at every date, once each (a common case)
                found = list(range(1, len(dates) + 1))
            else:
                found = list(map(bisect_right, repeat(dates), self.days))
            self._counts[metric] = found
        return found


def derive_columns(
    node: Node, days: list[dt.date], inputs: Mapping[str, Inputs]
) -> tuple[list[dt.date], list[float]] | None:
    """The formula's points at days (sorted), as the compiled closures give them: (dates,
    values), or None when this path does not apply (see the module's text). inputs: each
    metric the formula reads, as (dates, values), sorted; a metric absent has no points."""
    if not days or any(type(d) is not list or type(v) is not list for d, v in inputs.values()):
        return None
    try:
        found = _column(node, _Frame(days, inputs))
    except _Refused:
        return None
    if not isinstance(found, _Column):
        return None
    return days[found.start :], found.values


def _column(node: Node, frame: _Frame) -> Operand:
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Ref):
        return _reference(node.metric, frame)
    if isinstance(node, Unary) and node.op == "-":
        operand = _checked(_column(node.operand, frame))
        if isinstance(operand, float):
            return -operand
        return _Column(operand.start, list(map(operator.neg, operand.values)))
    if isinstance(node, Binary) and node.op in _OPERATORS:
        return _binary(node.op, _column(node.left, frame), _column(node.right, frame))
    if isinstance(node, Call) and node.name in ("growth", "change", "prev"):
        return _history(node, frame)
    raise _Refused(node)


def _reference(metric: str, frame: _Frame) -> _Column:
    if metric not in frame.inputs:
        raise _Refused(metric)  # never a value: the closures find every point missing
    counts = frame.counts(metric)
    start = bisect_right(counts, 0)
    shifted = [0.0, *frame.inputs[metric][1]]  # shifted[count]: the latest value
    return _Column(start, list(map(shifted.__getitem__, counts[start:])))


def _checked(operand: Operand) -> Operand:
    """operand when every value is one the closures take as a number (finite, in bounds)."""
    if isinstance(operand, _Column):
        values = operand.values
        if values and not (min(values) >= -MAX_MAGNITUDE and max(values) <= MAX_MAGNITUDE):
            raise _Refused("a value out of bounds")
        return operand
    number = float(operand)
    if finite(number) != number:
        raise _Refused("a number out of bounds")
    return number


def _binary(op: str, left: Operand, right: Operand) -> Operand:
    left, right = _checked(left), _checked(right)
    apply = _OPERATORS[op]
    if isinstance(left, float) and isinstance(right, float):
        if op == "/" and right == 0:
            raise _Refused("a division by zero")
        return _checked(apply(left, right))
    if op == "/" and (right == 0 if isinstance(right, float) else 0.0 in right.values):
        raise _Refused("a division by zero")
    if isinstance(right, float):
        assert isinstance(left, _Column)
        start, values = left.start, list(map(apply, left.values, repeat(right)))
    elif isinstance(left, float):
        start, values = right.start, list(map(apply, repeat(left), right.values))
    else:
        start = max(left.start, right.start)
        values = list(map(apply, left.since(start), right.since(start)))
    return _checked(_Column(start, values))


class _Steps(dict[dt.date, dt.date]):
    """Each date's date one period back (functions.step_back), computed once a run."""

    def __init__(self, period: str) -> None:
        super().__init__()
        self.period = period

    def __missing__(self, day: dt.date) -> dt.date:
        before = self[day] = step_back(day, self.period)
        return before


_STEPS: dict[str, _Steps] = {}


def _history(node: Call, frame: _Frame) -> _Column:
    ref = node.args[0]
    if not isinstance(ref, Ref) or ref.metric not in frame.inputs:
        raise _Refused(node)
    dates, values = frame.inputs[ref.metric]
    counts = frame.counts(ref.metric)
    if node.name == "prev":
        start = bisect_right(counts, 1)
        shifted = [0.0, 0.0, *values]  # shifted[count]: the value before the latest
        return _Column(start, list(map(shifted.__getitem__, counts[start:])))
    period = node.args[1] if len(node.args) > 1 else None
    if not isinstance(period, Str):
        raise _Refused(node)
    start = bisect_right(counts, 0)
    counts = counts[start:]
    latest = list(map([*dates[:1], *dates].__getitem__, counts))  # counts are 1 or more
    steps = _STEPS.get(period.value)
    if steps is None:
        steps = _STEPS[period.value] = _Steps(period.value)
    back = list(map(steps.__getitem__, latest))  # step_back once a date of the run
    found = list(map(bisect_right, repeat(dates), back, repeat(0), counts))
    missing = bisect_right(found, 0)  # nothing a period back: a leading run (found only grows)
    if 0 in found[missing:]:
        raise _Refused("nothing a period back after a point that had something")
    shifted = [0.0, *values]
    now = _checked(_Column(0, list(map(shifted.__getitem__, counts[missing:]))))
    then = _checked(_Column(0, list(map(shifted.__getitem__, found[missing:]))))
    assert isinstance(now, _Column) and isinstance(then, _Column)
    if node.name == "change":
        result = list(map(operator.sub, now.values, then.values))
    else:
        if 0.0 in then.values:
            raise _Refused("a growth from zero")
        ratios = map(operator.truediv, now.values, then.values)
        result = list(map(operator.sub, ratios, repeat(1.0)))
    checked = _checked(_Column(start + missing, result))
    assert isinstance(checked, _Column)
    return checked
