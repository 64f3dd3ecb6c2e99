"""Text that is safe to print to a terminal: user text and file names can carry escape codes.

A goal title, a journal note, a metric id typed on the command line or a file name may hold
ANSI escape sequences (colours, cursor moves, an OSC 52 write to the clipboard, an OSC 8 link),
carriage returns that overwrite what was printed, or line breaks that forge a second message.
`clean` makes every such character visible instead of letting the terminal act on it.
"""

from __future__ import annotations

import re

from smartgoals.lazyre import lazy

# C0 controls (tab, newline, carriage return and ESC included), DEL, C1 controls (U+0080-U+009F:
# CSI, OSC, NEL, ST in their 8-bit forms), the Unicode line and paragraph separators, and the
# bidirectional overrides and isolates that reorder what is shown ("Trojan source").
_UNSAFE = lazy("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """text with every control character shown as a visible escape, and nothing else changed.

    Newline, carriage return and tab become the two characters `\\n`, `\\r`, `\\t`; any other
    C0 or C1 control and DEL becomes `\\xNN` (ESC is `\\x1b`, so `ESC [31m` prints as the
    harmless text `\\x1b[31m` and an OSC 52 clipboard write as `\\x1b]52;c;...\\x07`); the line
    and paragraph separators and the bidirectional overrides become `\\uNNNN`. Printable
    Unicode (accents, CJK, emoji, right-to-left scripts) is kept as it is. When there is
    nothing to change, the same string object is returned, so the common case costs one scan.
    """
    if text.isprintable():  # every unsafe character is a control, separator or format one
        return text
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_visible, text)
