"""Checking a parsed formula against the ledger's metrics: unknown metrics and functions, calls
that do not fit their function (formula.functions), and comparisons where a number is due."""

from __future__ import annotations

from collections.abc import Callable

from smartgoals.formula.functions import FUNCTIONS
from smartgoals.formula.syntax import Binary, Call, FormulaError, Items, Node, Ref, Str, Unary

BOOLEAN_OPS = {"<", "<=", ">", ">=", "==", "!=", "and", "or", "in", "notin"}


def is_condition(node: Node) -> bool:
    """True for a node that yields true or false."""
    if isinstance(node, Unary):
        return node.op == "not"
    return isinstance(node, Binary) and node.op in BOOLEAN_OPS


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
            stack.extend(reversed(check_call(item, condition, suggest)))
        elif isinstance(item, Unary):
            if item.op == "not" and not condition:
                raise FormulaError("not belongs in a risk's when, not in a formula")
            stack.append(item.operand)
        elif isinstance(item, Binary):
            if item.op in BOOLEAN_OPS and not condition:
                raise FormulaError(
                    f"{item.op!r} compares; a formula computes a number (conditions belong in "
                    "a risk's when)"
                )
            stack.extend((item.right, item.left))
        elif isinstance(item, Items):
            stack.extend(reversed(item.items))
        elif isinstance(item, Str) and not condition:
            raise FormulaError(f"text {item.value!r} in a formula")


def check_call(
    call: Call, condition: bool, suggest: Callable[[str, set[str]], str]
) -> tuple[Node, ...]:
    """Raise FormulaError unless the call fits its function; return the arguments to check as
    formulas in their own right."""
    function = FUNCTIONS.get(call.name)
    if function is None:
        hint = suggest(call.name, set(FUNCTIONS))
        raise FormulaError(f"unknown function {call.name!r}{hint}", call.column)
    if not function.fewest <= len(call.args) <= function.most:
        fewest, most = function.fewest, function.most
        wanted = str(fewest) if fewest == most else f"{fewest} to {most}"
        raise FormulaError(f"{call.name}() takes {wanted} argument(s)", call.column)
    if function.condition_only and not condition:
        raise FormulaError(f"{call.name}() belongs in a risk's when, not in a formula", call.column)
    function.check(call)
    return function.operands(call)
