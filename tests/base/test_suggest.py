"""suggest.py: did-you-mean hints for ids and keys."""

from __future__ import annotations

import pytest

from smartgoals.suggest import nearest, same_text, suggest

IDS = ["mrr", "mau", "churn_rate", "cash"]


@pytest.mark.parametrize(
    ("word", "close"),
    [
        ("MRR", "mrr"),  # case only
        ("mrx", "mrr"),
        ("churn-rate", "churn_rate"),
        ("cahs", "cash"),
        ("mrr", None),  # the very word written is never suggested
        ("zzzzzz", None),  # nothing close
        ("", None),
    ],
)
def test_nearest(word: str, close: str | None) -> None:
    assert nearest(word, IDS) == close


def test_nearest_keeps_the_first_spelling_of_a_case_folded_choice() -> None:
    assert nearest("REVENUE", ["Revenue", "revenue"]) == "Revenue"
    assert nearest("revenue", ["Revenue", "revenue"]) is None


def test_nearest_takes_any_iterable_once() -> None:
    assert nearest("mrx", iter(IDS)) == "mrr"
    assert nearest("mrx", {"mrr": 1}) == "mrr"


def test_suggest() -> None:
    assert suggest("mrx", IDS) == " (did you mean 'mrr'?)"
    assert suggest("zzzzzz", IDS) == ""
    assert suggest("x", []) == ""


def test_same_text_is_nfc_and_leaves_ascii_alone() -> None:
    assert same_text("Growth & Sales") == "Growth & Sales"
    assert same_text("Cafe\u0301") == "Caf\u00e9" == same_text("Caf\u00e9")
    assert same_text("") == ""
