"""ops.py: one table of comparison operators for targets, formulas and risk conditions."""

from __future__ import annotations

import pytest

from smartgoals.ops import ALIASES, COMPARISONS, TARGET_OPS


@pytest.mark.parametrize(
    ("op", "left", "right", "result"),
    [
        (">=", 5, 5, True),
        (">=", 4.999, 5, False),
        (">", 5, 5, False),
        ("<=", 5, 5, True),
        ("<", 5, 5, False),
        ("<", 4, 5, True),
        ("==", 5, 5.0, True),
        ("!=", 5, 5, False),
    ],
)
def test_comparisons(op: str, left: float, right: float, result: bool) -> None:
    assert COMPARISONS[op](left, right) is result


def test_every_target_op_is_a_comparison_and_every_alias_a_target_op() -> None:
    assert set(TARGET_OPS) <= set(COMPARISONS)
    assert all(key == value for key, value in TARGET_OPS.items())
    assert "!=" not in TARGET_OPS  # a target never asks for "anything but"
    assert {alias: TARGET_OPS[op] for alias, op in ALIASES.items()} == {
        "=": "==",
        "≥": ">=",
        "≤": "<=",
    }
