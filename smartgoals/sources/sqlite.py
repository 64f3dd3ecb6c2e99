"""The sqlite adapter: one read-only statement over an SQLite database in the ledger.

A source reads and never writes: the statement must be one SELECT (WITH and VALUES too), checked
before the database is opened; the connection is read-only; and an authorizer allows only
reading, so ATTACH, VACUUM INTO, PRAGMA, writes and transactions are refused while SQLite
prepares the statement, before anything runs. Opening a WAL database read-only would leave
-wal and -shm files beside it, so one without a -wal file is opened as immutable instead.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from smartgoals.ledger.sourcespec import SqliteSource
from smartgoals.sources.common import Context, Pulled, SourceError, inside, to_pairs

RUNS_PROGRAM = False

READING_STATEMENTS = ("SELECT", "WITH", "VALUES")
_ALLOWED = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
_FUNCTIONS_DENIED = frozenset({"load_extension"})
# The authorizer's action codes, for the refusal's one line.
_ACTIONS = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in [
        "CREATE_INDEX",
        "CREATE_TABLE",
        "CREATE_TEMP_INDEX",
        "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER",
        "CREATE_TEMP_VIEW",
        "CREATE_TRIGGER",
        "CREATE_VIEW",
        "DELETE",
        "DROP_INDEX",
        "DROP_TABLE",
        "DROP_TEMP_INDEX",
        "DROP_TEMP_TABLE",
        "DROP_TEMP_TRIGGER",
        "DROP_TEMP_VIEW",
        "DROP_TRIGGER",
        "DROP_VIEW",
        "INSERT",
        "PRAGMA",
        "TRANSACTION",
        "UPDATE",
        "ATTACH",
        "DETACH",
        "ALTER_TABLE",
        "REINDEX",
        "ANALYZE",
        "CREATE_VTABLE",
        "DROP_VTABLE",
        "SAVEPOINT",
        "FUNCTION",
    ]
}


def read(spec: SqliteSource, context: Context) -> Pulled:
    """The statement's rows of (date, value)."""
    path = inside(context.root, spec.sqlite)
    if not path.is_file():
        raise SourceError(f"{spec.sqlite}: no such database file")
    refusal = check_statement(spec.query)
    if refusal:
        raise SourceError(f"{spec.sqlite}: query refused: {refusal}")
    try:
        connection = sqlite3.connect(_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise SourceError(f"{spec.sqlite}: {exc}") from None
    denied: list[str] = []
    try:
        connection.set_authorizer(_authorizer(denied))
        rows = connection.execute(spec.query).fetchall()
    except sqlite3.Error as exc:
        if denied:
            raise SourceError(
                f"{spec.sqlite}: query refused: it asks for {denied[0]}; a sqlite source "
                "runs one statement that only reads"
            ) from None
        raise SourceError(f"{spec.sqlite}: the query failed: {exc}") from None
    finally:
        connection.close()
    return Pulled(to_pairs(rows, spec.sqlite, context), [])


def check_statement(query: str) -> str | None:
    """Why the query is not one reading statement, or None: it starts with SELECT, WITH or
    VALUES, and nothing but blanks and comments follows its first complete statement."""
    word = re.match(r"[A-Za-z_]*", query[_skip_blank(query, 0) :])
    first = word.group().upper() if word else ""
    if first not in READING_STATEMENTS:
        shown = f"it starts with {first}" if first else "it is empty"
        return f"{shown}; a sqlite source runs one SELECT"
    for index, char in enumerate(query):
        if char == ";" and sqlite3.complete_statement(query[: index + 1]):
            if _skip_blank(query, index + 1) < len(query):
                return "a second statement follows the first; a sqlite source runs one SELECT"
            break
    return None


def _skip_blank(text: str, index: int) -> int:
    """The index of the first character from index on that is not a blank or in a comment."""
    while index < len(text):
        if text[index].isspace():
            index += 1
        elif text.startswith("--", index):
            end = text.find("\n", index)
            index = len(text) if end < 0 else end + 1
        elif text.startswith("/*", index):
            end = text.find("*/", index + 2)
            index = len(text) if end < 0 else end + 2
        else:
            break
    return index


def _uri(path: Path) -> str:
    """Read-only; immutable for a WAL database with no -wal file, which a read-only
    connection would otherwise create (with -shm) beside it and leave there."""
    with path.open("rb") as handle:
        header = handle.read(20)
    wal = header.startswith(b"SQLite format 3\x00") and header[18:20] == b"\x02\x02"
    if wal and not path.with_name(path.name + "-wal").exists():
        return f"{path.as_uri()}?mode=ro&immutable=1"
    return f"{path.as_uri()}?mode=ro"


def _authorizer(
    denied: list[str],
) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
    """Allow reading only; note the first thing denied, for the refusal's line."""

    def authorize(
        action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None
    ) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _FUNCTIONS_DENIED:
            pass
        elif action in _ALLOWED:
            return sqlite3.SQLITE_OK
        elif action == sqlite3.SQLITE_UPDATE and arg1 == "sqlite_master":
            # SQLite asks this while it declares a table-valued function's virtual table
            # (json_each); the schema table cannot be written without a PRAGMA, denied here,
            # and the connection is read-only.
            return sqlite3.SQLITE_OK
        name = _ACTIONS.get(action, f"action {action}")
        detail = arg2 if action == sqlite3.SQLITE_FUNCTION else arg1
        denied.append(f"{name} {detail}".strip() if detail else name)
        return sqlite3.SQLITE_DENY

    return authorize
