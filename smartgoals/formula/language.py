"""The formula language of derived metrics and risk triggers: a whitelist parser and a safe
evaluator. Nothing is ever passed to eval; names are metric ids, calls are the listed functions.

    dau / mau * 100
    growth(mau, 'month') * 100
    mau_growth < 15 or retention_d30 < 50
    status('early-adopters') in ('off_track', 'missed')
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple, Protocol, TypeAlias

from smartgoals.ops import COMPARISONS
from smartgoals.periods import days_in_month

MAX_LENGTH = 2_000  # characters in one formula
MAX_DEPTH = 40  # nesting of parentheses and operators
# depth of the parsed tree: a chain a + b + c ... is one level per operator; this bounds every
# walk over a tree (the evaluator recurses two frames a level) far below Python's stack limit
MAX_TREE_DEPTH = 200
MAX_MAGNITUDE = 1e18  # any larger intermediate value is "no value", never a crash
MAX_EXPONENT = 100
FUNCTIONS: dict[str, tuple[int, int]] = {  # name -> (fewest, most) arguments
    "growth": (2, 2),
    "change": (2, 2),
    "prev": (1, 1),
    "min": (1, 32),
    "max": (1, 32),
    "abs": (1, 1),
    "round": (1, 2),
    "status": (1, 1),
    "sum": (2, 2),
    "mean": (2, 2),
    "count": (2, 2),
    "at": (2, 2),
    "plan": (2, 2),
    "progress": (2, 2),
    "as_of": (0, 0),
    "eta": (2, 2),
    "slack": (2, 2),
}
WINDOW_FUNCTIONS = ("sum", "mean", "count", "min", "max")  # (metric, window) forms
CONDITION_ONLY = ("status", "plan", "progress", "eta", "slack")  # only in a risk's when
TARGET_FUNCTIONS = ("plan", "progress", "eta", "slack")  # ('goal-id', 'metric-id')
PERIOD_WORDS = ("day", "week", "month", "quarter", "year")
_PERIOD_DAYS = re.compile(r"^([1-9]\d{0,3})d$")
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    | (?P<str>'[^'\\\n]{0,200}'|"[^"\\\n]{0,200}")
    | (?P<op>\*\*|<=|>=|==|!=|[-+*/(),<>])
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "in"}


class FormulaError(ValueError):
    """A formula that cannot be parsed or does not fit the ledger; column is 1-based."""

    def __init__(
        self, message: str, column: int = 0, unknown: str | None = None, kind: str = "metric"
    ) -> None:
        super().__init__(message)
        self.message = message
        self.column = column
        self.unknown = unknown  # the id, when the problem is that nothing defines it
        self.kind = kind  # what that id names: metric or goal


# --- the tree -------------------------------------------------------------------------------


class Num(NamedTuple):
    value: float


class Str(NamedTuple):
    value: str


class Ref(NamedTuple):
    metric: str
    column: int


class Call(NamedTuple):
    name: str
    args: tuple[Node, ...]
    text: str  # as written, for reports: growth(mau, 'month')
    column: int


class Unary(NamedTuple):
    op: str  # "-" or "not"
    operand: Node


class Binary(NamedTuple):
    op: str  # + - * / ** < <= > >= == != and or in notin
    left: Node
    right: Node


class Items(NamedTuple):
    items: tuple[Node, ...]


Node: TypeAlias = Num | Str | Ref | Call | Unary | Binary | Items


# --- parsing --------------------------------------------------------------------------------


class _Token(NamedTuple):
    kind: str  # num, name, str, op, keyword, end
    text: str
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            if text[position:].strip() == "":
                break
            column = position + 1 + (len(text[position:]) - len(text[position:].lstrip()))
            char = text[column - 1]
            raise FormulaError(f"unexpected character {char!r}", column)
        kind = match.lastgroup or "op"
        value = match.group(kind)
        column = match.start(kind) + 1
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Token(kind, value, column))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, text: str) -> bool:
        if self.token.text == text and self.token.kind in ("op", "keyword"):
            self.index += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.accept(text):
            found = self.token.text or "the end"
            raise FormulaError(f"expected {text!r}, found {found!r}", self.token.column)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(f"nested more than {MAX_DEPTH} levels deep", self.token.column)

    def parse(self) -> Node:
        node = self.disjunction()
        if self.token.kind != "end":
            raise FormulaError(f"unexpected {self.token.text!r}", self.token.column)
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.accept("or"):
            node = Binary("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.accept("and"):
            node = Binary("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.accept("not"):
            self.enter()
            node = Unary("not", self.negation())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        token = self.token
        if token.kind == "op" and token.text in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            node = Binary(token.text, node, self.sum())
        elif self.accept("in"):
            node = Binary("in", node, self.sum())
        elif token.text == "not" and self.tokens[self.index + 1].text == "in":
            self.index += 2
            node = Binary("notin", node, self.sum())
        token = self.token
        if token.kind == "op" and token.text in ("<", "<=", ">", ">=", "==", "!="):
            raise FormulaError("chained comparisons are not supported; use and", token.column)
        return node

    def sum(self) -> Node:
        node = self.product()
        while self.token.text in ("+", "-") and self.token.kind == "op":
            op = self.take().text
            node = Binary(op, node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.token.text in ("*", "/") and self.token.kind == "op":
            op = self.take().text
            node = Binary(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.token.kind == "op" and self.token.text in ("-", "+"):
            op = self.take().text
            self.enter()
            operand = self.unary()
            self.depth -= 1
            return Unary("-", operand) if op == "-" else operand
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.accept("**"):
            self.enter()
            node = Binary("**", base, self.unary())
            self.depth -= 1
            return node
        return base

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "num":
            value = float(token.text)
            if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
                raise FormulaError(f"number {token.text} is too large", token.column)
            return Num(value)
        if token.kind == "str":
            return Str(token.text[1:-1])
        if token.kind == "name":
            if self.accept("("):
                return self.call(token)
            if token.text == "as_of":  # the date of evaluation
                return Call("as_of", (), "as_of", token.column)
            return Ref(token.text, token.column)
        if token.kind == "op" and token.text == "(":
            self.enter()
            node = self.disjunction()
            if self.accept(","):
                items = [node]
                while self.token.text != ")":
                    items.append(self.disjunction())
                    if not self.accept(","):
                        break
                node = Items(tuple(items))
            self.expect(")")
            self.depth -= 1
            return node
        found = token.text or "the end"
        raise FormulaError(f"expected a number, metric or (, found {found!r}", token.column)

    def call(self, name: _Token) -> Node:
        self.enter()
        args: list[Node] = []
        if not self.accept(")"):
            while True:
                args.append(self.disjunction())
                if self.accept(")"):
                    break
                self.expect(",")
        self.depth -= 1
        end = self.tokens[self.index - 1].column
        text = self.text[name.column - 1 : end]
        return Call(name.text, tuple(args), text, name.column)


def parse(text: str) -> Node:
    """Parse a formula or a risk condition; raises FormulaError with a column."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("empty formula", 1)
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"longer than {MAX_LENGTH:,} characters", MAX_LENGTH)
    node = _Parser(text).parse()
    _check_tree_depth(node)
    return node


def _check_tree_depth(node: Node) -> None:
    """Refuse a tree deeper than MAX_TREE_DEPTH, measured without recursion."""
    stack = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_TREE_DEPTH:
            raise FormulaError(
                f"more than {MAX_TREE_DEPTH} operators or levels in one chain; split it into "
                "derived metrics"
            )
        if isinstance(item, Call):
            stack.extend((arg, depth + 1) for arg in item.args)
        elif isinstance(item, Unary):
            stack.append((item.operand, depth + 1))
        elif isinstance(item, Binary):
            stack.append((item.left, depth + 1))
            stack.append((item.right, depth + 1))
        elif isinstance(item, Items):
            stack.extend((each, depth + 1) for each in item.items)


# --- checking against the ledger ------------------------------------------------------------


def nodes(node: Node) -> Iterator[Node]:
    """Every node of a tree, parents before children."""
    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, Call):
            stack.extend(reversed(item.args))
        elif isinstance(item, Unary):
            stack.append(item.operand)
        elif isinstance(item, Binary):
            stack.extend((item.right, item.left))
        elif isinstance(item, Items):
            stack.extend(reversed(item.items))


def references(node: Node) -> set[str]:
    """The metric ids a formula reads."""
    return {item.metric for item in nodes(node) if isinstance(item, Ref)}


def goal_references(node: Node) -> list[tuple[str, int]]:
    """(goal id, column) of every status('...') call."""
    return [
        (item.args[0].value, item.column)
        for item in nodes(node)
        if isinstance(item, Call)
        and item.name == "status"
        and item.args
        and isinstance(item.args[0], Str)
    ]


_BOOLEAN_OPS = {"<", "<=", ">", ">=", "==", "!=", "and", "or", "in", "notin"}


def is_condition(node: Node) -> bool:
    """True for a node that yields true or false."""
    if isinstance(node, Unary):
        return node.op == "not"
    return isinstance(node, Binary) and node.op in _BOOLEAN_OPS


def check(
    node: Node,
    metrics: set[str],
    condition: bool,
    suggest: Callable[[str, set[str]], str] = lambda _w, _c: "",
) -> None:
    """Raise FormulaError for unknown metrics or functions, bad arguments, or (in a formula,
    condition=False) a comparison where a number is expected."""

    stack = [node]
    while stack:  # iterative: a tree is at most MAX_TREE_DEPTH deep, but walks never recurse
        item = stack.pop()
        if isinstance(item, Ref):
            if item.metric not in metrics:
                hint = suggest(item.metric, metrics)
                message = f"unknown metric {item.metric!r}{hint}"
                raise FormulaError(message, item.column, item.metric)
        elif isinstance(item, Call):
            _check_call(item, metrics, condition, suggest)
            quoted_after_first = ("growth", "change", "at", *WINDOW_FUNCTIONS)
            if item.name in TARGET_FUNCTIONS:
                args: tuple[Node, ...] = ()
            elif item.name in quoted_after_first and len(item.args) == 2:
                args = item.args[:1] if isinstance(item.args[1], Str) else item.args
            else:
                args = item.args
            stack.extend(reversed(args))
        elif isinstance(item, Unary):
            if item.op == "not" and not condition:
                raise FormulaError("not belongs in a risk's when, not in a formula")
            stack.append(item.operand)
        elif isinstance(item, Binary):
            if item.op in _BOOLEAN_OPS and not condition:
                raise FormulaError(
                    f"{item.op!r} compares; a formula computes a number (conditions belong in "
                    "a risk's when)"
                )
            stack.extend((item.right, item.left))
        elif isinstance(item, Items):
            stack.extend(reversed(item.items))
        elif isinstance(item, Str) and not condition:
            raise FormulaError(f"text {item.value!r} in a formula")


def _check_call(
    call: Call, metrics: set[str], condition: bool, suggest: Callable[[str, set[str]], str]
) -> None:
    if call.name not in FUNCTIONS:
        hint = suggest(call.name, set(FUNCTIONS))
        raise FormulaError(f"unknown function {call.name!r}{hint}", call.column)
    fewest, most = FUNCTIONS[call.name]
    if not fewest <= len(call.args) <= most:
        wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
        raise FormulaError(f"{call.name}() takes {wanted} argument(s)", call.column)
    windowed = (
        call.name in WINDOW_FUNCTIONS and len(call.args) == 2 and isinstance(call.args[1], Str)
    )
    if call.name in ("sum", "mean", "count") and not windowed:
        raise FormulaError(
            f"{call.name}() takes a metric id and a window, e.g. {call.name}(signups, 'month')",
            call.column,
        )
    metric_first = ("growth", "change", "prev", "at")
    if (call.name in metric_first or windowed) and not isinstance(call.args[0], Ref):
        raise FormulaError(f"{call.name}() takes a metric id first", call.column)
    if windowed:
        window = call.args[1]
        assert isinstance(window, Str)
        _check_window(window.value, call.column)
    if call.name == "at":
        when = call.args[1]
        if not isinstance(when, Str):
            raise FormulaError("at() takes a date in quotes, e.g. at(mrr, '2025-12')", call.column)
        _check_date(when.value, call.column)
    if call.name in TARGET_FUNCTIONS:
        if not condition:
            raise FormulaError(
                f"{call.name}() belongs in a risk's when, not in a formula", call.column
            )
        if not all(isinstance(arg, Str) for arg in call.args):
            raise FormulaError(
                f"{call.name}() takes a goal id and a metric id in quotes, e.g. "
                f"{call.name}('grow-revenue', 'mrr')",
                call.column,
            )
    if call.name in ("growth", "change"):
        period = call.args[1]
        if not isinstance(period, Str):
            raise FormulaError(f"{call.name}() takes a period in quotes, e.g. 'month'", call.column)
        parse_period_text(period.value, call.column)
    if call.name == "status":
        if not condition:
            raise FormulaError("status() belongs in a risk's when, not in a formula", call.column)
        if not isinstance(call.args[0], Str):
            raise FormulaError("status() takes a goal id in quotes", call.column)


def _check_window(text: str, column: int) -> None:
    from smartgoals.periods import parse_window

    try:
        parse_window(text)
    except ValueError as exc:
        raise FormulaError(str(exc), column) from None


def _check_date(text: str, column: int) -> None:
    from smartgoals.periods import parse_period

    try:
        parse_period(text)
    except ValueError as exc:
        raise FormulaError(str(exc), column) from None


def parse_period_text(text: str, column: int = 0) -> str:
    if text in PERIOD_WORDS or _PERIOD_DAYS.match(text):
        return text
    raise FormulaError(
        f"unknown period {text!r}; use day, week, month, quarter, year or e.g. '30d'", column
    )


def step_back(day: dt.date, period: str) -> dt.date:
    """The same day one period earlier. Month ends map to month ends (28 February -> 31
    January, 31 March -> 28/29 February), so values logged at each month's end line up."""
    if period == "day":
        return day - dt.timedelta(days=1)
    if period == "week":
        return day - dt.timedelta(days=7)
    if match := _PERIOD_DAYS.match(period):
        return day - dt.timedelta(days=int(match.group(1)))
    months = {"month": 1, "quarter": 3, "year": 12}[period]
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = days_in_month(year, month + 1)
    if day.day == days_in_month(day.year, day.month):
        return dt.date(year, month + 1, last)
    return dt.date(year, month + 1, min(day.day, last))


# --- evaluation -----------------------------------------------------------------------------

Value: TypeAlias = float | str | bool | tuple[object, ...] | None


class Data(Protocol):
    """What evaluation may read: observations as of a date, and goal statuses."""

    def at(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        """The latest observation on or before day (None: as of the evaluation date)."""

    def before_latest(self, metric: str) -> tuple[float | str, dt.date] | None:
        """The observation before the latest one."""

    def goal_status(self, goal_id: str) -> str | None: ...

    def window(self, metric: str, first: dt.date, last: dt.date) -> list[float | str]:
        """The values observed from first to last, inclusive, in date order."""

    def plan(self, goal_id: str, metric: str) -> tuple[float | None, float | None] | None:
        """(the value the target's pace expects at as-of, progress), or None: no such target."""

    @property
    def as_of(self) -> dt.date:
        """The date of evaluation."""


class _Missing:
    """Unknown: an input has no value. Three-valued logic keeps `x or unknown` meaningful."""


MISSING = _Missing()


class Outcome:
    """A formula's result, with what was read to get it."""

    __slots__ = ("latest", "missing", "reason", "value", "values")

    def __init__(
        self,
        value: float | str | bool | None,
        reason: str | None = None,  # why there is no value
        latest: dt.date | None = None,  # the newest input date read
        values: dict[str, float | str | None] | None = None,
        missing: list[str] | None = None,
    ) -> None:
        self.value = value
        self.reason = reason
        self.latest = latest
        self.values: dict[str, float | str | None] = {} if values is None else values
        self.missing: list[str] = [] if missing is None else missing

    def __repr__(self) -> str:
        return f"Outcome({self.value!r}, reason={self.reason!r})"


class _Evaluator:
    def __init__(self, data: Data) -> None:
        self.data = data
        self.outcome = Outcome(None)

    def miss(self, reason: str) -> _Missing:
        if reason not in self.outcome.missing:
            self.outcome.missing.append(reason)
        return MISSING

    def read(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        found = self.data.at(metric, day)
        if found is not None and day is None:
            latest = self.outcome.latest
            self.outcome.latest = found[1] if latest is None else max(latest, found[1])
        return found

    def number(self, value: object) -> float | _Missing:
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
            result = self.call(node)
            windowed = len(node.args) == 2 and isinstance(node.args[-1], Str)
            if node.name not in ("min", "max", "abs", "round") or windowed:
                shown = None if result is MISSING else result
                if isinstance(shown, dt.date):
                    shown = shown.isoformat()
                self.outcome.values[node.text] = shown  # type: ignore[assignment]
            return result
        return self.binary(node)

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
        from smartgoals.periods import parse_period

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

    def windowed(self, node: Call) -> object:
        """sum, mean, count, min or max of a metric's values in a window ending at the
        evaluation date."""
        from smartgoals.periods import parse_window

        ref, window = node.args
        assert isinstance(ref, Ref) and isinstance(window, Str)
        end = self.data.as_of
        first = parse_window(window.value).start(end)
        raw = self.data.window(ref.metric, first, end)
        if node.name == "count":
            return float(len(raw))
        numbers = [self.number(v) for v in raw]
        if MISSING in numbers:
            return MISSING
        values = [float(v) for v in numbers]  # type: ignore[arg-type]
        if not values:
            if node.name == "sum":
                return 0.0
            return self.miss(f"no value for {ref.metric} in {window.value!r}")
        if node.name == "sum":
            return self.number(sum(values))
        if node.name == "mean":
            return self.number(sum(values) / len(values))
        return min(values) if node.name == "min" else max(values)

    def call(self, node: Call) -> object:
        name = node.name
        if name == "as_of":
            return self.data.as_of
        if name in WINDOW_FUNCTIONS and len(node.args) == 2 and isinstance(node.args[1], Str):
            return self.windowed(node)
        if name == "at":
            from smartgoals.periods import parse_period

            ref, when = node.args
            assert isinstance(ref, Ref) and isinstance(when, Str)
            found = self.data.at(ref.metric, parse_period(when.value).last)
            if found is None:
                return self.miss(f"no value for {ref.metric} on or before {when.value}")
            return found[0]
        if name in ("plan", "progress"):
            goal_id, metric = (arg.value for arg in node.args if isinstance(arg, Str))
            planned = self.data.plan(goal_id, metric)
            if planned is None:
                return self.miss(f"no target of {metric!r} in goal {goal_id!r}")
            value = planned[0] if name == "plan" else planned[1]
            if value is None:
                return self.miss(f"no {name} for {goal_id}/{metric}")
            return value
        if name in ("eta", "slack"):
            return self.forecast(node)
        if name == "status":
            wanted = self.run(node.args[0])
            status = self.data.goal_status(str(wanted))
            return self.miss(f"no goal {wanted!r}") if status is None else status
        if name in ("growth", "change", "prev"):
            return self.history(node)
        args = [self.number(self.run(arg)) for arg in node.args]
        if MISSING in args:
            return MISSING
        numbers = [float(a) for a in args]  # type: ignore[arg-type]
        if name == "min":
            return min(numbers)
        if name == "max":
            return max(numbers)
        if name == "abs":
            return abs(numbers[0])
        digits = int(numbers[1]) if len(numbers) > 1 else 0
        if not 0 <= digits <= 12:
            return self.miss("round() takes 0 to 12 digits")
        return float(round(numbers[0], digits))

    def forecast(self, node: Call) -> object:
        """eta('goal', 'metric'): the date the target's forecast reaches it; slack(...): its due
        minus that date, in days. The target is the goal's first of that metric, as for plan()."""
        from smartgoals.engine.forecast import forecast_target

        goal_id, metric = (arg.value for arg in node.args if isinstance(arg, Str))
        # the evaluator's data for risks (derived.SeriesData) carries the judged targets and
        # the series; other data has no targets, so no forecast
        target = getattr(self.data, "plans", {}).get((goal_id, metric))
        if target is None:
            return self.miss(f"no target of {metric!r} in goal {goal_id!r}")
        series = getattr(self.data, "series", {}).get(metric)
        found = forecast_target(target, series, self.data.as_of)
        if found.eta is None or found.slack_days is None:
            why = found.reason or found.verdict.replace("_", " ")
            return self.miss(f"no {node.name} for {goal_id}/{metric}: {why}")
        return found.eta if node.name == "eta" else float(found.slack_days)

    def history(self, node: Call) -> object:
        ref = node.args[0]
        assert isinstance(ref, Ref)
        metric = ref.metric
        latest = self.read(metric, None)
        if latest is None:
            return self.miss(f"no value for {metric}")
        if node.name == "prev":
            before = self.data.before_latest(metric)
            if before is None:
                return self.miss(f"no earlier value for {metric}")
            return before[0]
        period = node.args[1]
        assert isinstance(period, Str)
        earlier = self.data.at(metric, step_back(latest[1], period.value))
        if earlier is None:
            return self.miss(f"no value for {metric} a {period.value} before {latest[1]}")
        now, then = self.number(latest[0]), self.number(earlier[0])
        if now is MISSING or then is MISSING:
            return MISSING
        assert isinstance(now, float) and isinstance(then, float)
        if node.name == "change":
            return self.number(now - then)
        if then == 0:
            return self.miss(f"division by zero: {metric} was 0 a {period.value} before")
        return self.number(now / then - 1)


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


# --- compiled evaluation over series ---------------------------------------------------------
#
# A derived metric is computed at every date where one of its inputs changed: thousands of
# points for one formula. The evaluator above walks the tree and builds an Outcome at each of
# them; here the numeric part of the language (numbers, metric references, + - * / **, unary
# minus, min, max, abs, round, growth, change and prev) is compiled once into nested closures
# that read the current value of each input from slots the caller advances through the dates in
# one pass. The closures follow the evaluator step for step (the same checks of each number,
# the same misses); a formula outside that part compiles to None and is evaluated point by
# point as before. tests/system/test_speed_paths.py compares the two.

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


def _finite(value: object) -> object:
    """_Evaluator.number without the reason: MISSING unless a finite float in range."""
    if type(value) is float:  # the common case first (NaN fails both comparisons)
        return value if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE else MISSING
    if value is MISSING or isinstance(value, bool) or not isinstance(value, (int, float)):
        return MISSING
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return MISSING
    return float(value)


def compile_point(node: Node, slots: Slots) -> Point | None:
    """The formula as a closure of no arguments evaluated at the slots' current date, or None
    when it uses anything but the numeric part of the language. The closure returns what
    _Evaluator.run would: a value, or MISSING."""
    try:
        return _compile(node, slots)
    except _Unsupported:
        return None


class _Unsupported(Exception):
    pass


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
            number = _finite(operand())
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
        fast = _by_constant(op, left, _finite(right.value))
        if fast is not None:
            return fast

    def operands() -> tuple[float, float] | None:
        a, b = left(), right()
        if a is MISSING or b is MISSING:
            return None
        a, b = _finite(a), _finite(b)
        if a is MISSING or b is MISSING:
            return None
        return a, b  # type: ignore[return-value]

    if op == "+":

        def add() -> object:
            pair = operands()
            return MISSING if pair is None else _finite(pair[0] + pair[1])

        return add
    if op == "-":

        def subtract() -> object:
            pair = operands()
            return MISSING if pair is None else _finite(pair[0] - pair[1])

        return subtract
    if op == "*":

        def multiply() -> object:
            pair = operands()
            return MISSING if pair is None else _finite(pair[0] * pair[1])

        return multiply
    if op == "/":

        def divide() -> object:
            pair = operands()
            if pair is None or pair[1] == 0:
                return MISSING
            return _finite(pair[0] / pair[1])

        return divide

    def power() -> object:
        pair = operands()
        if pair is None:
            return MISSING
        a, b = pair
        if abs(b) > MAX_EXPONENT or (a == 0 and b < 0) or (a < 0 and b != int(b)):
            return MISSING
        try:
            return _finite(a**b)
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
        a = _finite(a)
        return None if a is MISSING else a  # type: ignore[return-value]

    if op == "*":

        def multiply() -> object:
            a = operand()
            return MISSING if a is None else _finite(a * b)

        return multiply
    if op == "/":

        def divide() -> object:
            a = operand()
            return MISSING if a is None else _finite(a / b)

        return divide
    if op == "+":

        def add() -> object:
            a = operand()
            return MISSING if a is None else _finite(a + b)

        return add

    def subtract() -> object:
        a = operand()
        return MISSING if a is None else _finite(a - b)

    return subtract


_STEPPED_BACK: dict[tuple[dt.date, str], dt.date] = {}


def _call(node: Call, slots: Slots) -> Point:
    name, args = node.name, node.args
    if name in ("growth", "change", "prev"):
        ref = args[0]
        if not isinstance(ref, Ref):
            raise _Unsupported(node)
        return _history(name, _slot(slots, ref.metric), args, slots)
    if name not in ("min", "max", "abs", "round") or any(isinstance(a, Str) for a in args):
        raise _Unsupported(node)
    compiled = [_compile(arg, slots) for arg in args]

    def numbers() -> list[float] | None:
        found = [_finite(arg()) for arg in compiled]
        return None if MISSING in found else found  # type: ignore[return-value]

    if name in ("min", "max"):
        pick = min if name == "min" else max

        def extreme() -> object:
            found = numbers()
            return MISSING if found is None else pick(found)

        return extreme
    if name == "abs":

        def absolute() -> object:
            found = numbers()
            return MISSING if found is None else abs(found[0])

        return absolute

    def rounded() -> object:
        found = numbers()
        if found is None:
            return MISSING
        digits = int(found[1]) if len(found) > 1 else 0
        if not 0 <= digits <= 12:
            return MISSING
        return float(round(found[0], digits))

    return rounded


def _history(name: str, index: int, args: tuple[Node, ...], slots: Slots) -> Point:
    from bisect import bisect_right

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
        found = bisect_right(days, before, 0, count)
        if found == 0:
            return MISSING
        now, then = _finite(numbers[count - 1]), _finite(numbers[found - 1])
        if now is MISSING or then is MISSING:
            return MISSING
        if name == "change":
            return _finite(now - then)  # type: ignore[operator]
        if then == 0:
            return MISSING
        return _finite(now / then - 1)  # type: ignore[operator]

    return history
