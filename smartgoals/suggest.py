"""Did-you-mean hints for ids and keys (difflib is imported only on these error paths)."""

from __future__ import annotations

from collections.abc import Iterable


def same_text(text: str) -> str:
    """Text as people see it: `é` typed as one character or as `e` and an accent (how macOS
    names files, some keyboards, copied text) is the same: Unicode NFC. ASCII is its own NFC:
    unicodedata is loaded only for other text (a status sorts every goal's area by it)."""
    if text.isascii():
        return text
    import unicodedata

    return unicodedata.normalize("NFC", text)


def name_key(text: str) -> str:
    """How names compare where case does not matter (areas, owners): NFC, then casefold (and
    NFC again: casefolding can take a character apart)."""
    return same_text(same_text(text).casefold())


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to word, ignoring case (`MRR` -> `mrr`) and Unicode normalization;
    None when none is close or word is itself a choice (a hint never suggests the very word
    written)."""
    import difflib

    options = list(choices)
    if same_text(word) in {same_text(choice) for choice in options}:
        return None
    folded: dict[str, str] = {}
    for choice in options:
        folded.setdefault(name_key(choice), choice)
    key = name_key(word)
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def suggest(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close match exists, else ''."""
    close = nearest(word, choices)
    return f" (did you mean {close!r}?)" if close else ""
