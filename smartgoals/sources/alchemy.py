"""Any other database, through SQLAlchemy (`pip install 'smartgoals[sqlalchemy]'`) and the
dialect's own DB-API driver: a connection URL of any SQLAlchemy dialect (`sqlite:///path`,
`postgresql+psycopg://...`, `mysql+pymysql://...`). sources/databases.py chooses this path for
every URL that is not `postgresql://` or `duckdb://`, and scrubs credentials from what fails.

Reading keeps the native paths' guarantees as far as each dialect allows (docs/trust-model.md
says which): a read-only transaction (PostgreSQL: SET TRANSACTION READ ONLY; MySQL and MariaDB:
START TRANSACTION READ ONLY; SQLite: the file opened read-only and PRAGMA query_only; any other
dialect: the SQL standard's SET TRANSACTION READ ONLY, and the query is refused when the
database does not take it), a statement timeout (PostgreSQL's statement_timeout, MySQL's
max_execution_time, MariaDB's max_statement_time, and for every dialect a watchdog that
interrupts or cancels the driver's connection), at most `limit` + 1 rows fetched, and the
transaction rolled back. Writing (`export --to`): the tables created if absent, each row
replaced by its key (a DELETE then an INSERT, which every dialect speaks), in one transaction.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError

from smartgoals.errors import MissingDriverError
from smartgoals.sources.common import SourceError

QUERY_CANCELED = "57014"  # PostgreSQL's SQLSTATE for a statement stopped by its timeout
# MariaDB's max_statement_time exceeded, MySQL's max_execution_time exceeded
TIMED_OUT_CODES = (1969, 3024)


def fetch(
    name: str, url: str, sql: str, timeout: float, limit: int, timezone: str | None = None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """(columns, at most limit + 1 rows) of one statement read in a read-only transaction that
    stops after timeout seconds. SQLAlchemy's errors go up as they are (the caller scrubs
    them); SourceError when the query was stopped or the dialect cannot read only."""
    engine = _engine(name, url, read_only=True)
    try:
        with engine.connect() as db:
            _read_only(db, name, timeout, timezone, limit + 1)
            stopped = threading.Event()
            watchdog = threading.Timer(timeout, _interrupt, (db, stopped))
            watchdog.start()
            try:
                streamed = db.execution_options(stream_results=True, max_row_buffer=limit + 1)
                # as the driver receives it: no bind parameters parsed out of the text
                result = streamed.exec_driver_sql(sql)
                rows = [tuple(row) for row in result.fetchmany(limit + 1)]
                columns = list(result.keys())
                result.close()
                db.rollback()
            except SQLAlchemyError as exc:
                if stopped.is_set() or _timed_out(exc):
                    raise SourceError(
                        f"connection {name!r}: the query was stopped after {timeout:g} s (timeout:)"
                    ) from None
                raise
            finally:
                watchdog.cancel()
    finally:
        engine.dispose()
    return columns, rows


def write(name: str, url: str, tables: Sequence[Any]) -> None:
    """Each table (databases.Table: name, columns, key, rows) created if absent and its rows
    replaced by their key, all in one transaction, committed only when everything is written."""
    engine = _engine(name, url, read_only=False)
    try:
        with engine.begin() as db:
            metadata = sa.MetaData()
            for table in tables:
                core = _table(metadata, table, db.dialect.name)
                core.create(db, checkfirst=True)
                if not table.rows:
                    continue
                names = [column for column, _ in table.columns]
                rows = [dict(zip(names, row, strict=True)) for row in table.rows]
                keyed = sa.and_(*(core.c[k] == sa.bindparam(f"key_{k}") for k in table.key))
                keys = [{f"key_{k}": row[k] for k in table.key} for row in rows]
                db.execute(core.delete().where(keyed), keys)
                db.execute(core.insert(), rows)
    finally:
        engine.dispose()


def _engine(name: str, url: str, read_only: bool) -> sa.Engine:
    """An engine of one connection at a time (no pool kept), without echo or parameters in
    its messages; MissingDriverError when the dialect's DB-API module is not installed."""
    try:
        parsed = sa.make_url(url)
    except (SQLAlchemyError, ValueError):
        raise SourceError(f"connection {name!r}: its URL is not one SQLAlchemy reads") from None
    options: dict[str, Any] = {"poolclass": sa.NullPool, "hide_parameters": True}
    if read_only and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        pysqlite = parsed.get_driver_name() == "pysqlite" and "uri" not in parsed.query
        if pysqlite and database and database != ":memory:":
            # read-only at the file: SQLite refuses any write, whatever the statement does
            uri = f"{Path(database).resolve().as_uri()}?mode=ro"
            options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        return sa.create_engine(parsed, **options)
    except NoSuchModuleError:
        raise SourceError(
            f"connection {name!r}: {parsed.drivername}: is not a dialect SQLAlchemy knows "
            "(its dialect package is not installed, or the URL is misspelt)"
        ) from None
    except ImportError as exc:
        missing = exc.name or str(exc)
        raise MissingDriverError(
            f"the {parsed.drivername} driver is not installed: module {missing!r} not found "
            "(pip install the package that provides it, beside 'smartgoals[sqlalchemy]')"
        ) from None


def _read_only(
    db: sa.Connection, name: str, timeout: float, timezone: str | None, rows: int
) -> None:
    """Begin the read-only transaction, with the dialect's own statement timeout (and for
    MySQL, a row limit: closing its drivers' unbuffered result reads every row left)."""
    dialect = db.dialect.name
    milliseconds = str(int(timeout * 1000))
    if dialect == "postgresql":
        db.exec_driver_sql("SET TRANSACTION READ ONLY")
        setting = sa.text("SELECT set_config(:name, :value, true)")
        db.execute(setting, {"name": "statement_timeout", "value": milliseconds})
        if timezone:
            db.execute(setting, {"name": "TimeZone", "value": timezone})
    elif dialect == "sqlite":
        db.exec_driver_sql("PRAGMA query_only = ON")
    elif dialect in ("mysql", "mariadb"):
        if getattr(db.dialect, "is_mariadb", False):
            db.exec_driver_sql(f"SET SESSION max_statement_time = {max(timeout, 0.001):g}")
        else:
            db.exec_driver_sql(f"SET SESSION max_execution_time = {milliseconds}")
        db.exec_driver_sql(f"SET SESSION sql_select_limit = {int(rows)}")
        db.commit()  # the next statement opens the transaction, read-only
        db.exec_driver_sql("START TRANSACTION READ ONLY")
    else:
        try:
            db.exec_driver_sql("SET TRANSACTION READ ONLY")
        except SQLAlchemyError:
            raise SourceError(
                f"connection {name!r}: {dialect} did not take SET TRANSACTION READ ONLY, so "
                "smartgoals cannot promise the query only reads; nothing was run"
            ) from None


def _interrupt(db: sa.Connection, stopped: threading.Event) -> None:
    """The watchdog: interrupt (SQLite) or cancel (psycopg, oracledb, ...) the running
    statement, from another thread."""
    stopped.set()
    driver = db.connection.driver_connection
    for method in ("interrupt", "cancel"):
        stop = getattr(driver, method, None)
        if callable(stop):
            with contextlib.suppress(Exception):  # the statement may have just ended
                stop()
            return


def _timed_out(exc: SQLAlchemyError) -> bool:
    """Whether the database stopped the statement at its own timeout (which may come a moment
    before the watchdog's)."""
    orig = getattr(exc, "orig", None)
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    code = orig.args[0] if orig is not None and getattr(orig, "args", None) else None
    return sqlstate == QUERY_CANCELED or code in TIMED_OUT_CODES


def _table(metadata: sa.MetaData, table: Any, dialect: str) -> sa.Table:
    """The Core table of databases.Table's (name, SQL type) columns, for any dialect."""
    columns = [
        sa.Column(
            column,
            _type(kind, column in table.key and dialect in ("mysql", "mariadb")),
            nullable="NOT NULL" not in kind,
        )
        for column, kind in table.columns
    ]
    return sa.Table(table.name, metadata, *columns, sa.PrimaryKeyConstraint(*table.key))


def _type(kind: str, short_key: bool) -> Any:
    """TEXT, DATE, DOUBLE PRECISION, BOOLEAN, INTEGER as the dialect names them (a MySQL key
    cannot be TEXT: VARCHAR(255))."""
    word = kind.split()[0].upper()
    if word == "TEXT":
        return sa.String(255) if short_key else sa.Text()
    types: dict[str, Any] = {
        "DATE": sa.Date(),
        "DOUBLE": sa.Double(),
        "BOOLEAN": sa.Boolean(),
        "INTEGER": sa.Integer(),
    }
    return types[word]
