"""Did-you-mean hints for ids and keys (difflib is imported only on these error paths)."""

from __future__ import annotations

from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to word, ignoring case (`MRR` -> `mrr`); None when none is close or
    word is itself a choice (a hint never suggests the very word written)."""
    import difflib

    options = list(choices)
    if word in options:
        return None
    folded: dict[str, str] = {}
    for choice in options:
        folded.setdefault(choice.casefold(), choice)
    key = word.casefold()
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = nearest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""
