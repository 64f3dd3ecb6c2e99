"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs 0.05 to 0.4 ms, and most of a module's patterns serve inputs that a
given run never meets (quarters, ratios, `-3d`); piped `status` used to compile sixteen of them
before it read a byte. `lazy(pattern)` stands for `re.compile(pattern)`: the first call of a
method compiles the pattern and keeps the compiled pattern's bound methods on the object, so
every later call costs what a call on the compiled pattern costs.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer")


class _Lazy:
    __slots__ = ("_compiled", "flags", "pattern", *_METHODS)

    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern
        self.flags = flags

    def __getattr__(self, name: str) -> Any:  # only for what __init__ did not set
        compiled = re.compile(self.pattern, self.flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        self._compiled = compiled
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """re.compile(pattern, flags), compiled on first use."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
