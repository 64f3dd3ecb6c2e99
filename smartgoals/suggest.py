"""Did-you-mean hints for ids and keys (difflib is imported only on these error paths)."""

from __future__ import annotations

from collections.abc import Iterable


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
