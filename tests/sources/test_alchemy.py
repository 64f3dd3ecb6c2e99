"""sources.alchemy: any database through SQLAlchemy, for pull and export --to, against real SQLite
files, the real PostgreSQL of tests/sources/conftest.py (through SQLAlchemy's psycopg dialect) and
a real MariaDB (the mysql+pymysql dialect):
a read-only transaction, one statement, a timeout, a row limit; credentials never printed; a
missing driver or dialect one line. What every driver must do alike (the timeout, the row limit,
PostgreSQL's read-only transaction, a wrong password, a missing driver) is one test over them
all, in test_databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from smartgoals.sources.common import SourceError
from smartgoals.sources.databases import Connection
from smartgoals.sources.databases import fetch as fetch_from
from tests.conftest import invoke, write_ledger
from tests.sources.conftest import PASSWORD, Maria, Server
from tests.sources.test_publish import GOALS, JOURNAL
from tests.sources.test_sql import TODAY_SQL, journal, make_ledger, sql_source

pytest.importorskip("sqlalchemy")


@pytest.fixture
def kpi_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite warehouse file with the kpi table of test_sql's PostgreSQL one."""
    path = tmp_path_factory.mktemp("sqlite") / "warehouse.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE kpi (metric TEXT, day TEXT, value REAL)")
        db.executemany(
            "INSERT INTO kpi VALUES (?, ?, ?)",
            [
                ("signups", "2026-01-01", 10.5),
                ("signups", "2026-01-02", 12),
                ("revenue", "2026-01-01", 1234.56),
            ],
        )
    db.close()
    return path


def fetch(name: str, url: str, sql: str, timeout: float, limit: int) -> tuple[object, ...]:
    """databases.fetch of a connection defined by that URL: SQLAlchemy's errors scrubbed."""
    return tuple(fetch_from(Connection(name, url, None), sql, timeout, limit))


def rows_of(path: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        found = db.execute(query).fetchall()
    db.close()
    return found


def test_a_metric_is_pulled_from_a_sqlite_file(repo: Path, cli, user_config, kpi_file) -> None:
    user_config(f"connections:\n  warehouse: sqlite:///{kpi_file}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,signups,10.5,", "2026-01-02,signups,12,"]


def test_one_query_for_many_metrics_from_a_sqlite_file(
    repo: Path, cli, user_config, kpi_file
) -> None:
    user_config(f"connections:\n  warehouse: sqlite:///{kpi_file}\n")
    settings = "sources:\n  - {sql: 'SELECT metric, day, value FROM kpi', connection: warehouse}\n"
    root = make_ledger(repo, "", settings)
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert "2026-01-01,revenue,1234.56," in journal(root)


def test_a_sqlite_file_is_opened_read_only(repo: Path, cli, user_config, kpi_file) -> None:
    """A statement that passes the check (it starts with WITH) but writes: SQLite refuses it."""
    user_config(f"connections:\n  warehouse: sqlite:///{kpi_file}\n")
    query = "WITH x AS (SELECT 1) INSERT INTO kpi SELECT 'signups', '2026-01-03', 1 FROM x"
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "attempt to write a readonly database" in result.output
    assert len(rows_of(kpi_file, "SELECT * FROM kpi")) == 3
    # fetch alone, without the statement check in front
    with pytest.raises(SourceError, match="readonly database"):
        fetch("w", f"sqlite:///{kpi_file}", "DELETE FROM kpi", 5, 10)
    assert len(rows_of(kpi_file, "SELECT * FROM kpi")) == 3


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="unable to open database file"):
        fetch("w", f"sqlite:///{tmp_path / 'none.db'}", "SELECT 1", 5, 10)
    assert not (tmp_path / "none.db").exists()


def test_a_second_statement_is_refused_before_anything_is_sent(
    repo: Path, cli, user_config, kpi_file
) -> None:
    user_config(f"connections:\n  warehouse: sqlite:///{kpi_file}\n")
    root = make_ledger(repo, sql_source("SELECT '2026-01-01', 1; DROP TABLE kpi"))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "query refused: a second statement follows the first" in result.output
    assert rows_of(kpi_file, "SELECT count(*) FROM kpi") == [(3,)]


@pytest.fixture
def kpi(postgres: Server) -> Server:
    postgres.sql(
        """
        DROP TABLE IF EXISTS kpi_sa;
        CREATE TABLE kpi_sa (metric text, day date, value numeric, at timestamptz);
        INSERT INTO kpi_sa VALUES ('signups', '2026-01-01', 10.5, '2026-01-01 23:30:00+00'),
                                  ('signups', '2026-01-02', 12, '2026-01-02 08:00:00+00');
        """
    )
    return postgres


def alchemy_url(server: Server) -> str:
    return server.url.replace("postgresql://", "postgresql+psycopg://")


def test_postgresql_through_sqlalchemy(repo: Path, cli, user_config, kpi: Server) -> None:
    user_config(
        f"connections:\n  warehouse:\n    url: {alchemy_url(kpi)}\n    timezone: Europe/Paris\n"
    )
    query = "SELECT at, value FROM kpi_sa WHERE value = 10.5"
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    # 23:30 UTC is 00:30 on the 2nd in Paris: the session's zone is the connection's
    assert journal(root).splitlines()[1:] == ["2026-01-02,signups,10.5,"]


def test_an_unknown_dialect_is_one_line_without_credentials(repo: Path, cli, user_config) -> None:
    user_config("connections:\n  warehouse: nosuchdb://u:hunter2@db.internal/x\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "connection 'warehouse': nosuchdb: is not a dialect SQLAlchemy knows" in result.output
    assert "hunter2" not in result.output and "db.internal" not in result.output


def test_export_to_a_sqlite_file_upserts(tmp_path: Path, cli, user_config) -> None:
    path = tmp_path / "dash.db"
    user_config(f"connections:\n  dash: sqlite:///{path}\n")
    root = write_ledger(tmp_path / "ledger", GOALS, JOURNAL)
    for _ in range(2):
        result = invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15")
        assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "wrote to dash as of 2026-04-15: 4 observations (smartgoals_observations), "
        "3 judgements (smartgoals_judgements), 2 goals (smartgoals_goals)"
    )
    assert rows_of(
        path, "SELECT metric, day, value, unit FROM smartgoals_observations ORDER BY 1, 2"
    ) == [
        ("mrr", "2026-01-31", 1000.0, "USD"),
        ("mrr", "2026-02-28", 2000.0, "USD"),
        ("mrr", "2026-03-31", 3000.0, "USD"),
        ("stage", "2026-02-28", 1.0, "stage"),
    ]
    (root / "goals" / "log.csv").write_text(
        (root / "goals" / "log.csv").read_text() + "2026-03-31,mrr,3500,correction: typo\n"
    )
    assert invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15").exit_code == 0
    assert rows_of(path, "SELECT count(*) FROM smartgoals_observations") == [(4,)]
    assert rows_of(path, "SELECT value FROM smartgoals_observations WHERE day = '2026-03-31'") == [
        (3500.0,)
    ]
    assert rows_of(path, "SELECT goal FROM smartgoals_goals ORDER BY 1") == [("grow",), ("ship",)]


@pytest.mark.parametrize("name", ["postgres", "mariadb"])
def test_export_to_a_server_through_sqlalchemy_upserts(
    tmp_path: Path, cli, user_config, request: pytest.FixtureRequest, name: str
) -> None:
    """PostgreSQL through SQLAlchemy's psycopg dialect, and MariaDB: the same counts twice."""
    server: Server | Maria = request.getfixturevalue(name)
    server.sql(
        "DROP TABLE IF EXISTS smartgoals_observations, smartgoals_judgements, smartgoals_goals"
    )
    url = alchemy_url(server) if isinstance(server, Server) else server.url
    user_config(f"connections:\n  dash: {url}\n")
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    for _ in range(2):
        result = invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15")
        assert result.exit_code == 0, result.output
    counts = server.sql(
        "SELECT (SELECT count(*) FROM smartgoals_observations), "
        "(SELECT count(*) FROM smartgoals_judgements), (SELECT count(*) FROM smartgoals_goals)"
    )
    assert counts.replace("|", " ").split() == ["4", "3", "2"]  # psql's | or MariaDB's tab


def test_export_through_sqlalchemy_with_a_wrong_password_prints_no_credential(
    tmp_path: Path, cli, user_config, postgres: Server
) -> None:
    user_config(f"connections:\n  dash: {alchemy_url(postgres).replace(PASSWORD, 'wrong-Pa55')}\n")
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, root, "export", "--to", "dash")
    assert result.exit_code == 3, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "password authentication failed" in result.output
    assert "wrong-Pa55" not in result.output and "postgresql+psycopg://" not in result.output


@pytest.fixture
def maria_kpi(mariadb: Maria) -> Maria:
    mariadb.sql(
        "DROP TABLE IF EXISTS kpi, victim; "
        "CREATE TABLE kpi (metric VARCHAR(40), day DATE, value DECIMAL(10, 2)); "
        "INSERT INTO kpi VALUES ('signups', '2026-01-01', 10.5), ('signups', '2026-01-02', 12); "
        "CREATE TABLE victim (x INT); INSERT INTO victim VALUES (1)"
    )
    return mariadb


def test_a_metric_is_pulled_from_mariadb(repo: Path, cli, user_config, maria_kpi: Maria) -> None:
    user_config(f"connections:\n  warehouse: {maria_kpi.url}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,signups,10.5,", "2026-01-02,signups,12,"]


def test_mariadb_reads_only(maria_kpi: Maria) -> None:
    """fetch alone, without the statement check in front: the READ ONLY transaction refuses a
    write (max_statement_time stopping a slow query: test_databases)."""
    with pytest.raises(SourceError, match="Cannot execute statement in a READ ONLY transaction"):
        fetch("w", maria_kpi.url, "DELETE FROM victim", 5, 10)
    assert maria_kpi.sql("SELECT count(*) FROM victim").strip() == "1"
