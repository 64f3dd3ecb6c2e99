"""THE table of the formula language's functions: for each, how many arguments it takes, how a
call is checked, which arguments are formulas in their own right, and how it is evaluated.
Adding a function is one entry in FUNCTIONS, with its evaluator (and check) here, plus its test
in tests/formula/test_functions.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeAlias

from smartgoals.formula.context import MISSING, Context
from smartgoals.formula.syntax import Call, FormulaError, Node, Ref, Str
from smartgoals.lazyre import lazy
from smartgoals.periods import days_in_month, parse_period, parse_window
from smartgoals.record import Record

PERIOD_WORDS = ("day", "week", "month", "quarter", "year")
_PERIOD_DAYS = lazy(r"^([1-9]\d{0,3})d$")
ROUND_DIGITS = 12

Check: TypeAlias = Callable[[Call], None]  # raises FormulaError
Operands: TypeAlias = Callable[[Call], tuple[Node, ...]]
Evaluate: TypeAlias = Callable[[Context, Call], object]  # a value, or MISSING with its reason
Numeric: TypeAlias = Callable[[list[float]], float]  # over finite numbers; raises NoValue


class NoValue(Exception):
    """A numeric function has no value for these numbers; the message says why."""


def _no_check(call: Call) -> None:
    """Arity is all there is to check."""


def _every_argument(call: Call) -> tuple[Node, ...]:
    return call.args


def _no_argument(call: Call) -> tuple[Node, ...]:
    return ()


def _metric_argument(call: Call) -> tuple[Node, ...]:
    """f(metric, 'text'): the metric is checked as a reference; the text is no formula."""
    args = call.args
    return args[:1] if len(args) == 2 and isinstance(args[1], Str) else args


class Function(Record):
    """One function of the language: fewest to most arguments; evaluate, given the evaluation
    (formula.context.Context) and the call, returns a value or MISSING with a reason missed.

    numeric: the function itself over finite numbers, for a call whose arguments are numbers;
    formula.compiled compiles such a call, and an outcome lists its inputs, not its value."""

    fewest: int
    most: int
    evaluate: Evaluate
    check: Check = _no_check  # after the count of arguments (and condition_only) is checked
    operands: Operands = _every_argument  # the arguments checked like the rest of the formula
    numeric: Numeric | None = None
    condition_only: bool = False  # only in a risk's when: it reads goals, not metrics


def is_windowed(call: Call) -> bool:
    """f(metric, 'window'): sum, mean, count, min or max over the window ending at as-of."""
    return len(call.args) == 2 and isinstance(call.args[1], Str)


def over_numbers(function: Function, call: Call) -> bool:
    """Whether a call takes a function's numeric form (min(a, b), not min(a, 'month'))."""
    return function.numeric is not None and not is_windowed(call)


# --- periods: growth(mau, 'month') and change(mau, '30d') --------------------------------------


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
    if day.day < 28:  # never a month's last day, and every month has it
        return dt.date(year, month + 1, day.day)
    last = days_in_month(year, month + 1)
    if day.day == days_in_month(day.year, day.month):
        return dt.date(year, month + 1, last)
    return dt.date(year, month + 1, min(day.day, last))


# --- checks ---------------------------------------------------------------------------------


def _check_metric_first(call: Call) -> None:
    if not isinstance(call.args[0], Ref):
        raise FormulaError(f"{call.name}() takes a metric id first", call.column)


def _check_period(call: Call) -> None:
    _check_metric_first(call)
    period = call.args[1]
    if not isinstance(period, Str):
        raise FormulaError(f"{call.name}() takes a period in quotes, e.g. 'month'", call.column)
    parse_period_text(period.value, call.column)


def _check_optional_window(call: Call) -> None:
    if not is_windowed(call):
        return
    _check_metric_first(call)
    window = call.args[1]
    assert isinstance(window, Str)
    try:
        parse_window(window.value)
    except ValueError as exc:
        raise FormulaError(str(exc), call.column) from None


def _check_window(call: Call) -> None:
    if not is_windowed(call):
        raise FormulaError(
            f"{call.name}() takes a metric id and a window, e.g. {call.name}(signups, 'month')",
            call.column,
        )
    _check_optional_window(call)


def _check_date(call: Call) -> None:
    _check_metric_first(call)
    when = call.args[1]
    if not isinstance(when, Str):
        raise FormulaError("at() takes a date in quotes, e.g. at(mrr, '2025-12')", call.column)
    try:
        parse_period(when.value)
    except ValueError as exc:
        raise FormulaError(str(exc), call.column) from None


def _check_target(call: Call) -> None:
    if not all(isinstance(arg, Str) for arg in call.args):
        raise FormulaError(
            f"{call.name}() takes a goal id and a metric id in quotes, e.g. "
            f"{call.name}('grow-revenue', 'mrr')",
            call.column,
        )


def _check_goal(call: Call) -> None:
    if not isinstance(call.args[0], Str):
        raise FormulaError("status() takes a goal id in quotes", call.column)


# --- evaluators -----------------------------------------------------------------------------


def _numbers(numeric: Numeric) -> Evaluate:
    """The evaluator of a numeric function: its arguments as numbers, then the function."""

    def evaluate(context: Context, call: Call) -> object:
        args = [context.number(context.run(arg)) for arg in call.args]
        if MISSING in args:
            return MISSING
        try:
            return numeric([a for a in args if isinstance(a, float)])
        except NoValue as exc:
            return context.miss(str(exc))

    return evaluate


def _window_read(context: Context, call: Call) -> list[float | str]:
    """The values observed in a call's window, which ends at the evaluation date."""
    ref, window = call.args
    assert isinstance(ref, Ref) and isinstance(window, Str)
    end = context.data.as_of
    return context.data.window(ref.metric, parse_window(window.value).start(end), end)


def _window(aggregate: Numeric, empty: float | None = None) -> Evaluate:
    """The evaluator of f(metric, 'window'): aggregate over the values in the window; empty
    when it holds none (None: no value)."""

    def evaluate(context: Context, call: Call) -> object:
        if not is_windowed(call):  # reached only by a formula that skipped check()
            return context.miss(f"{call.name}() takes a metric id and a window")
        numbers = [context.number(v) for v in _window_read(context, call)]
        if MISSING in numbers:
            return MISSING
        if numbers:
            return context.number(aggregate([n for n in numbers if isinstance(n, float)]))
        if empty is not None:
            return empty
        ref, window = call.args
        assert isinstance(ref, Ref) and isinstance(window, Str)
        return context.miss(f"no value for {ref.metric} in {window.value!r}")

    return evaluate


def _count(context: Context, call: Call) -> object:
    """count(metric, 'window'): how many values, whatever they are."""
    if not is_windowed(call):  # reached only by a formula that skipped check()
        return context.miss("count() takes a metric id and a window")
    return float(len(_window_read(context, call)))


def _window_or_numbers(numeric: Numeric) -> Evaluate:
    """min and max: of the values in a window, or of their arguments."""
    windowed, numbers = _window(numeric), _numbers(numeric)

    def evaluate(context: Context, call: Call) -> object:
        return windowed(context, call) if is_windowed(call) else numbers(context, call)

    return evaluate


def _least(numbers: list[float]) -> float:
    return min(numbers)


def _most(numbers: list[float]) -> float:
    return max(numbers)


def _total(numbers: list[float]) -> float:
    return sum(numbers)


def _mean(numbers: list[float]) -> float:
    return sum(numbers) / len(numbers)


def _absolute(numbers: list[float]) -> float:
    return abs(numbers[0])


def _rounded(numbers: list[float]) -> float:
    digits = int(numbers[1]) if len(numbers) > 1 else 0
    if not 0 <= digits <= ROUND_DIGITS:
        raise NoValue(f"round() takes 0 to {ROUND_DIGITS} digits")
    return float(round(numbers[0], digits))


def _as_of(context: Context, call: Call) -> object:
    return context.data.as_of


def _at(context: Context, call: Call) -> object:
    ref, when = call.args
    assert isinstance(ref, Ref) and isinstance(when, Str)
    found = context.data.at(ref.metric, parse_period(when.value).last)
    if found is None:
        return context.miss(f"no value for {ref.metric} on or before {when.value}")
    return found[0]


def _goal_and_metric(call: Call) -> tuple[str, str]:
    goal_id, metric = (arg.value for arg in call.args if isinstance(arg, Str))
    return goal_id, metric


def _plan(context: Context, call: Call) -> object:
    """plan('goal', 'metric'): the value its pace expects now; progress(...): its progress.
    The target is the goal's first of that metric."""
    goal_id, metric = _goal_and_metric(call)
    planned = context.data.plan(goal_id, metric)
    if planned is None:
        return context.miss(f"no target of {metric!r} in goal {goal_id!r}")
    value = planned[0] if call.name == "plan" else planned[1]
    if value is None:
        return context.miss(f"no {call.name} for {goal_id}/{metric}")
    return value


def _reach(context: Context, call: Call) -> object:
    """eta('goal', 'metric'): the date the target's forecast reaches it; slack(...): its due
    minus that date, in days. The target is the goal's first of that metric, as for plan()."""
    goal_id, metric = _goal_and_metric(call)
    found = context.data.reach(goal_id, metric)
    if found is None:
        return context.miss(f"no target of {metric!r} in goal {goal_id!r}")
    if found.eta is None or found.slack_days is None:
        return context.miss(f"no {call.name} for {goal_id}/{metric}: {found.reason}")
    return found.eta if call.name == "eta" else float(found.slack_days)


def _status(context: Context, call: Call) -> object:
    wanted = context.run(call.args[0])
    status = context.data.goal_status(str(wanted))
    return context.miss(f"no goal {wanted!r}") if status is None else status


def _history(context: Context, call: Call) -> object:
    """growth(m, 'period'), change(m, 'period') and prev(m): the latest value against an
    earlier one."""
    ref = call.args[0]
    assert isinstance(ref, Ref)
    metric = ref.metric
    latest = context.read(metric, None)
    if latest is None:
        return context.miss(f"no value for {metric}")
    if call.name == "prev":
        before = context.data.before_latest(metric)
        if before is None:
            return context.miss(f"no earlier value for {metric}")
        return before[0]
    period = call.args[1]
    assert isinstance(period, Str)
    earlier = context.data.at(metric, step_back(latest[1], period.value))
    if earlier is None:
        return context.miss(f"no value for {metric} a {period.value} before {latest[1]}")
    now, then = context.number(latest[0]), context.number(earlier[0])
    if now is MISSING or then is MISSING:
        return MISSING
    assert isinstance(now, float) and isinstance(then, float)
    if call.name == "change":
        return context.number(now - then)
    if then == 0:
        return context.miss(f"division by zero: {metric} was 0 a {period.value} before")
    return context.number(now / then - 1)


# --- the table --------------------------------------------------------------------------------


def _over_numbers(fewest: int, most: int, numeric: Numeric, windowed: bool = False) -> Function:
    """A function of numbers: round(x, 2); windowed, of a metric's values too: min(x, 'month')."""
    if windowed:
        evaluate = _window_or_numbers(numeric)
        return Function(fewest, most, evaluate, _check_optional_window, _metric_argument, numeric)
    return Function(fewest, most, _numbers(numeric), numeric=numeric)


FUNCTIONS: dict[str, Function] = {
    "growth": Function(2, 2, _history, check=_check_period, operands=_metric_argument),
    "change": Function(2, 2, _history, check=_check_period, operands=_metric_argument),
    "prev": Function(1, 1, _history, check=_check_metric_first),
    "min": _over_numbers(1, 32, _least, windowed=True),
    "max": _over_numbers(1, 32, _most, windowed=True),
    "abs": _over_numbers(1, 1, _absolute),
    "round": _over_numbers(1, 2, _rounded),
    "status": Function(1, 1, _status, check=_check_goal, condition_only=True),
    "sum": Function(2, 2, _window(_total, 0.0), check=_check_window, operands=_metric_argument),
    "mean": Function(2, 2, _window(_mean), check=_check_window, operands=_metric_argument),
    "count": Function(2, 2, _count, check=_check_window, operands=_metric_argument),
    "at": Function(2, 2, _at, check=_check_date, operands=_metric_argument),
    "plan": Function(2, 2, _plan, _check_target, _no_argument, condition_only=True),
    "progress": Function(2, 2, _plan, _check_target, _no_argument, condition_only=True),
    "as_of": Function(0, 0, _as_of),
    "eta": Function(2, 2, _reach, _check_target, _no_argument, condition_only=True),
    "slack": Function(2, 2, _reach, _check_target, _no_argument, condition_only=True),
}
