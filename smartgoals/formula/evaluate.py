"""Evaluating a parsed formula at a date, safely and in three-valued logic: any problem with the
data is an Outcome without a value and with a reason, never an exception. Each function's own
evaluation is its entry in formula.functions."""

from __future__ import annotations

import datetime as dt
import math

from smartgoals.formula.context import MAX_EXPONENT, MISSING, Data, Missing, Outcome
from smartgoals.formula.functions import FUNCTIONS, over_numbers
from smartgoals.formula.syntax import (
    MAX_MAGNITUDE,
    Binary,
    Call,
    Items,
    Node,
    Num,
    Ref,
    Str,
    Unary,
)
from smartgoals.ops import COMPARISONS
from smartgoals.periods import parse_period


class _Evaluator:
    """One evaluation: the data it reads and the outcome it records (a formula.context.Context)."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.outcome = Outcome(None)

    def miss(self, reason: str) -> Missing:
        if reason not in self.outcome.missing:
            self.outcome.missing.append(reason)
        return MISSING

    def read(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        found = self.data.at(metric, day)
        if found is not None and day is None:
            latest = self.outcome.latest
            self.outcome.latest = found[1] if latest is None else max(latest, found[1])
        return found

    def number(self, value: object) -> float | Missing:
        if value is MISSING:
            return MISSING
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.miss(f"{value!r} is not a number")
        if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
            return self.miss("a value is too large")
        return float(value)

    def run(self, node: Node) -> object:
        if isinstance(node, Num):
            return node.value
        if isinstance(node, Str):
            return node.value
        if isinstance(node, Ref):
            found = self.read(node.metric, None)
            if found is None:
                self.outcome.values[node.metric] = None
                return self.miss(f"no value for {node.metric}")
            self.outcome.values[node.metric] = found[0]
            return found[0]
        if isinstance(node, Items):
            return tuple(self.run(item) for item in node.items)
        if isinstance(node, Unary):
            operand = self.run(node.operand)
            if node.op == "not":
                return MISSING if operand is MISSING else not operand
            number = self.number(operand)
            return number if number is MISSING else -number  # type: ignore[operator]
        if isinstance(node, Call):
            return self.call(node)
        return self.binary(node)

    def call(self, node: Call) -> object:
        function = FUNCTIONS.get(node.name)
        if function is None:  # reached only by a formula that skipped check()
            result: object = self.miss(f"unknown function {node.name!r}")
        else:
            result = function.evaluate(self, node)
        # a numeric call (min(a, b)) is shown through its inputs; any other by its value
        if function is None or not over_numbers(function, node):
            shown = None if result is MISSING else result
            if isinstance(shown, dt.date):
                shown = shown.isoformat()
            self.outcome.values[node.text] = shown  # type: ignore[assignment]
        return result

    def binary(self, node: Binary) -> object:
        op = node.op
        if op in ("and", "or"):
            # both sides are read (no short cut), so that a report shows every deciding value
            left = self.run(node.left)
            right = self.run(node.right)
            if op == "and" and left is False:
                return False
            if op == "or" and left is True:
                return True
            if op == "and":
                if right is False:
                    return False
                return MISSING if MISSING in (left, right) else bool(left and right)
            if right is True:
                return True
            return MISSING if MISSING in (left, right) else bool(left or right)
        left, right = self.run(node.left), self.run(node.right)
        if left is MISSING or right is MISSING:
            return MISSING
        if isinstance(left, dt.date) or isinstance(right, dt.date):
            return self.compare_dates(op, left, right)
        if op in ("==", "!="):
            equal = left == right
            return equal if op == "==" else not equal
        if op in ("in", "notin"):
            items = right if isinstance(right, tuple) else (right,)
            inside = left in items
            return inside if op == "in" else not inside
        a, b = self.number(left), self.number(right)
        if a is MISSING or b is MISSING:
            return MISSING
        assert isinstance(a, float) and isinstance(b, float)
        if op in COMPARISONS:
            return COMPARISONS[op](a, b)
        if op == "+":
            return self.number(a + b)
        if op == "-":
            return self.number(a - b)
        if op == "*":
            return self.number(a * b)
        if op == "/":
            return self.miss("division by zero") if b == 0 else self.number(a / b)
        if abs(b) > MAX_EXPONENT or (a == 0 and b < 0):
            return self.miss("an exponent out of range")
        if a < 0 and b != int(b):
            return self.miss("a root of a negative number")
        try:
            return self.number(a**b)
        except (OverflowError, ZeroDivisionError):
            return self.miss("a value is too large")
        except TypeError:  # a negative number to a fractional power is complex
            return self.miss("a root of a negative number")

    def compare_dates(self, op: str, left: object, right: object) -> object:
        """A date against a date or a date string: a period string is the span of its days, so
        `as_of >= '2025-Q4'` holds from 2025-10-01 and `as_of > '2025-Q4'` from 2026-01-01."""

        def span(value: object) -> tuple[dt.date, dt.date] | None:
            if isinstance(value, dt.date):
                return value, value
            if isinstance(value, str):
                try:
                    period = parse_period(value)
                except ValueError:
                    return None
                return period.first, period.last
            return None

        a, b = span(left), span(right)
        if a is None or b is None:
            return self.miss(f"cannot compare {left!r} with {right!r}: not dates")
        if op == "<":
            return a[1] < b[0]
        if op == "<=":
            return a[1] <= b[1]
        if op == ">":
            return a[0] > b[1]
        if op == ">=":
            return a[0] >= b[0]
        inside = b[0] <= a[0] and a[1] <= b[1]
        if op in ("==", "in"):
            return inside
        if op in ("!=", "notin"):
            return not inside
        return self.miss(f"{op} does not apply to dates")


def evaluate(node: Node, data: Data) -> Outcome:
    """Evaluate safely: any problem with the data is an Outcome without a value and a reason."""
    evaluator = _Evaluator(data)
    try:
        result = evaluator.run(node)
    except RecursionError:  # pragma: no cover - the parser bounds the depth
        result = evaluator.miss("nested too deeply")
    outcome = evaluator.outcome
    if result is MISSING or result is None:
        outcome.value = None
        outcome.reason = "; ".join(outcome.missing) or "no value"
    elif isinstance(result, tuple):
        outcome.value, outcome.reason = None, "a list is not a value"
    else:
        outcome.value = result  # type: ignore[assignment]
    return outcome
