"""formula.check: unknown names, calls that do not fit their function, conditions in formulas."""

from __future__ import annotations

import pytest

from smartgoals.formula.check import check, is_condition
from smartgoals.formula.syntax import FormulaError, parse


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("().__class__", "unexpected character '.'"),
        ("eval('1')", "unknown function 'eval'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("mua * 2", "unknown metric 'mua' (did you mean 'mau'?)"),
        ("growth(mau, 'fortnight')", "unknown period 'fortnight'"),
        ("growth(2, 'month')", "growth() takes a metric id first"),
        ("growth(mau)", "growth() takes 2 argument(s)"),
        ("mau > 2", "'>' compares; a formula computes a number"),
        ("status('x')", "status() belongs in a risk's when"),
    ],
)
def test_hostile_or_wrong_formulas_are_rejected(text: str, message: str) -> None:
    def suggest(word: str, choices: set[str]) -> str:
        return " (did you mean 'mau'?)" if word == "mua" else ""

    with pytest.raises(FormulaError) as caught:
        check(parse(text), {"mau", "dau"}, condition=False, suggest=suggest)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sum(mau)", "sum() takes 2 argument(s)"),
        ("min()", "min() takes 1 to 32 argument(s)"),
        ("sum(mau, 3) > 1", "sum() takes a metric id and a window, e.g. sum(signups, 'month')"),
        ("mean(2, 'month') > 1", "mean() takes a metric id first"),
        ("count(mau, 'fortnight') > 1", "'fortnight' is not a window"),
        ("min(mau, 'fortnight') > 1", "'fortnight' is not a window"),
        ("at(mau, 2) > 1", "at() takes a date in quotes, e.g. at(mrr, '2025-12')"),
        ("prev(2) > 1", "prev() takes a metric id first"),
        ("growth(mau, 3) > 1", "growth() takes a period in quotes, e.g. 'month'"),
        ("growth(mua, 'month') > 1", "unknown metric 'mua'"),
        ("eta('g', mau) < '2026'", "eta() takes a goal id and a metric id in quotes"),
        ("status(mau) == 'missed'", "status() takes a goal id in quotes"),
        ("nope(mau) > 1", "unknown function 'nope'"),
    ],
)
def test_calls_that_do_not_fit_their_function_are_rejected(text: str, message: str) -> None:
    with pytest.raises(FormulaError) as caught:
        check(parse(text), {"mau"}, condition=True)
    assert message in caught.value.message
    assert caught.value.column >= 1


@pytest.mark.parametrize(
    "text",
    [
        "min(mau, 'month') + max(mau, 1) + round(mau, 2) + abs(mau) + sum(mau, '90d') > 1",
        "growth(mau, '30d') > change(mau, 'year') and prev(mau) > at(mau, '2025-12')",
        "plan('any-goal', 'any-metric') > progress('g', 'm') and slack('g', 'm') < 0",
        "eta('g', 'm') > '2026-Q3' and as_of >= '2026-01' and status('g') in ('missed',)",
    ],
)
def test_every_function_passes_in_a_condition(text: str) -> None:
    check(parse(text), {"mau"}, condition=True)


@pytest.mark.parametrize("name", ["plan", "progress", "eta", "slack"])
def test_target_functions_belong_in_a_risk(name: str) -> None:
    with pytest.raises(FormulaError, match=rf"{name}\(\) belongs in a risk's when"):
        check(parse(f"{name}('g', 'mau') * 2"), {"mau"}, condition=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("a < 1", True), ("not a", True), ("a in (1, 2)", True), ("a + 1", False), ("-a", False)],
)
def test_is_condition(text: str, expected: bool) -> None:
    assert is_condition(parse(text)) is expected
