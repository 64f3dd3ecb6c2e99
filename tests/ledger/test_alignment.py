"""ledger/alignment.py: contributes_to: as written, and its cross-checks."""

from __future__ import annotations

import pytest

from smartgoals.ledger.alignment import listed_ids
from tests.conftest import ledger_from_strings


@pytest.mark.parametrize(
    ("written", "ids"),
    [(None, ()), ("vision", ("vision",)), (["a", "b", "a"], ("a", "b"))],
)
def test_listed_ids(written: str | list[str] | None, ids: tuple[str, ...]) -> None:
    assert listed_ids(written) == ids


def test_a_two_goal_cycle_is_reported_once_and_the_rest_kept() -> None:
    text = """
metrics:
  m: {name: M}
goals:
  - {id: a, title: A, contributes_to: [b, c], targets: [{metric: m, target: 1}]}
  - {id: b, title: B, contributes_to: a, targets: [{metric: m, target: 1}]}
  - {id: c, title: C, targets: [{metric: m, target: 1}]}
"""
    ledger = ledger_from_strings(text)
    assert [str(p) for p in ledger.problems] == [
        # walking from a (the first goal), b's link back to a closes the cycle: it is dropped
        "goals/goals.yaml:6:23: b.contributes_to: goals contribute to each other: a -> b -> a"
    ]
    assert [g.contributes_to for g in ledger.goals] == [("b", "c"), (), ()]
