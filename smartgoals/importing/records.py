"""A CSV or JSON file read into rows of text cells, each with its row number, for the columns
the rules name. Rows are produced one at a time: a CSV file is read line by line from disk, a
JSON document record by record (streaming.py), so an import holds one copy of its file at most."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.importing.streaming import (
    JSON_DEPTH,
    TOO_DEEP,
    Records,
    load_json,
    missing_message,
    path_parts,
    scan_records,
)

__all__ = ["JSON_DEPTH", "TOO_DEEP", "Table", "UnreadableRowsError", "load_json", "locate"]


class Table(NamedTuple):
    columns: tuple[str, ...]
    # (row number: a CSV line, a JSON record's 1-based index); read_table gives a list,
    # open_table an iterator that reads the file as it goes
    rows: Iterable[tuple[int, Sequence[str]]]


class UnreadableRowsError(Exception):
    """A CSV file turned out malformed (or not UTF-8) part way through its rows."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_table(
    data: bytes, rel: str, fmt: str, delimiter: str, records: str | None, wanted: Sequence[str]
) -> tuple[Table | None, list[Problem]]:
    """The file's rows (a list), or the problem that makes it unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(rel, line, 0, f"not UTF-8 text ({exc.reason})")]
    if fmt == "json":
        table, problems = _json_table(text, rel, records, wanted)
        return (table._replace(rows=list(table.rows)) if table else None), problems
    table, problems = _csv_table(io.StringIO(text, newline=""), rel, delimiter, None)
    if table is None:
        return None, problems
    try:
        return table._replace(rows=list(table.rows)), []
    except UnreadableRowsError as exc:
        return None, [exc.problem]


def open_table(
    path: Path,
    rel: str,
    fmt: str,
    delimiter: str,
    records: str | None,
    wanted: Sequence[str],
    limit: int,
) -> tuple[Table | None, list[Problem]]:
    """The file's rows as an iterator that reads it as it goes (UnreadableRowsError when a CSV
    file turns out malformed part way); InvalidInputError when it cannot be read or is larger
    than `limit` bytes."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the rows' iterator)
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        if not _fits(handle, limit):
            raise InvalidInputError(f"{path} is larger than {limit:,} bytes")
        if fmt == "json":  # the text whole, once: json has no incremental parser
            data = handle.read(limit + 1)
            if len(data) > limit:
                raise InvalidInputError(f"{path} is larger than {limit:,} bytes")
            handle.close()
            return read_json(data, rel, records, wanted)
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    except BaseException:
        handle.close()
        raise
    table, problems = _csv_table(text, rel, delimiter, path)
    if table is None:
        text.close()
    return table, problems


def read_json(
    data: bytes, rel: str, records: str | None, wanted: Sequence[str]
) -> tuple[Table | None, list[Problem]]:
    """A JSON file's rows as an iterator over its decoded text (the bytes are let go)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(rel, line, 0, f"not UTF-8 text ({exc.reason})")]
    del data
    return _json_table(text, rel, records, wanted)


def _fits(handle: IO[bytes], limit: int) -> bool:
    """False for a regular file larger than limit (other files are read up to limit + 1)."""
    status = os.fstat(handle.fileno())
    return not (os.path.isfile(handle.name) and status.st_size > limit)


def _csv_table(
    text: IO[str], rel: str, delimiter: str, path: Path | None
) -> tuple[Table | None, list[Problem]]:
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return None, [Problem(rel, reader.line_num, 0, f"malformed CSV: {exc}")]
    except UnicodeDecodeError:
        assert path is not None  # read_table decoded the text already
        return None, [_not_utf8(path, rel)]
    if header is None:
        return None, [Problem(rel, 0, 0, "the file is empty (no header line)")]
    columns = tuple(name.strip() for name in header)
    return Table(columns, _csv_rows(reader, text, rel, path)), []


def _csv_rows(
    reader: Any, text: IO[str], rel: str, path: Path | None
) -> Iterator[tuple[int, Sequence[str]]]:
    try:
        for row in reader:
            if not row or not "".join(row).strip():  # a blank line, or only separators
                continue
            yield reader.line_num, row
    except csv.Error as exc:
        raise UnreadableRowsError(
            Problem(rel, reader.line_num, 0, f"malformed CSV: {exc}")
        ) from None
    except UnicodeDecodeError:
        assert path is not None
        raise UnreadableRowsError(_not_utf8(path, rel)) from None
    finally:
        text.close()


def _not_utf8(path: Path, rel: str) -> Problem:
    """Where the file stops being UTF-8, found again a chunk at a time: the text reader that
    failed does not say which line it was on."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 1
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            pending = decoder.getstate()[0]  # never holds a newline: it is a part of a character
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                line = lines + (pending + chunk).count(b"\n", 0, exc.start)
                return Problem(rel, line, 0, f"not UTF-8 text ({exc.reason})")
            if not chunk:
                return Problem(rel, lines, 0, "not UTF-8 text")
            lines += chunk.count(b"\n")


def _json_table(
    text: str, rel: str, records: str | None, wanted: Sequence[str]
) -> tuple[Table | None, list[Problem]]:
    try:
        found = scan_records(text, records)
    except json.JSONDecodeError as exc:
        return None, [Problem(rel, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]
    except ValueError as exc:
        return None, [Problem(rel, 1, 0, str(exc))]
    if isinstance(found, str):
        return None, [Problem(rel, 0, 0, found)]
    columns = tuple(dict.fromkeys(wanted))
    problems = [Problem(rel, index, 0, "record is not an object") for index in found.not_objects]
    present = tuple(name for name in columns if name in found.keys or not found.count)
    has_rows = found.count > len(found.not_objects)
    return Table(present if has_rows else columns, _json_rows(text, found, columns)), problems


def _json_rows(
    text: str, found: Records, columns: tuple[str, ...]
) -> Iterator[tuple[int, Sequence[str]]]:
    for index, record in found.iterate(text):
        if isinstance(record, dict):
            yield index, [_cell(record.get(name)) for name in columns]


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
    parts = path_parts(where)
    current = data
    for depth, part in enumerate(parts):
        if isinstance(current, dict) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None, missing_message(where, parts, depth)
    return current, ""
