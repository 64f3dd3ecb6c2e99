"""Styled lines written with ANSI escape codes directly, without Rich.

The status table in a colour terminal is a grid whose every column width and every cut is
already decided by rendering/layout.py; drawing it with ``rich.table.Table`` made Rich measure
every cell again (about 0.2 s on the demo, more than the whole piped run), and importing Rich's
console costs about 40 ms more. Here a line is a list of spans ``(text, style)``, where a style
is a few words of Rich's style language that this module knows (``bold``, ``dim``,
``underline``, ``italic`` and the eight standard colours; any other word is ignored), and a
painted line is the spans' text, each styled span between its SGR code and a reset, exactly
as Rich writes them for these styles.

Every span's text goes through ``safetext.clean`` when painted: user text (titles, names,
notes) can carry escape sequences, and here nothing stands between it and the terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from smartgoals.safetext import clean

Span = tuple[str, str]

SGR = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "underline": "4",
    "black": "30",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
}
RESET = "\x1b[0m"
_CODES: dict[str, str] = {}


def sgr(style: str) -> str:
    """The escape sequence that starts ``style`` ("" for no style)."""
    code = _CODES.get(style)
    if code is None:
        numbers = ";".join(SGR[word] for word in style.split() if word in SGR)
        code = _CODES[style] = f"\x1b[{numbers}m" if numbers else ""
    return code


def paint(spans: Iterable[Span]) -> str:
    """The spans as one string: each text made safe, a styled one between its code and a
    reset."""
    parts = []
    for text, style in spans:
        if not text:
            continue
        code = sgr(style) if style else ""
        parts.append(f"{code}{clean(text)}{RESET}" if code else clean(text))
    return "".join(parts)


def cut(spans: Sequence[Span], kept: int) -> list[Span]:
    """The first ``kept`` characters of the spans, styles kept."""
    out: list[Span] = []
    for text, style in spans:
        if kept <= 0:
            break
        out.append((text[:kept], style))
        kept -= len(text)
    return out


class Painted:
    """Lines already painted and made safe: rendering.emit writes them as they are."""

    __slots__ = ("lines",)

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = list(lines)

    def ansi(self) -> str:
        return "\n".join(self.lines)


__all__ = ["RESET", "SGR", "Painted", "Span", "cut", "paint", "sgr"]
