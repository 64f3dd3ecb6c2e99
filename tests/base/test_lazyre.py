"""lazyre.lazy: a pattern compiled on first use behaves as re.compile's."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from smartgoals.lazyre import _METHODS, lazy

PATTERNS = [
    (r"^(\d{4})-(\d{1,2})-(\d{1,2})$", 0),
    (r"^(?:(\d{4})[- ]?Q([1-4])|Q([1-4])[- ]?(\d{4}))$", re.IGNORECASE),
    (r"\s*(?P<num>\d+(?:\.\d*)?)\s*(?P<op>[-+*/])?", re.VERBOSE),
]


def test_nothing_is_compiled_before_first_use() -> None:
    pattern = lazy(r"[")  # an invalid pattern: compiling it would raise here
    assert pattern.pattern == "["
    try:
        pattern.match("x")
    except re.error:
        pass
    else:  # pragma: no cover - the assertion below reports it
        raise AssertionError("an invalid pattern compiled")


def test_methods_are_the_compiled_patterns_after_first_use() -> None:
    pattern = lazy(r"a+")
    assert pattern.search("baa") is not None
    compiled = re.compile(r"a+")
    for method in _METHODS:
        bound = getattr(pattern, method)
        assert bound.__self__ == compiled  # the compiled pattern's own method, no wrapper
    assert pattern.groups == 0  # any other attribute of the compiled pattern


@given(st.text(alphabet="0123456789-Qq qH.+*/ab", max_size=14))
def test_same_results_as_re_compile(text: str) -> None:
    for source, flags in PATTERNS:
        lazily, eagerly = lazy(source, flags), re.compile(source, flags)
        for method in ("match", "fullmatch", "search"):
            found, expected = getattr(lazily, method)(text), getattr(eagerly, method)(text)
            assert (found and found.groups()) == (expected and expected.groups())
        assert lazily.sub("_", text) == eagerly.sub("_", text)
        assert lazily.findall(text) == eagerly.findall(text)
        assert lazily.split(text) == eagerly.split(text)
