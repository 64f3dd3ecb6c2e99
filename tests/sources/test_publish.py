"""`export --to CONNECTION` (commands/export.py's publish): observations, judgements and goals written
into a real PostgreSQL and a DuckDB file, read back with SQL, upserted again without
duplicates; the judgements agree with `status --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import invoke, write_ledger
from tests.sources.conftest import PASSWORD, Server

GOALS = """\
    metrics:
      mrr: {name: Monthly recurring revenue, unit: USD}
      stage: {name: Stage, type: stage, stages: [idea, beta, live]}
    goals:
      - id: grow
        title: Grow revenue
        area: sales
        owner: "@ada"
        start: 2026-01-01
        due: 2026-12-31
        targets:
          - {metric: mrr, target: 10000}
          - {metric: stage, target: live}
      - id: ship
        title: Ship it
        area: product
        owner: "@bo"
        start: 2026-01-01
        due: 2026-06-30
        targets:
          - {metric: mrr, target: 100, due: 2026-03-31}
    """
JOURNAL = """\
    date,metric,value,note
    2026-01-31,mrr,1000,
    2026-02-28,mrr,2000,
    2026-02-28,stage,beta,
    2026-03-31,mrr,3000,
    """


@pytest.fixture
def fresh(postgres: Server) -> Server:
    postgres.sql(
        "DROP TABLE IF EXISTS smartgoals_observations, smartgoals_judgements, smartgoals_goals"
    )
    return postgres


@pytest.fixture
def connections(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    home = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))

    def define(name: str, url: str) -> None:
        (home / "smartgoals").mkdir(exist_ok=True)
        (home / "smartgoals" / "config.yaml").write_text(
            f"connections:\n  {name}:\n    url: {url}\n", encoding="utf-8"
        )

    return define


def test_export_to_postgresql_writes_three_tables_that_sql_reads_back(
    tmp_path: Path, cli, fresh: Server, connections
) -> None:
    connections("dash", fresh.url)
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "wrote to dash as of 2026-04-15: 4 observations (smartgoals_observations), "
        "3 judgements (smartgoals_judgements), 2 goals (smartgoals_goals)"
    )
    assert PASSWORD not in result.output
    observations = fresh.sql(
        "SELECT metric, day, value, unit FROM smartgoals_observations ORDER BY 1, 2"
    )
    assert observations.split() == [
        "mrr|2026-01-31|1000|USD",
        "mrr|2026-02-28|2000|USD",
        "mrr|2026-03-31|3000|USD",
        "stage|2026-02-28|1|stage",
    ]
    goals = fresh.sql("SELECT goal, area, owner, status, due FROM smartgoals_goals ORDER BY goal")
    assert [line.split("|")[:3] for line in goals.split()] == [
        ["grow", "sales", "@ada"],
        ["ship", "product", "@bo"],
    ]
    judged = fresh.sql(
        "SELECT goal, target, metric, status, value, progress, due FROM smartgoals_judgements "
        "ORDER BY goal, target"
    ).split()
    status = json.loads(invoke(cli, root, "status", "--json", "--as-of", "2026-04-15").output)
    expected = [
        f"{g['id']}|{i}|{t['metric']}|{t['status']}"
        for g in sorted(status["goals"], key=lambda g: g["id"])
        for i, t in enumerate(g["targets"], start=1)
    ]
    assert [row.rsplit("|", 3)[0] for row in judged] == expected
    grow_mrr = next(g for g in status["goals"] if g["id"] == "grow")["targets"][0]
    assert judged[0] == f"grow|1|mrr|{grow_mrr['status']}|3000|{grow_mrr['progress']}|2026-12-31"
    assert judged[1].startswith("grow|2|stage|") and judged[1].endswith("|2026-12-31")
    # progress is clamped to 0..1: ship's 3000 against 100 is 1
    assert judged[2].split("|")[5] == "1"


def test_a_second_export_upserts_without_duplicates(
    tmp_path: Path, cli, fresh: Server, connections
) -> None:
    connections("dash", fresh.url)
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    for _ in range(2):
        assert invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15").exit_code == 0
    (root / "goals" / "log.csv").write_text(
        (root / "goals" / "log.csv").read_text() + "2026-03-31,mrr,3500,correction: typo\n"
    )
    assert invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15").exit_code == 0
    counts = fresh.sql(
        "SELECT (SELECT count(*) FROM smartgoals_observations), "
        "(SELECT count(*) FROM smartgoals_judgements), (SELECT count(*) FROM smartgoals_goals)"
    )
    assert counts.strip() == "4|3|2"
    assert (
        fresh.sql("SELECT value FROM smartgoals_observations WHERE day = '2026-03-31'").strip()
        == "3500"
    )
    # another as-of date adds its judgements beside the first: a history to chart
    assert invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-05-15").exit_code == 0
    assert fresh.sql("SELECT count(DISTINCT as_of) FROM smartgoals_judgements").strip() == "2"


def test_export_to_an_undefined_connection_is_refused(tmp_path: Path, cli, connections) -> None:
    connections("other", "duckdb:///nowhere.duckdb")
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, root, "export", "--to", "dash")
    assert result.exit_code == 3, result.output
    assert "connection 'dash' is not defined in your config" in result.output


def test_export_to_with_a_wrong_password_prints_no_credential(
    tmp_path: Path, cli, fresh: Server, connections
) -> None:
    connections("dash", fresh.url.replace(PASSWORD, "wrong-Pa55"))
    root = write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, root, "export", "--to", "dash")
    assert result.exit_code == 3, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert "password authentication failed" in result.output
    assert "wrong-Pa55" not in result.output and "postgresql://" not in result.output


def test_export_to_a_duckdb_file(tmp_path: Path, cli, connections) -> None:
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "dash.duckdb"
    connections("dash", f"duckdb://{path}")
    root = write_ledger(tmp_path / "ledger", GOALS, JOURNAL)
    for _ in range(2):
        result = invoke(cli, root, "export", "--to", "dash", "--as-of", "2026-04-15", "--json")
        assert result.exit_code == 0, result.output
    assert json.loads(result.output)["written"]["smartgoals_judgements"] == 3
    with duckdb.connect(str(path), read_only=True) as db:
        found = db.execute("SELECT goal, score IS NOT NULL FROM smartgoals_goals ORDER BY 1")
        assert found.fetchall() == [("grow", True), ("ship", True)]
        assert db.execute("SELECT count(*) FROM smartgoals_observations").fetchone() == (4,)
