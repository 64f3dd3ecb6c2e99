"""Comparison operators: one table for targets (`>= 5k`) and for formulas and risk conditions."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Final, Literal

# What a target may say: a comparison, or ".." for a range "low..high".
TargetOp = Literal[">=", ">", "<=", "<", "==", ".."]
Direction = Literal["up", "down"]

COMPARISONS: Final[dict[str, Callable[[float, float], bool]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
# Each comparison a target may use, as its typed literal.
TARGET_OPS: Final[dict[str, TargetOp]] = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "==": "=="}
# How people may write them in a target: `=` and the Unicode signs are accepted as aliases.
ALIASES: Final[dict[str, str]] = {"=": "==", "≥": ">=", "≤": "<="}
