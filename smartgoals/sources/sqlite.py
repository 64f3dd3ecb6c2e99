"""The sqlite adapter: a query over an SQLite database in the ledger, opened read-only."""

from __future__ import annotations

from smartgoals.ledger.sourcespec import SqliteSource
from smartgoals.sources.common import Context, Pulled, SourceError, inside, to_pairs

RUNS_PROGRAM = False


def read(spec: SqliteSource, context: Context) -> Pulled:
    """The query's rows of (date, value)."""
    import sqlite3

    path = inside(context.root, spec.sqlite)
    if not path.is_file():
        raise SourceError(f"{spec.sqlite}: no such database file")
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise SourceError(f"{spec.sqlite}: {exc}") from None
    try:
        rows = connection.execute(spec.query).fetchall()
    except sqlite3.Error as exc:
        raise SourceError(f"{spec.sqlite}: the query failed: {exc}") from None
    finally:
        connection.close()
    return Pulled(to_pairs(rows, spec.sqlite, context), [])
