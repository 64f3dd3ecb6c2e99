"""sources.databases: connections only the user defines, credentials scrubbed from every
message, a missing driver named by its extra, and the upsert statements. What every driver must
do the same way (a timeout, a row limit, a read-only transaction, no credential in a refused
connection's message, a missing driver in one line) is one test over the URLs that reach each:
PostgreSQL through psycopg and through SQLAlchemy, MariaDB and SQLite (the servers of
tests/sources/conftest.py)."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

from smartgoals.errors import MissingDriverError
from smartgoals.sources.common import SourceError
from smartgoals.sources.databases import (
    Connection,
    Table,
    env_name,
    fetch,
    find_connection,
    scrub,
    upsert_statements,
)
from tests.conftest import invoke
from tests.sources.conftest import PASSWORD, USER, Maria, Server
from tests.sources.test_sql import TODAY_SQL, journal, make_ledger, sql_source

URL = "postgresql://reader:p%40ss-word@db.internal:5432/warehouse"


def test_the_environment_name_of_a_connection() -> None:
    assert env_name("warehouse") == "SMARTGOALS_CONNECTION_WAREHOUSE"
    assert env_name("bi-prod") == "SMARTGOALS_CONNECTION_BI_PROD"


def test_a_connection_comes_from_the_environment_before_the_config(tmp_path: Path) -> None:
    (tmp_path / "smartgoals").mkdir()
    (tmp_path / "smartgoals" / "config.yaml").write_text(
        "connections:\n  warehouse: {url: 'duckdb:///a.duckdb', timezone: UTC}\n"
    )
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert find_connection("warehouse", environ) == Connection(
        "warehouse", "duckdb:///a.duckdb", "UTC"
    )
    environ[env_name("warehouse")] = URL
    assert find_connection("warehouse", environ).url == URL
    with pytest.raises(SourceError, match="connection 'other' is not defined in your config"):
        find_connection("other", environ)


@pytest.mark.parametrize(
    "message",
    [
        f"could not connect to {URL}",
        'connection to server at "db.internal", port 5432 failed: FATAL:  password '
        'authentication failed for user "reader"\nmore detail',
        "bad conninfo: password=p@ss-word host=db.internal",
        "invalid URI postgresql://someone:else@host/db",
    ],
)
def test_scrub_leaves_no_credential(message: str) -> None:
    shown = scrub(message, Connection("warehouse", URL, None))
    assert "\n" not in shown
    for secret in ("p@ss-word", "p%40ss-word", "reader", "db.internal", "someone", "else@"):
        assert secret not in shown, shown


def test_what_is_not_a_url_is_one_line() -> None:
    with pytest.raises(SourceError, match="its URL is not a database URL"):
        fetch(Connection("w", "warehouse.internal:5432", None), "SELECT 1", 1, 1)


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("postgresql://u@h/db", "postgres"),
        ("postgres://u@h/db", "postgres"),
        ("duckdb:///a.duckdb", "duckdb"),
        ("postgresql+psycopg://u@h/db", "sqlalchemy"),
        ("sqlite:///a.db", "sqlalchemy"),
        ("mysql+pymysql://u:p@h/db", "sqlalchemy"),
    ],
)
def test_any_other_url_goes_through_sqlalchemy(url: str, kind: str) -> None:
    assert Connection("w", url, None).kind == kind


def test_a_missing_driver_names_its_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(MissingDriverError, match=r"pip install 'smartgoals\[postgres\]'"):
        fetch(Connection("w", URL, None), "SELECT 1", 1, 1)


MISSING = {
    "psycopg": (
        "postgresql://u:secret@127.0.0.1:1/x",
        "error: the postgres driver is not installed: pip install 'smartgoals[postgres]'",
    ),
    "sqlalchemy": (
        "sqlite:///warehouse.db",
        "error: the sqlalchemy driver is not installed: pip install 'smartgoals[sqlalchemy]'",
    ),
    "pymysql": (
        "mysql+pymysql://u:hunter2@127.0.0.1:1/x",
        "error: the mysql+pymysql driver is not installed: module 'pymysql' not found (pip "
        "install the package that provides it, beside 'smartgoals[sqlalchemy]')",
    ),
}


@pytest.mark.parametrize("module", MISSING)
def test_a_missing_driver_is_one_line_naming_the_extra_or_module(
    repo: Path, cli, user_config, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    """pull with the driver of the connection's URL not installed: exit 3 and one line."""
    if module != "psycopg":
        pytest.importorskip("sqlalchemy")
    url, message = MISSING[module]
    monkeypatch.setitem(sys.modules, module, None)
    user_config(f"connections:\n  warehouse: {url}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 3, result.output
    assert result.output.strip().splitlines() == [message]


def test_upsert_statements() -> None:
    table = Table("t", (("k", "TEXT NOT NULL"), ("v", "DOUBLE PRECISION")), ("k",), [])
    assert upsert_statements(table, "%s") == [
        "CREATE TABLE IF NOT EXISTS t (k TEXT NOT NULL, v DOUBLE PRECISION, PRIMARY KEY (k))",
        "INSERT INTO t (k, v) VALUES (%s, %s) ON CONFLICT (k) DO UPDATE SET v = excluded.v",
    ]


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        (
            "WITH w AS (INSERT INTO victim2 VALUES (2) RETURNING x) SELECT x FROM w",
            "DECLARE CURSOR must not contain data-modifying statements in WITH",
        ),
        ("SELECT 1; INSERT INTO victim2 VALUES (2)", "cannot insert multiple commands"),
        (
            "SELECT set_config('transaction_read_only', 'off', true), nextval('seq2')",
            "transaction read-write mode must be set before any query",
        ),
    ],
)
def test_the_server_refuses_what_the_statement_check_would(
    postgres: Server, query: str, refusal: str
) -> None:
    """fetch alone, without sql.check_statement in front: the server still refuses."""
    postgres.sql(
        "DROP TABLE IF EXISTS victim2; CREATE TABLE victim2 (x int); "
        "DROP SEQUENCE IF EXISTS seq2; CREATE SEQUENCE seq2"
    )
    with pytest.raises(SourceError, match=refusal):
        fetch(Connection("w", postgres.url, None), query, 5, 10)
    assert postgres.sql("SELECT count(*) FROM victim2").strip() == "0"


class Backend(NamedTuple):
    """One way to a database, and its own SQL for what every test below asks of it."""

    url: str
    slow: str  # a (day, value) query that runs for well over 1 s
    huge: str  # a (day, value) query of far more than 1,000 rows
    denied: str = ""  # what the server says to a wrong password (SQLite has none)


PG_SLOW = "SELECT DATE '2026-01-01', 1 FROM pg_sleep(5)"
# a set-returning function in the select list streams its rows (one in FROM is read whole first)
PG_HUGE = "SELECT DATE '2026-01-01' - g, g FROM (SELECT generate_series(1, 100000000) AS g) AS s"
PG_DENIED = "password authentication failed"


def postgresql(request: pytest.FixtureRequest) -> Backend:
    server: Server = request.getfixturevalue("postgres")
    return Backend(server.url, PG_SLOW, PG_HUGE, PG_DENIED)


def postgresql_through_sqlalchemy(request: pytest.FixtureRequest) -> Backend:
    pytest.importorskip("sqlalchemy")
    server: Server = request.getfixturevalue("postgres")
    url = server.url.replace("postgresql://", "postgresql+psycopg://")
    return Backend(url, PG_SLOW, PG_HUGE, PG_DENIED)


def mariadb(request: pytest.FixtureRequest) -> Backend:
    pytest.importorskip("sqlalchemy")
    server: Maria = request.getfixturevalue("mariadb")
    slow = "SELECT DATE '2026-01-01', seq FROM seq_1_to_2 WHERE SLEEP(3) = 0"
    # MariaDB's sequence engine
    huge = "SELECT DATE '2026-01-01' - INTERVAL seq DAY, seq FROM seq_1_to_100000000"
    return Backend(server.url, slow, huge, "Access denied for user '***'")


def sqlite(request: pytest.FixtureRequest) -> Backend:
    pytest.importorskip("sqlalchemy")
    path = request.getfixturevalue("tmp_path") / "warehouse.db"  # opened read-only: it must be
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi (metric TEXT, day TEXT, value REAL)")
    db.close()
    count = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)"
    slow = f"{count} SELECT '2026-01-01', count(*) FROM c"
    huge = f"{count} SELECT date('2026-01-01', '-' || x || ' days'), x FROM c"
    return Backend(f"sqlite:///{path}", slow, huge)


SERVERS = [postgresql, postgresql_through_sqlalchemy, mariadb]


@pytest.fixture(params=[*SERVERS, sqlite], ids=lambda make: make.__name__)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param(request)  # type: ignore[no-any-return]


@pytest.fixture(params=SERVERS, ids=lambda make: make.__name__)
def server(request: pytest.FixtureRequest) -> Backend:
    return request.param(request)  # type: ignore[no-any-return]


@pytest.fixture(params=SERVERS[:2], ids=lambda make: make.__name__)
def postgresql_url(request: pytest.FixtureRequest) -> str:
    """PostgreSQL through psycopg, and through SQLAlchemy's psycopg dialect."""
    return request.param(request).url  # type: ignore[no-any-return]


def test_a_slow_query_is_stopped(repo: Path, cli, user_config, backend: Backend) -> None:
    user_config(f"connections:\n  warehouse: {backend.url}\n")
    root = make_ledger(repo, sql_source(backend.slow, extra=", timeout: 1"))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "the query was stopped after 1 s (timeout:)" in result.output
    assert journal(root).count("\n") == 1


def test_a_huge_result_is_refused_past_the_row_limit(
    repo: Path, cli, user_config, backend: Backend
) -> None:
    user_config(f"connections:\n  warehouse: {backend.url}\n")
    root = make_ledger(repo, sql_source(backend.huge, extra=", max_rows: 1000"))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "the query returns more than 1,000 rows (max_rows:)" in result.output
    # fetch reads one row past the limit, and no more
    assert len(fetch(Connection("w", backend.url, None), backend.huge, 10, 1000).rows) == 1001


def test_a_wrong_password_is_one_line_without_credentials(
    repo: Path, cli, user_config, server: Backend
) -> None:
    wrong = server.url.replace(PASSWORD, "not-the-Pa55word")
    user_config(f"connections:\n  warehouse: {wrong}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    # one line for the problem, then pull's own summary
    lines = result.output.strip().splitlines()
    assert lines[1:] == ["nothing was recorded: 1 problem"], result.output
    assert "metrics.signups.source: connection 'warehouse': " in lines[0]
    assert server.denied in lines[0]
    dialect = server.url.partition("+")[0].partition("://")[0]  # postgresql, mysql
    for secret in ("not-the-Pa55word", PASSWORD, USER, "127.0.0.1", dialect, "sqlalche.me"):
        assert secret not in result.output, secret


WRITES = {
    "a function that writes": (
        "SELECT DATE '2026-01-01', (SELECT count(*) FROM grow())",
        "read-only transaction",
    ),
    "a CTE that writes": (
        "WITH w AS (INSERT INTO victim VALUES (2) RETURNING x) SELECT DATE '2026-01-01', x FROM w",
        "read-only transaction|DECLARE",  # refused by the server, either way
    ),
    "nextval": ("SELECT DATE '2026-01-01', nextval('seq')", "read-only transaction"),
}


@pytest.mark.parametrize("case", WRITES)
def test_a_query_that_writes_is_refused_by_the_read_only_transaction(
    repo: Path, cli, postgres: Server, user_config, postgresql_url: str, case: str
) -> None:
    postgres.sql(
        """
        DROP TABLE IF EXISTS victim CASCADE; CREATE TABLE victim (x int); INSERT INTO victim VALUES (1);
        DROP SEQUENCE IF EXISTS seq; CREATE SEQUENCE seq;
        CREATE OR REPLACE FUNCTION grow() RETURNS SETOF victim LANGUAGE sql AS
          'INSERT INTO victim VALUES (3) RETURNING x';
        """
    )
    user_config(f"connections:\n  warehouse: {postgresql_url}\n")
    query, message = WRITES[case]
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert re.search(message, result.output), result.output
    assert postgres.sql("SELECT array_agg(x) FROM victim").strip() == "{1}"
    assert postgres.sql("SELECT last_value, is_called FROM seq").strip() == "1|f"
