"""A JSON document read a record at a time: one pass checks the whole text (syntax, depth) and
finds the list of records, holding one record at a time; a second hands the records out again.
json.loads would hold every record at once, about six times the text's size."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

JSON_DEPTH = 64  # arrays and objects inside each other; real exports nest a handful deep
TOO_DEEP = f"nested deeper than {JSON_DEPTH} levels (the limit for JSON files)"
NOT_A_LIST = "expected a list of records (set records: in the rules)"

_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def load_json(text: str) -> Any:
    """The parsed document; ValueError(TOO_DEEP) when it nests deeper than JSON_DEPTH (json's
    own recursion would end in a RecursionError at about a thousand levels)."""
    return _decode(text, 0, 1, whole=True)[0]


def path_parts(where: str) -> list[str]:
    """A JSON Pointer (/a/0/b, RFC 6901) or a dotted path (a.0.b) as its parts."""
    if where.startswith("/"):
        return [p.replace("~1", "/").replace("~0", "~") for p in where[1:].split("/")]
    return where.split(".")


def missing_message(where: str, parts: Sequence[str], level: int) -> str:
    shown = "/".join(parts[: level + 1])
    return f"{where!r} is not in the file (nothing at {shown!r})"


@dataclass
class Records:
    """The list of records a scan found: where it starts, and what its records hold."""

    start: int  # the offset of its [
    count: int = 0
    keys: set[str] = field(default_factory=set)  # every key some record has
    not_objects: list[int] = field(default_factory=list)  # 1-based indexes

    def add(self, index: int, value: Any) -> None:
        self.count = index
        if isinstance(value, dict):
            self.keys.update(value)
        else:
            self.not_objects.append(index)

    def iterate(self, text: str) -> Iterator[tuple[int, Any]]:
        """(1-based index, record), decoded again one at a time (the scan checked the text)."""
        pos = _space(text, self.start + 1)
        index = 0
        while not text.startswith("]", pos):
            value, pos = _DECODER.raw_decode(text, pos)
            index += 1
            yield index, value
            pos = _space(text, pos)
            if text.startswith(",", pos):
                pos = _space(text, pos + 1)


def scan_records(text: str, records: str | None) -> Records | str:
    """The records at `records` (a pointer or dotted path; None: the top level), or why there
    are none; JSONDecodeError for a text that is not JSON, ValueError(TOO_DEEP)."""
    parts = path_parts(records) if records else []
    end, found = _Scan(text, parts).find(_space(text, 0), 1, 0)
    end = _space(text, end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    if isinstance(found, Records):
        return found
    if found < 0 or records is None:
        return NOT_A_LIST
    return "records: " + missing_message(records, parts, found)


# what find() learnt: the records, the level of the path that is not there, or not a list
_Found = Records | int
_NOT_LIST = -1


class _Scan:
    """A walk over the text: containers on the way to the records are read member by member,
    anything else is decoded (and let go) one array item or object member at a time. A key
    given twice counts as json.loads counts it: the last one."""

    def __init__(self, text: str, parts: Sequence[str]) -> None:
        self.text = text
        self.parts = parts

    def find(self, pos: int, depth: int, level: int) -> tuple[int, _Found]:
        """The end of the value at pos (depth: its depth as a container; level: how much of
        the path leads to it) and what it holds of the records."""
        opening = self.text[pos : pos + 1]
        if level == len(self.parts):
            if opening == "[":
                return self._records(pos, depth)
            return self.skip(pos, depth), _NOT_LIST
        part = self.parts[level]
        found: _Found = level  # not there, unless a member or an item leads on

        def follow(at: int, name: str | int) -> int:
            nonlocal found
            if name != (part if isinstance(name, str) else int(part)):
                return self.skip(at, depth + 1)
            end, found = self.find(at, depth + 1, level + 1)
            return end

        if opening == "{":
            return self._container(pos, depth, "}", follow), found
        if opening == "[" and part.isascii() and part.isdigit():
            return self._container(pos, depth, "]", follow), found
        return self.skip(pos, depth), level

    def skip(self, pos: int, depth: int) -> int:
        """The end of the value at pos, decoded a member or an item at a time."""
        opening = self.text[pos : pos + 1]
        if opening in ("[", "{"):
            close = "]" if opening == "[" else "}"
            return self._container(pos, depth, close, lambda at, _: self.skip(at, depth + 1))
        return _decode(self.text, pos, depth)[1]

    def _records(self, pos: int, depth: int) -> tuple[int, _Found]:
        found = Records(pos)

        def record(at: int, index: str | int) -> int:
            value, end = _decode(self.text, at, depth + 1)
            found.add(int(index) + 1, value)
            return end

        return self._container(pos, depth, "]", record), found

    def _container(
        self, pos: int, depth: int, close: str, item: Callable[[int, str | int], int]
    ) -> int:
        """The end of the array or object at pos; item(position, index or key) reads each
        item or member's value and returns its end."""
        if depth > JSON_DEPTH:
            raise ValueError(TOO_DEEP)
        text = self.text
        pos = _space(text, pos + 1)
        if text.startswith(close, pos):
            return pos + 1
        index = 0
        while True:
            name: str | int = index
            if close == "}":
                if not text.startswith('"', pos):
                    raise json.JSONDecodeError(
                        "Expecting property name enclosed in double quotes", text, pos
                    )
                name, pos = _DECODER.raw_decode(text, pos)  # a string: it starts with "
                pos = _space(text, pos)
                if not text.startswith(":", pos):
                    raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
                pos = _space(text, pos + 1)
            pos = _space(text, item(pos, name))
            if text.startswith(close, pos):
                return pos + 1
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _space(text, pos + 1)
            index += 1


def _space(text: str, pos: int) -> int:
    found = _SPACE.match(text, pos)
    return found.end() if found else pos


def _decode(text: str, pos: int, depth: int, whole: bool = False) -> tuple[Any, int]:
    """The value at pos and its end, no deeper than JSON_DEPTH counting from `depth`."""
    try:
        if whole:
            value, end = json.loads(text), len(text)
        else:
            value, end = _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    pending: list[tuple[Any, int]] = [(value, depth)] if isinstance(value, dict | list) else []
    while pending:  # iterative: a walk by recursion would have the same limit as json's
        inner, level = pending.pop()
        if level > JSON_DEPTH:
            raise ValueError(TOO_DEEP)
        items = inner.values() if isinstance(inner, dict) else inner
        pending.extend((item, level + 1) for item in items if isinstance(item, dict | list))
    return value, end
