"""A sparkline: a series of values as one line of block characters, for a narrow column.

The rules
---------

- Only the last ``width`` values are drawn, one character each, oldest first; fewer values
  give a shorter line (the caller aligns it). ``width <= 0`` gives ``""``.
- Each value is scaled between the smallest and the largest value drawn: the smallest is the
  lowest block, the largest the highest, the rest rounded to the nearest level.
- A flat series (every value drawn is the same) is drawn in the middle row.
- ``None``, NaN and infinities (no value) are drawn as a space and do not count for the scale.
- The same values always give the same line.
- Unicode: eight levels ``▁▂▃▄▅▆▇█`` (the middle row is ``▄``). ``ascii=True`` (an output
  encoding that is not UTF-8): five levels ``_.-=^`` (the middle row is ``-``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
ASCII_LEVELS = "_.-=^"


def sparkline(values: Sequence[float | None], width: int = 12, ascii: bool = False) -> str:
    """The last ``width`` values as a line of ``len(values[-width:])`` characters (see the
    module docstring for the rules)."""
    if width <= 0:
        return ""
    levels = ASCII_LEVELS if ascii else BLOCKS
    drawn = [v if v is not None and math.isfinite(v) else None for v in list(values)[-width:]]
    known = [v for v in drawn if v is not None]
    if not known:
        return " " * len(drawn)
    low, high = min(known), max(known)
    top = len(levels) - 1
    chars = []
    for value in drawn:
        if value is None:
            chars.append(" ")
        elif high == low:
            chars.append(levels[(len(levels) - 1) // 2])
        else:
            # halves first, so that -1e308..1e308 does not overflow to infinity
            level = round((value / 2 - low / 2) / (high / 2 - low / 2) * top)
            chars.append(levels[min(max(level, 0), top)])
    return "".join(chars)


__all__ = ["ASCII_LEVELS", "BLOCKS", "sparkline"]
