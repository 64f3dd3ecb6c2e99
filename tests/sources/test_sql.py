"""sources.sql against a real PostgreSQL (tests/sources/conftest.py) and DuckDB files: one
reading statement in a READ ONLY transaction, with a timeout and a row limit, over a connection
only the user defines; credentials never printed (the timeout, the row limit, the read-only
transaction, a wrong password and a missing driver: test_databases, for every driver)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from smartgoals.sources.sql import check_statement
from tests.conftest import git, invoke
from tests.sources.conftest import PASSWORD, Server

TODAY_SQL = "SELECT day, value FROM kpi WHERE metric = 'signups' ORDER BY day"


def make_ledger(repo: Path, source: str, settings: str = "") -> Path:
    """Two metrics (signups, revenue in EUR) in goals/goals.yaml; signups's source: as given."""
    (repo / "goals").mkdir()
    body = textwrap.dedent(
        """\
        metrics:
          signups:
            name: Signups
            SOURCE
          revenue:
            name: Revenue
            unit: EUR
        """
    ).replace("SOURCE", source)
    (repo / "goals" / "goals.yaml").write_text(body, encoding="utf-8")
    (repo / "goals" / "log.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    if settings:
        (repo / "smartgoals.yaml").write_text(settings, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def sql_source(query: str, connection: str = "warehouse", extra: str = "") -> str:
    quoted = '"' + query.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"source: {{sql: {quoted}, connection: {connection}{extra}}}"


@pytest.fixture(scope="module")
def kpi(postgres: Server) -> Server:
    postgres.sql(
        """
        DROP TABLE IF EXISTS kpi;
        CREATE TABLE kpi (metric text, day date, value numeric, at timestamptz, n integer,
                          label text);
        INSERT INTO kpi VALUES
          ('signups', '2026-01-01', 10.5, '2026-01-01 23:30:00+00', 10, '10'),
          ('signups', '2026-01-02', 12, '2026-01-02 08:00:00+00', 12, '12'),
          ('revenue', '2026-01-01', 1234.56, '2026-01-01 12:00:00+00', 1234, '1,234.56'),
          ('revenue', '2026-01-02', NULL, '2026-01-02 12:00:00+00', NULL, NULL);
        """
    )
    return postgres


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8")


def test_a_metric_is_pulled_from_postgresql_in_one_commit(
    repo: Path, cli, kpi, user_config
) -> None:
    user_config(f"connections:\n  warehouse:\n    url: {kpi.url}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,signups,10.5,", "2026-01-02,signups,12,"]
    assert git(root, "log", "--format=%s").splitlines()[0] == "pull: 2 values (signups)"
    again = invoke(cli, root, "pull")
    assert "nothing new" in again.output


def test_dry_run_shows_the_query_and_what_it_would_record(
    repo: Path, cli, kpi, user_config
) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull", "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"query: sql on warehouse: {TODAY_SQL}" in result.output
    assert "2026-01-02,signups,12," in result.output
    assert PASSWORD not in result.output
    assert journal(root).count("\n") == 1


def test_the_environment_defines_a_connection_too(
    repo: Path, cli, kpi, user_config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTGOALS_CONNECTION_WAREHOUSE", kpi.url)
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output


def test_one_query_gives_many_metrics(repo: Path, cli, kpi, user_config) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    settings = "sources:\n  - sql: SELECT metric, day, value FROM kpi\n    connection: warehouse\n"
    root = make_ledger(repo, "", settings)
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert sorted(journal(root).splitlines()[1:]) == [
        "2026-01-01,revenue,1234.56,",
        "2026-01-01,signups,10.5,",
        "2026-01-02,signups,12,",
    ]
    assert "left out: sql on warehouse: 1 row with a NULL value skipped" in result.output


def test_one_query_for_many_takes_only_the_chosen_metric(repo: Path, cli, kpi, user_config) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    settings = "sources:\n  - {sql: 'SELECT metric, day, value FROM kpi', connection: warehouse}\n"
    root = make_ledger(repo, "", settings)
    result = invoke(cli, root, "pull", "revenue")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,revenue,1234.56,"]


def test_an_unknown_metric_in_a_query_for_many_refuses_all(
    repo: Path, cli, kpi, user_config
) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    query = "SELECT metric, day, value FROM kpi UNION ALL SELECT 'signup', DATE '2026-01-01', 1"
    settings = f'sources:\n  - {{sql: "{query}", connection: warehouse}}\n'
    root = make_ledger(repo, "", settings)
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "unknown metric 'signup'" in result.output
    assert journal(root).count("\n") == 1


TYPES = {
    "integer": ("SELECT day, n FROM kpi WHERE metric = 'signups'", ["2026-01-01,signups,10,"]),
    "text": (
        "SELECT day::text, label FROM kpi WHERE metric = 'signups'",
        ["2026-01-01,signups,10,"],
    ),
    "timestamp with a zone: its date in the session's zone": (
        "SELECT at, n FROM kpi WHERE n = 10",
        ["2026-01-02,signups,10,"],  # 23:30 UTC is 00:30 on the 2nd in Paris
    ),
    "timestamp without a zone": (
        "SELECT at::timestamp, n FROM kpi WHERE n = 10",
        ["2026-01-02,signups,10,"],
    ),
    "a date as ISO text": ("SELECT '2026-01-01', 7", ["2026-01-01,signups,7,"]),
}


@pytest.mark.parametrize("case", TYPES)
def test_types(repo: Path, cli, kpi, user_config, case: str) -> None:
    user_config(f"connections:\n  warehouse:\n    url: {kpi.url}\n    timezone: Europe/Paris\n")
    query, expected = TYPES[case]
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:2] == expected


REFUSED = {
    "a NULL day": ("SELECT NULL::date, 1", "row 1: the day is NULL"),
    "the same day twice with two values": (
        "SELECT DATE '2026-01-01', 1 UNION ALL SELECT DATE '2026-01-01', 2",
        "signups on 2026-01-01 twice, with two values; aggregate in the query (GROUP BY)",
    ),
    "not a value": ("SELECT DATE '2026-01-01', 'lots'", "row 1:"),
    "three columns on a metric": (
        "SELECT 1, 2, 3",
        "the query returns 3 columns, not (day, value)",
    ),
    "a day in the future": ("SELECT DATE '2999-01-01', 1", "2999-01-01 is in the future"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_refused_rows_refuse_the_whole_pull(repo: Path, cli, kpi, user_config, case: str) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    query, message = REFUSED[case]
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert journal(root).count("\n") == 1


def test_the_same_day_twice_with_the_same_value_counts_once(
    repo: Path, cli, kpi, user_config
) -> None:
    user_config(f"connections:\n  warehouse: {kpi.url}\n")
    query = "SELECT DATE '2026-01-01', 1 UNION ALL SELECT DATE '2026-01-01', 1.0"
    root = make_ledger(repo, sql_source(query))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,signups,1,"]


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("SELECT 1", None),
        ("  -- c\n /* a /* nested */ one */ WITH x AS (SELECT 1) SELECT * FROM x;  -- end", None),
        ("SELECT ';' , $$;$$, $t$ ; $t$, \"a;b\", E'\\';' -- ;\n", None),
        ("SELECT 1; DROP TABLE kpi", "a second statement follows the first"),
        ("SELECT 1;/* */;", "a second statement follows the first"),
        ("DELETE FROM kpi", "it starts with DELETE"),
        ("COPY kpi TO '/tmp/x'", "it starts with COPY"),
        ("SET default_transaction_read_only = off", "it starts with SET"),
        ("", "it is empty"),
        ("SELECT 'a", "a quote or a comment is not closed"),
        ("SELECT 1 /* a", "a comment is not closed"),
        ("SELECT $x$ 1", "a quote or a comment is not closed"),
    ],
)
def test_check_statement(query: str, refusal: str | None) -> None:
    found = check_statement(query)
    assert (found is None) if refusal is None else (refusal in (found or "")), found


def test_a_second_statement_is_refused_before_anything_is_sent(
    repo: Path, cli, user_config
) -> None:
    # no connection is defined: the refusal comes first, from the statement alone
    root = make_ledger(repo, sql_source("SELECT DATE '2026-01-01', 1; DROP TABLE kpi"))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "query refused: a second statement follows the first" in result.output


def test_a_connection_the_user_did_not_define_is_refused(repo: Path, cli, user_config) -> None:
    """A cloned ledger names a connection: it runs only where the user defined that name."""
    user_config("connections:\n  other: duckdb:///nowhere.duckdb\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert "connection 'warehouse' is not defined in your config (" in result.output
    assert "$SMARTGOALS_CONNECTION_WAREHOUSE; see docs/import-and-pull.md" in result.output


def test_a_url_in_the_ledger_is_refused_without_being_printed(repo: Path, cli, user_config) -> None:
    root = make_ledger(repo, sql_source(TODAY_SQL, connection="'postgresql://u:hunter2@db/x'"))
    result = invoke(cli, root, "check")
    assert result.exit_code == 1, result.output
    assert "never a URL in the ledger" in result.output
    assert "hunter2" not in result.output


@pytest.fixture
def duck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path_factory.mktemp("duck") / "warehouse.duckdb"
    with duckdb.connect(str(path)) as db:
        db.execute("CREATE TABLE kpi (metric TEXT, day DATE, value DECIMAL(10, 2))")
        db.execute(
            "INSERT INTO kpi VALUES ('signups', '2026-01-01', 3.5), ('revenue', '2026-01-01', 9)"
        )
    return path


def test_a_duckdb_file_is_read(repo: Path, cli, user_config, duck: Path) -> None:
    user_config(f"connections:\n  warehouse: duckdb://{duck}\n")
    root = make_ledger(repo, sql_source(TODAY_SQL))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root).splitlines()[1:] == ["2026-01-01,signups,3.5,"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "WITH x AS (SELECT 1) SELECT DATE '2026-01-01', count(*) FROM read_csv('/etc/passwd')",
            "",
        ),
        ("SELECT DATE '2026-01-01', count(*) FROM range(100000000000) t, range(1000) u", "stopped"),
    ],
)
def test_a_duckdb_file_reads_nothing_else_and_stops(
    repo: Path, cli, user_config, duck: Path, query: str, message: str
) -> None:
    user_config(f"connections:\n  warehouse: duckdb://{duck}\n")
    root = make_ledger(repo, sql_source(query, extra=", timeout: 1"))
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_duckdb_opens_read_only(repo: Path, cli, user_config, duck: Path) -> None:
    import duckdb

    user_config(f"connections:\n  warehouse: duckdb://{duck}\n")
    query = "WITH x AS (SELECT 1) SELECT DATE '2026-01-01', 1"
    root = make_ledger(repo, sql_source(query))
    assert invoke(cli, root, "pull").exit_code == 0
    from smartgoals.sources.databases import Connection, _duckdb

    connection = Connection("w", f"duckdb://{duck}", None)
    with _duckdb(connection, duckdb, read_only=True) as db, pytest.raises(duckdb.Error):
        db.execute("DELETE FROM kpi")
