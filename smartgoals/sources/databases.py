"""The user's databases: a ledger names a connection, and only the user's own config
(`connections:` in ~/.config/smartgoals/config.yaml) or environment
($SMARTGOALS_CONNECTION_<NAME>) defines it. Opened through a maintained driver (PostgreSQL:
psycopg 3; DuckDB files: duckdb; any other URL: SQLAlchemy and its dialect's driver, in
sources/alchemy.py), imported only when used; the URL and its credentials are never printed: a
driver's message is scrubbed of them before it becomes our one line.

Reading: a READ ONLY transaction with a statement timeout, results fetched through a cursor at
most `limit` rows at a time, and the transaction rolled back. Writing (`export --to`): one
transaction, committed only when everything is written.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from smartgoals.errors import MissingDriverError
from smartgoals.sources.common import SourceError

ENV_PREFIX = "SMARTGOALS_CONNECTION_"
DOCS = "docs/import-and-pull.md, SQL sources"
# a URL's scheme, exactly, for the native drivers; any other (sqlite:///..., mysql+pymysql://...,
# postgresql+psycopg://...) goes through SQLAlchemy
DRIVERS = {"postgresql": "postgres", "postgres": "postgres", "duckdb": "duckdb"}
EXTRAS = {
    "postgres": ("psycopg", "postgres"),
    "duckdb": ("duckdb", "duckdb"),
    "sqlalchemy": ("sqlalchemy", "sqlalchemy"),
}
CONNECT_TIMEOUT = 10  # seconds to reach the server


class Connection(NamedTuple):
    name: str  # as the ledger names it: the only thing about it ever printed
    url: str
    timezone: str | None  # the session's TimeZone for timestamps with a zone (PostgreSQL)

    @property
    def kind(self) -> str:
        scheme, found, _rest = self.url.partition("://")
        if not found or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
            raise SourceError(
                f"connection {self.name!r}: its URL is not a database URL (postgresql://..., "
                "duckdb:///path/to/file.duckdb, or any SQLAlchemy URL: sqlite:///path, ...)"
            )
        return DRIVERS.get(scheme.lower(), "sqlalchemy")


def env_name(name: str) -> str:
    """The environment variable that defines a connection: SMARTGOALS_CONNECTION_WAREHOUSE."""
    return ENV_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def find_connection(name: str, environ: Mapping[str, str]) -> Connection:
    """The connection the user defined under this name (the environment first, then the
    config's connections:); SourceError when the user defined none."""
    from smartgoals.ledger.sourcespec import user_config

    config, path = user_config(environ)
    found = config.get("connections")
    entry = found.get(name) if isinstance(found, dict) else None
    url = environ.get(env_name(name))
    timezone = None
    if isinstance(entry, dict):
        url = url or (entry.get("url") if isinstance(entry.get("url"), str) else None)
        timezone = entry.get("timezone") if isinstance(entry.get("timezone"), str) else None
    elif isinstance(entry, str):
        url = url or entry
    if not url:
        raise SourceError(
            f"connection {name!r} is not defined in your config ({path}, connections:) nor in "
            f"${env_name(name)}; see {DOCS}"
        )
    return Connection(name, url, timezone)


def scrub(text: str, connection: Connection) -> str:
    """The driver's first line, without the URL, its password, user and host."""
    line = (str(text).strip().splitlines() or [""])[0]
    secrets = {connection.url}
    try:
        parts = urlsplit(connection.url)
        secrets |= {parts.password or "", parts.username or "", parts.hostname or ""}
        secrets |= {unquote(s) for s in (parts.password, parts.username) if s}
        secrets |= {parts.netloc}
    except ValueError:
        pass
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        line = line.replace(secret, "***")
    # anything still shaped like a URL or a conninfo password
    line = re.sub(r"\b[a-z][a-z0-9+.-]*://\S+", "***", line)
    return re.sub(r"(?i)(password\s*=\s*)\S+", r"\1***", line)


def _driver(kind: str) -> Any:
    module, extra = EXTRAS[kind]
    try:
        return __import__(module)
    except ImportError:
        raise MissingDriverError(
            f"the {kind} driver is not installed: pip install 'smartgoals[{extra}]'"
        ) from None


class Fetched(NamedTuple):
    columns: list[str]
    rows: list[tuple[Any, ...]]  # at most limit + 1


def fetch(connection: Connection, sql: str, timeout: float, limit: int) -> Fetched:
    """At most limit + 1 rows of one statement, read in a READ ONLY transaction that stops
    after timeout seconds; SourceError (scrubbed) when it fails."""
    kind = connection.kind
    if kind == "duckdb":
        return _fetch_duckdb(connection, sql, timeout, limit)
    if kind == "sqlalchemy":
        sqlalchemy = _driver(kind)
        from smartgoals.sources import alchemy

        with _errors(connection, sqlalchemy.exc.SQLAlchemyError):
            found = alchemy.fetch(
                connection.name, connection.url, sql, timeout, limit, connection.timezone
            )
        return Fetched(*found)
    return _fetch_postgres(connection, sql, timeout, limit)


def _fetch_postgres(connection: Connection, sql: str, timeout: float, limit: int) -> Fetched:
    psycopg = _driver("postgres")
    with _errors(connection, psycopg.Error), _postgres(connection, psycopg, read_only=True) as db:
        with db.cursor() as cursor:
            # set_config(..., true) lasts for this transaction only
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true)", (f"{int(timeout * 1000)}",)
            )
        # a server-side cursor: DECLARE takes one query, and rows come `limit` at a time
        with db.cursor(name="smartgoals_source") as cursor:
            try:
                cursor.execute(sql)
                rows = cursor.fetchmany(limit + 1)
            except psycopg.errors.QueryCanceled:
                raise SourceError(
                    f"connection {connection.name!r}: the query was stopped after {timeout:g} s "
                    "(timeout:)"
                ) from None
            columns = [column.name for column in cursor.description or []]
        db.rollback()
    return Fetched(columns, [tuple(row) for row in rows])


@contextmanager
def _postgres(connection: Connection, psycopg: Any, read_only: bool) -> Iterator[Any]:
    db = psycopg.connect(connection.url, connect_timeout=CONNECT_TIMEOUT, autocommit=False)
    try:
        db.read_only = read_only  # every transaction begins READ ONLY
        if connection.timezone:
            with db.cursor() as cursor:
                cursor.execute("SELECT set_config('TimeZone', %s, false)", (connection.timezone,))
            db.commit()
        yield db
    finally:
        db.close()


def _fetch_duckdb(connection: Connection, sql: str, timeout: float, limit: int) -> Fetched:
    duckdb = _driver("duckdb")
    with _errors(connection, duckdb.Error), _duckdb(connection, duckdb, read_only=True) as db:
        timer = threading.Timer(timeout, db.interrupt)
        timer.start()
        try:
            cursor = db.execute(sql)
            rows = cursor.fetchmany(limit + 1)
        except duckdb.InterruptException:
            raise SourceError(
                f"connection {connection.name!r}: the query was stopped after {timeout:g} s "
                "(timeout:)"
            ) from None
        finally:
            timer.cancel()
        columns = [column[0] for column in cursor.description or []]
    return Fetched(columns, [tuple(row) for row in rows])


@contextmanager
def _duckdb(connection: Connection, duckdb: Any, read_only: bool) -> Iterator[Any]:
    path = connection.url.split("://", 1)[1] if "://" in connection.url else ""
    if not path or path == "/":
        raise SourceError(
            f"connection {connection.name!r}: a DuckDB URL names a file: duckdb:///path/to/file"
        )
    # no files, no extensions, no other databases beyond this one; the query cannot undo it
    config = {"enable_external_access": "false", "lock_configuration": "true"}
    db = duckdb.connect(path[1:] if path.startswith("//") else path, read_only, config)
    try:
        yield db
    finally:
        db.close()


@contextmanager
def _errors(connection: Connection, error: type[BaseException]) -> Iterator[None]:
    try:
        yield
    except error as exc:
        # SQLAlchemy wraps the driver's error: its own message, without SQLAlchemy's prefix
        reason = scrub(str(getattr(exc, "orig", None) or exc), connection)
        raise SourceError(f"connection {connection.name!r}: {reason}") from None


class Table(NamedTuple):
    name: str
    columns: tuple[tuple[str, str], ...]  # (name, SQL type)
    key: tuple[str, ...]  # the natural key: a row with the same key is replaced
    rows: Sequence[tuple[Any, ...]]


def write_tables(connection: Connection, tables: Sequence[Table]) -> None:
    """Each table created if absent, its rows upserted by its key, all in one transaction."""
    kind = connection.kind
    driver = _driver(kind)
    if kind == "sqlalchemy":
        from smartgoals.sources import alchemy

        with _errors(connection, driver.exc.SQLAlchemyError):
            alchemy.write(connection.name, connection.url, tables)
        return
    opened = _postgres if kind == "postgres" else _duckdb
    with _errors(connection, driver.Error), opened(connection, driver, read_only=False) as db:
        marker = "%s" if kind == "postgres" else "?"
        # a DuckDB cursor is a connection of its own: its transaction is the connection's
        cursor = db.cursor() if kind == "postgres" else db
        if kind == "duckdb":
            cursor.execute("BEGIN TRANSACTION")
        for table in tables:
            for statement in upsert_statements(table, marker):
                if statement.startswith("INSERT"):
                    if table.rows:
                        cursor.executemany(statement, [list(row) for row in table.rows])
                else:
                    cursor.execute(statement)
        db.commit()


def upsert_statements(table: Table, marker: str) -> list[str]:
    """CREATE TABLE IF NOT EXISTS, then INSERT ... ON CONFLICT (key) DO UPDATE."""
    names = [name for name, _ in table.columns]
    columns = ", ".join(f"{name} {kind}" for name, kind in table.columns)
    create = (
        f"CREATE TABLE IF NOT EXISTS {table.name} ({columns}, PRIMARY KEY ({', '.join(table.key)}))"
    )
    others = [name for name in names if name not in table.key]
    update = ", ".join(f"{name} = excluded.{name}" for name in others)
    insert = (
        f"INSERT INTO {table.name} ({', '.join(names)}) "
        f"VALUES ({', '.join(marker for _ in names)}) "
        f"ON CONFLICT ({', '.join(table.key)}) DO "
        + (f"UPDATE SET {update}" if update else "NOTHING")
    )
    return [create, insert]
