"""A page of a series' notes and line numbers in the journal cache, as bytes.

A page is written once per cold read and read only by the commands that show rows (`history`,
`export`, `show`'s rows): at 1M rows a pickle of every page took 0.09 s to write, after 0.04 s
making equal notes one object so that the pickle would hold each once. Instead a page is the
line numbers as one packed array of native integers (an entry is read where it was written),
then the notes as UTF-8 joined by NUL: both built and read in C, a few milliseconds per
million rows. A note holding a NUL (no journal row gives one: the row reader reports the
byte) or a number no machine integer holds makes its page a pickle, marked as such.
"""

from __future__ import annotations

import pickle
from array import array
from typing import Any

_PACKED, _PICKLED = b"A", b"P"
_SEPARATOR = "\x00"


def pack_rows(notes: list[str], lines: list[int]) -> bytes:
    """One page: notes and lines (as many of each) as bytes for unpack_rows."""
    text = _SEPARATOR.join(notes)
    if text.count(_SEPARATOR) == len(notes) - 1 or not notes:  # no note holds the separator
        try:
            packed = array("q", lines).tobytes()
        except OverflowError:
            pass
        else:
            return _PACKED + packed + text.encode("utf-8", "surrogatepass")
    return _PICKLED + pickle.dumps((notes, lines), protocol=5)


def unpack_rows(data: bytes, count: int, unpickle: Any) -> tuple[list[Any], list[Any]]:
    """pack_rows' page of count rows; ValueError when the bytes are not such a page (a pickled
    one is read by unpickle, which allows no class; the caller checks its types)."""
    tag, body = data[:1], memoryview(data)[1:]
    if tag == _PICKLED:
        notes, lines = unpickle(body)
        return notes, lines
    if tag != _PACKED or len(body) < 8 * count:
        raise ValueError("not a page of rows")
    numbers = array("q")
    numbers.frombytes(body[: 8 * count])
    notes = str(body[8 * count :], "utf-8", "surrogatepass").split(_SEPARATOR) if count else []
    if len(notes) != count:
        raise ValueError("not a page of rows")
    return notes, numbers.tolist()
