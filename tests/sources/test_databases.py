"""sources.databases: connections only the user defines, credentials scrubbed from every
message, a missing driver named by its extra, and the upsert statements."""

from __future__ import annotations

import sys
from pathlib import Path

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
from tests.sources.conftest import Server

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
