"""sources.sqlite: one statement that only reads; a refused query writes nothing anywhere."""

from __future__ import annotations

import hashlib
import sqlite3
import textwrap
from pathlib import Path

import pytest

from smartgoals.sources.sqlite import check_statement
from tests.conftest import git, invoke


def make_ledger(repo: Path, query: str) -> Path:
    connection = sqlite3.connect(repo / "app.db")
    connection.executescript(
        """
        create table signups (day text, plan_id integer, n integer);
        create table plans (id integer, name text);
        insert into plans values (1, 'free'), (2, 'pro');
        insert into signups values ('2025-01-01', 1, 3), ('2025-01-01', 2, 4),
                                   ('2025-01-02', 2, 1);
        """
    )
    connection.commit()
    connection.close()
    (repo / "goals").mkdir()
    body = textwrap.dedent(
        """\
        metrics:
          signups:
            name: Signups
            source:
              sqlite: app.db
              query: QUERY
        """
    ).replace("QUERY", _yaml_string(query))
    (repo / "goals" / "goals.yaml").write_text(body, encoding="utf-8")
    (repo / "goals" / "log.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def snapshot(*folders: Path) -> dict[str, str]:
    """Every path under the folders, with its content's digest (git's index aside: git may
    refresh its stat data on any read)."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            digest = ""
            if path.is_file() and path.name != "index":
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path)] = digest
    return found


@pytest.fixture
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("elsewhere")


HOSTILE = {
    "vacuum into": ("VACUUM INTO '../dropped.db'", "it starts with VACUUM"),
    "vacuum into, after a comment": ("/* c */ -- c\n vacuum into 'x.db'", "it starts with VACUUM"),
    "attach": ("ATTACH DATABASE '{elsewhere}/new.db' AS x", "it starts with ATTACH"),
    "pragma": ("PRAGMA journal_mode=WAL", "it starts with PRAGMA"),
    "create table": ("CREATE TABLE u (x)", "it starts with CREATE"),
    "insert": ("INSERT INTO plans VALUES (3, 'x')", "it starts with INSERT"),
    "two statements": (
        "select day, n from signups; drop table signups",
        "a second statement follows the first",
    ),
    "a CTE that deletes": (
        "with x as (select 1) delete from signups",
        "it asks for DELETE signups",
    ),
    "a CTE that inserts": (
        "with x as (select 1) insert into plans select 3, 'x' from x",
        "it asks for INSERT plans",
    ),
    "a read-only pragma function": (
        "select name, cid from pragma_table_info('signups')",
        "it asks for PRAGMA table_info",
    ),
    "load_extension": ("select 1, load_extension('x')", "it asks for FUNCTION load_extension"),
}


@pytest.mark.parametrize("dry_run", [False, True], ids=["pull", "pull --dry-run"])
@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_query_that_would_write_is_refused_and_writes_nothing(
    repo: Path, cli, elsewhere: Path, case: str, dry_run: bool
) -> None:
    query, why = HOSTILE[case]
    root = make_ledger(repo, query.format(elsewhere=elsewhere))
    before = snapshot(root, elsewhere)
    head = git(root, "rev-parse", "HEAD")
    result = invoke(cli, root, "pull", *(["--dry-run"] if dry_run else []))
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("goals/goals.yaml:4:5: metrics.signups.source: app.db: query ")
    assert "query refused: " + why in lines[0]
    assert snapshot(root, elsewhere) == before
    assert not (root.parent / "dropped.db").exists()
    assert git(root, "rev-parse", "HEAD") == head


READING = {
    "join": (
        "select s.day, sum(s.n) from signups s join plans p on p.id = s.plan_id "
        "where p.name = 'pro' group by s.day order by s.day",
        ["2025-01-01,signups,4,", "2025-01-02,signups,1,"],
    ),
    "recursive CTE and functions": (
        "with recursive d(i) as (select 0 union all select i + 1 from d where i < 1) "
        "select date('2025-01-01', '+' || i || ' days'), "
        "(select coalesce(sum(n), 0) from signups where day = date('2025-01-01', '+' || i || "
        "' days')) from d;  -- one statement, a comment after it",
        ["2025-01-01,signups,7,", "2025-01-02,signups,1,"],
    ),
    "json_each and a window": (
        "select value, sum(1) over (order by value) from json_each('[\"2025-01-01\"]')",
        ["2025-01-01,signups,1,"],
    ),
    "values": ("values ('2025-01-03', 2)", ["2025-01-03,signups,2,"]),
}


@pytest.mark.parametrize("case", list(READING))
def test_reading_queries_still_work(repo: Path, cli, case: str) -> None:
    query, rows = READING[case]
    root = make_ledger(repo, query)
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert (root / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[1:] == rows


def test_a_wal_database_is_read_without_leaving_files_beside_it(repo: Path, cli) -> None:
    root = make_ledger(repo, "select day, sum(n) from signups group by day")
    connection = sqlite3.connect(root / "app.db")
    assert connection.execute("pragma journal_mode=wal").fetchone() == ("wal",)
    connection.close()
    git(root, "commit", "-q", "-am", "wal")
    before = snapshot(root)
    result = invoke(cli, root, "pull", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would append 2 values" in result.stdout
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("select 1, 2", None),
        ("  SELECT 1, 2;  ", None),
        ("select ';', 2; -- a comment\n/* another */", None),
        ("WITH x AS (SELECT 1) SELECT * FROM x", None),
        ("select 1, 2; select 3, 4", "a second statement follows the first"),
        ("select 1, 2;\nvacuum", "a second statement follows the first"),
        ("", "it is empty"),
        ("-- only a comment", "it is empty"),
        ("explain select 1", "it starts with EXPLAIN"),
        ("begin", "it starts with BEGIN"),
        ("detach x", "it starts with DETACH"),
    ],
)
def test_check_statement(query: str, refusal: str | None) -> None:
    found = check_statement(query)
    assert (found if found is None else found.split(";")[0]) == refusal


@pytest.mark.parametrize(
    "statement",
    [
        "VACUUM INTO '{folder}/vacuumed.db'",
        "ATTACH DATABASE '{folder}/attached.db' AS x",
        "PRAGMA journal_mode=WAL",
        "PRAGMA writable_schema=ON",
        "CREATE TABLE u (x)",
        "CREATE TEMP TABLE u (x)",
        "INSERT INTO t VALUES (1)",
        "UPDATE t SET x = 2",
        "DELETE FROM t",
        "DROP TABLE t",
        "ALTER TABLE t ADD COLUMN y",
        "BEGIN",
        "SAVEPOINT s",
        "ANALYZE",
    ],
)
def test_the_authorizer_alone_denies_all_but_reading(tmp_path: Path, statement: str) -> None:
    """Without the statement check in front of it, the authorizer still lets nothing write."""
    from smartgoals.sources.sqlite import _authorizer, _uri

    database = tmp_path / "app.db"
    connection = sqlite3.connect(database)
    connection.execute("create table t (x)")
    connection.commit()
    connection.close()
    before = snapshot(tmp_path)
    connection = sqlite3.connect(_uri(database), uri=True, isolation_level=None)
    denied: list[str] = []
    connection.set_authorizer(_authorizer(denied))
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute(statement.format(folder=tmp_path)).fetchall()
    connection.close()
    assert denied
    assert snapshot(tmp_path) == before
