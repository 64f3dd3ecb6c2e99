"""A CSV or JSON file read into rows of text cells, each with its row number, for the columns
the rules name."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from smartgoals.errors import Problem

JSON_DEPTH = 64  # arrays and objects inside each other; real exports nest a handful deep
TOO_DEEP = f"nested deeper than {JSON_DEPTH} levels (the limit for JSON files)"


def load_json(text: str) -> Any:
    """The parsed document; ValueError(TOO_DEEP) when it nests deeper than JSON_DEPTH (json's
    own recursion would end in a RecursionError at about a thousand levels)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    pending: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, dict | list) else []
    while pending:  # iterative: a walk by recursion would have the same limit as json's
        value, depth = pending.pop()
        if depth > JSON_DEPTH:
            raise ValueError(TOO_DEEP)
        inner = value.values() if isinstance(value, dict) else value
        pending.extend((item, depth + 1) for item in inner if isinstance(item, dict | list))
    return data


class Table(NamedTuple):
    columns: tuple[str, ...]
    rows: list[tuple[int, Sequence[str]]]  # (row number: a CSV line, a JSON record's 1-based index)


def read_table(
    data: bytes, rel: str, fmt: str, delimiter: str, records: str | None, wanted: Sequence[str]
) -> tuple[Table | None, list[Problem]]:
    """The file's rows, or the problem that makes it unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(rel, line, 0, f"not UTF-8 text ({exc.reason})")]
    if fmt == "json":
        return _json_table(text, rel, records, wanted)
    return _csv_table(text, rel, delimiter)


def _csv_table(text: str, rel: str, delimiter: str) -> tuple[Table | None, list[Problem]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, Sequence[str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            return None, [Problem(rel, 0, 0, "the file is empty (no header line)")]
        columns = tuple(name.strip() for name in header)
        for row in reader:
            if not row or not "".join(row).strip():  # a blank line, or only separators
                continue
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        return None, [Problem(rel, reader.line_num, 0, f"malformed CSV: {exc}")]
    return Table(columns, rows), []


def _json_table(
    text: str, rel: str, records: str | None, wanted: Sequence[str]
) -> tuple[Table | None, list[Problem]]:
    try:
        data = load_json(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(rel, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]
    except ValueError as exc:
        return None, [Problem(rel, 1, 0, str(exc))]
    if records:
        found, missing = locate(data, records)
        if missing:
            return None, [Problem(rel, 0, 0, f"records: {missing}")]
        data = found
    if not isinstance(data, list):
        return None, [Problem(rel, 0, 0, "expected a list of records (set records: in the rules)")]
    columns = tuple(dict.fromkeys(wanted))
    rows: list[tuple[int, Sequence[str]]] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            problems.append(Problem(rel, index, 0, "record is not an object"))
            continue
        seen.update(record)
        rows.append((index, [_cell(record.get(name)) for name in columns]))
    present = tuple(name for name in columns if name in seen or not data)
    return Table(present if rows else columns, rows), problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value)


def locate(data: Any, where: str) -> tuple[Any, str]:
    """The value at a JSON Pointer (/a/0/b, RFC 6901) or a dotted path (a.0.b); (None, why)
    when it is not there."""
    if where.startswith("/"):
        parts = [p.replace("~1", "/").replace("~0", "~") for p in where[1:].split("/")]
    else:
        parts = where.split(".")
    current = data
    for depth, part in enumerate(parts):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            shown = "/".join(parts[: depth + 1])
            return None, f"{where!r} is not in the file (nothing at {shown!r})"
    return current, ""
