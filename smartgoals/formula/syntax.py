"""The formula language's syntax: tokens, the tree of nodes, the whitelist parser, and the walks
that read a tree (the metrics and goals it refers to). Nothing is ever passed to eval; names are
metric ids, calls name the functions of formula.functions.

    dau / mau * 100
    growth(mau, 'month') * 100
    mau_growth < 15 or retention_d30 < 50
    status('early-adopters') in ('off_track', 'missed')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TypeAlias

from smartgoals.lazyre import lazy
from smartgoals.record import Record

MAX_LENGTH = 2_000  # characters in one formula
MAX_DEPTH = 40  # nesting of parentheses and operators
# depth of the parsed tree: a chain a + b + c ... is one level per operator; this bounds every
# walk over a tree (the evaluator recurses two frames a level) far below Python's stack limit
MAX_TREE_DEPTH = 200
MAX_MAGNITUDE = 1e18  # any larger intermediate value is "no value", never a crash
_TOKEN = lazy(
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


class Num(Record):
    value: float


class Str(Record):
    value: str


class Ref(Record):
    metric: str
    column: int


class Call(Record):
    name: str
    args: tuple[Node, ...]
    text: str  # as written, for reports: growth(mau, 'month')
    column: int


class Unary(Record):
    op: str  # "-" or "not"
    operand: Node


class Binary(Record):
    op: str  # + - * / ** < <= > >= == != and or in notin
    left: Node
    right: Node


class Items(Record):
    items: tuple[Node, ...]


Node: TypeAlias = Num | Str | Ref | Call | Unary | Binary | Items


# --- parsing --------------------------------------------------------------------------------


class _Token(Record):
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


# --- reading a tree -------------------------------------------------------------------------


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
