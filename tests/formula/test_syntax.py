"""formula.syntax: the parser's errors with their columns, and the walks over a tree."""

from __future__ import annotations

import pytest

from smartgoals.formula.syntax import Binary, Call, FormulaError, goal_references, parse, references


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("1 +", "expected a number, metric or (, found 'the end'", 4),
        ("(1 + 2", "expected ')', found 'the end'", 7),
        ("mau $ 2", "unexpected character '$'", 5),
        ("mau.__class__", "unexpected character '.'", 4),
        ("1 < 2 < 3", "chained comparisons are not supported", 7),
        ("mau mau", "unexpected 'mau'", 5),
        ("", "empty formula", 1),
        ("1e999", "number 1e999 is too large", 1),
    ],
)
def test_syntax_errors_have_a_column(text: str, message: str, column: int) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.column == column


def test_references_name_the_metrics_and_the_goals_a_formula_reads() -> None:
    node = parse("dau / mau > 0.2 and status('launch') == 'off_track' or growth(mau, 'month') > 0")
    assert references(node) == {"dau", "mau"}
    assert goal_references(node) == [("launch", 21)]


def test_as_of_without_parentheses_is_the_call() -> None:
    node = parse("as_of >= '2026-Q1'")
    assert isinstance(node, Binary)
    assert node.left == Call("as_of", (), "as_of", 1)


def test_a_chain_longer_than_the_tree_limit_is_refused() -> None:
    with pytest.raises(FormulaError, match="split it into derived metrics"):
        parse(" + ".join(["1"] * 250))
