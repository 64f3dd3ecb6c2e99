"""`smartgoals pull`: declared sources read, new values appended once, programs only where
the user allowed them."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import textwrap
from pathlib import Path

import pytest

from tests.conftest import git, invoke

HEADER = "date,metric,value,note\n"


def ledger(repo: Path, metrics: str, files: dict[str, str] | None = None) -> Path:
    (repo / "goals").mkdir()
    (repo / "goals" / "goals.yaml").write_text(
        "metrics:\n" + textwrap.indent(textwrap.dedent(metrics), "  "), encoding="utf-8"
    )
    (repo / "goals" / "log.csv").write_text(HEADER, encoding="utf-8")
    for rel, text in (files or {}).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> list[str]:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[1:]


def commits(root: Path) -> int:
    return len(git(root, "log", "--oneline").splitlines())


@pytest.fixture
def no_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user configuration directory: nothing is allowed to run."""
    folder = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


def test_json_source_dated_by_its_commit_and_pulled_once(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        linkedin_followers:
          name: LinkedIn followers
          source: {json: linkedin/profile.json, path: followers}
        """,
        {"linkedin/profile.json": '{"followers": 412, "headline": "studio"}'},
    )
    committed = git(root, "log", "-1", "--format=%cs").strip()
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root) == [f"{committed},linkedin_followers,412,"]
    assert git(root, "log", "-1", "--format=%s").strip() == "pull: 1 value (linkedin_followers)"
    count = commits(root)
    again = invoke(cli, root, "pull")
    assert again.exit_code == 0, again.output
    assert "nothing new" in again.stdout
    assert commits(root) == count
    assert len(journal(root)) == 1


def test_json_source_with_a_date_field_and_a_pointer(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        followers:
          name: Followers
          source: {json: stats.json, path: /data/0/followers, date: data.0.day}
        """,
        {"stats.json": '{"data": [{"day": "2025-03-01", "followers": 1200}]}'},
    )
    result = invoke(cli, root, "pull", "followers")
    assert result.exit_code == 0, result.output
    assert journal(root) == ["2025-03-01,followers,1200,"]
    (root / "stats.json").write_text('{"data": [{"day": "2025-03-01", "followers": 1250}]}')
    conflict = invoke(cli, root, "pull")
    assert "conflict: followers on 2025-03-01: the journal has 1,200" in conflict.stdout
    assert len(journal(root)) == 1
    updated = invoke(cli, root, "pull", "--update")
    assert updated.exit_code == 0, updated.output
    assert journal(root)[-1] == '2025-03-01,followers,1250,"correction: 1,200 -> 1,250"'


def test_csv_source_from_a_glob(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        signups:
          name: Signups
          source: {csv: "exports/signups-*.csv", date: day, value: count}
        """,
        {
            "exports/signups-1.csv": "day,count\n2025-01-01,5\n2025-01-02,7\n",
            "exports/signups-2.csv": "day,count\n2025-01-03,9\n",
        },
    )
    result = invoke(cli, root, "pull", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would append 3 values" in result.stdout
    assert journal(root) == []
    assert invoke(cli, root, "pull").exit_code == 0
    assert journal(root) == [
        "2025-01-01,signups,5,",
        "2025-01-02,signups,7,",
        "2025-01-03,signups,9,",
    ]
    assert "nothing new" in invoke(cli, root, "pull").stdout


def test_csv_source_through_import_rules(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        website_visitors:
          name: Visitors
          source: {csv: visitors.csv, rules: importers/plausible.yaml}
        """,
        {
            "visitors.csv": "date,visitors,pageviews\n2025-01-01,10,20\n2025-01-02,11,25\n",
            "importers/plausible.yaml": "preset: plausible\nrename: {visitors: website_visitors}\n",
        },
    )
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root) == ["2025-01-01,website_visitors,10,", "2025-01-02,website_visitors,11,"]


def test_sqlite_source(repo: Path, cli, no_config) -> None:
    (repo / "data").mkdir()
    connection = sqlite3.connect(repo / "data" / "app.db")
    connection.execute("create table signups (day text, n integer)")
    connection.executemany(
        "insert into signups values (?, ?)",
        [("2025-01-01", 3), ("2025-01-01", 4), ("2025-01-02", 1)],
    )
    connection.commit()
    connection.close()
    root = ledger(
        repo,
        """\
        signups:
          name: Signups
          source:
            sqlite: data/app.db
            query: select day, sum(n) from signups group by day order by day
        """,
    )
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root) == ["2025-01-01,signups,7,", "2025-01-02,signups,1,"]
    assert "nothing new" in invoke(cli, root, "pull").stdout


def test_a_sqlite_query_cannot_write(repo: Path, cli, no_config) -> None:
    connection = sqlite3.connect(repo / "app.db")
    connection.execute("create table t (day text, n integer)")
    connection.commit()
    connection.close()
    root = ledger(
        repo,
        """\
        signups:
          name: Signups
          source: {sqlite: app.db, query: "insert into t values ('2025-01-01', 1)"}
        """,
    )
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1
    assert "query refused: it starts with INSERT" in result.stderr
    connection = sqlite3.connect(repo / "app.db")
    assert connection.execute("select count(*) from t").fetchone() == (0,)
    connection.close()


HLEDGER = """\
    2025-01-05 Sale
        assets:bank        100 USD
        income:sales

    2025-01-20 Sale
        assets:bank        50 USD
        income:sales

    2025-02-03 Consulting
        assets:bank        70 USD
        income:consulting
    """


@pytest.mark.skipif(shutil.which("hledger") is None, reason="hledger is not installed")
def test_hledger_source_by_month_runs_only_when_allowed(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        revenue:
          name: Revenue
          unit: USD
          source: {hledger: "bal income -M --invert", file: books/2025.journal}
        """,
        {"books/2025.journal": HLEDGER},
    )
    refused = invoke(cli, root, "pull")
    assert refused.exit_code == 1
    assert "not run: the hledger adapter runs a program" in refused.stderr
    assert "goals/goals.yaml:5:5: metrics.revenue.source:" in refused.stderr
    assert journal(root) == []
    config = no_config / "smartgoals" / "config.yaml"
    config.parent.mkdir()
    config.write_text(f"allow_commands:\n  - {root.resolve()}\n", encoding="utf-8")
    result = invoke(cli, root, "pull")
    assert result.exit_code == 0, result.output
    assert journal(root) == ["2025-01-31,revenue,150,", "2025-02-28,revenue,70,"]
    assert "nothing new" in invoke(cli, root, "pull").stdout


def test_beancount_source(repo: Path, cli, no_config) -> None:
    pytest.importorskip("beanquery")
    pytest.importorskip("beancount")
    root = ledger(
        repo,
        """\
        sales:
          name: Sales
          unit: USD
          source:
            beancount: "SELECT date, number WHERE account ~ 'Income:Sales'"
            file: books/main.beancount
        """,
        {
            "books/main.beancount": """\
                2025-01-01 open Assets:Bank USD
                2025-01-01 open Income:Sales USD
                2025-01-05 * "Sale"
                  Assets:Bank   100 USD
                  Income:Sales
                2025-02-03 * "Sale"
                  Assets:Bank   70 USD
                  Income:Sales
                """
        },
    )
    refused = invoke(cli, root, "pull")
    assert refused.exit_code == 1
    assert "not run: the beancount adapter runs a program" in refused.stderr
    result = invoke(cli, root, "pull", "--allow-commands")
    assert result.exit_code == 0, result.output
    assert journal(root) == ["2025-01-05,sales,-100,", "2025-02-03,sales,-70,"]
    assert "nothing new" in invoke(cli, root, "pull", "--allow-commands").stdout


def test_a_command_source_in_a_ledger_without_permission_runs_nothing(
    repo: Path, cli, no_config, tmp_path_factory: pytest.TempPathFactory
) -> None:
    witness = tmp_path_factory.mktemp("witness") / "ran.txt"
    root = ledger(
        repo,
        f"""\
        signups:
          name: Signups
          source: {{command: "sh -c 'touch {witness} && echo 2025-01-01,5'"}}
        other:
          name: Other
          source: {{json: other.json, path: n}}
        """,
        {"other.json": '{"n": 1}'},
    )
    before = commits(root)
    for args in (("pull",), ("pull", "signups"), ("pull", "--dry-run"), ("status",), ("check",)):
        invoke(cli, root, *args)
        assert not witness.exists(), args
    refused = invoke(cli, root, "pull")
    assert refused.exit_code == 1
    assert "not run: the command adapter runs a program" in refused.stderr
    assert f"add {root.resolve()} to allow_commands:" in refused.stderr
    assert journal(root) == []  # all or nothing: the json source was not pulled either
    assert commits(root) == before
    # another ledger allowed in the config does not allow this one
    config = no_config / "smartgoals" / "config.yaml"
    config.parent.mkdir()
    config.write_text("allow_commands: [/somewhere/else, relative/path]\n", encoding="utf-8")
    assert invoke(cli, root, "pull").exit_code == 1
    assert not witness.exists()
    allowed = invoke(cli, root, "pull", "--allow-commands")
    assert allowed.exit_code == 0, allowed.output
    assert witness.exists()
    assert "2025-01-01,signups,5," in journal(root)


def test_a_command_printing_one_number_is_dated_today(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        signups:
          name: Signups
          source: {command: "echo 42"}
        """,
    )
    result = invoke(cli, root, "pull", "--allow-commands")
    assert result.exit_code == 0, result.output
    assert journal(root)[0].endswith(",signups,42,")


def test_source_paths_cannot_leave_the_ledger(repo: Path, cli, no_config) -> None:
    outside = repo.parent / "secret.json"
    outside.write_text('{"n": 1}', encoding="utf-8")
    root = ledger(
        repo,
        f"""\
        a: {{name: A, source: {{json: ../secret.json, path: n}}}}
        b: {{name: B, source: {{json: {outside}, path: n}}}}
        """,
    )
    result = invoke(cli, root, "pull")
    assert result.exit_code == 1
    assert "../secret.json: leads out of the ledger" in result.stderr
    assert "not an absolute one" in result.stderr


def test_bad_source_mappings_are_problems_at_their_line(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        a: {name: A, source: {json: x.json}}
        b: {name: B, source: {jsn: x.json, path: n}}
        c: {name: C, source: {json: x.json, path: n, pth: m}}
        d: {name: D, source: Stripe dashboard}
        """,
    )
    result = invoke(cli, root, "check")
    assert result.exit_code == 1
    assert (
        "goals/goals.yaml:2:16: metrics.a.source: path: Field required"
        in result.stdout + result.stderr
    )
    text = result.stdout + result.stderr
    assert "metrics.b.source: a source mapping names exactly one adapter" in text
    assert "metrics.c.source: pth: unknown key" in text
    assert "metrics.d" not in text


def test_show_and_metrics_show_the_source(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        followers: {name: Followers, source: {json: p.json, path: followers}}
        mrr: {name: MRR, unit: USD, source: Stripe dashboard}
        """,
    )
    data = json.loads(invoke(cli, root, "metrics", "--json").stdout)
    assert [m["source"] for m in data["metrics"]] == [
        "json: p.json, path: followers",
        "Stripe dashboard",
    ]
    text = invoke(cli, root, "metrics").stdout
    assert "json: p.json, path: followers" in text


def test_status_never_pulls(repo: Path, cli, no_config) -> None:
    root = ledger(
        repo,
        """\
        followers: {name: Followers, source: {json: p.json, path: followers}}
        """,
        {"p.json": '{"followers": 5}'},
    )
    assert invoke(cli, root, "status").exit_code == 0
    assert journal(root) == []
    assert os.path.exists(root / "p.json")


def test_the_studio_follower_count_comes_from_its_json_file(repo: Path, cli, no_config) -> None:
    from tests.conftest import REPO_ROOT

    shutil.copytree(REPO_ROOT / "goals", repo / "goals")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "the demo")
    before = (repo / "goals" / "log.csv").read_bytes()
    result = invoke(cli, repo, "pull")
    assert result.exit_code == 0, result.output
    assert "nothing new from sources of linkedin_followers" in result.stdout
    assert "skipped: 1 already recorded" in result.stdout
    profile = repo / "goals" / "linkedin" / "profile.json"
    profile.write_text('{"as_of": "2026-11-20", "followers": 541}\n', encoding="utf-8")
    result = invoke(cli, repo, "pull", "linkedin_followers")
    assert result.exit_code == 0, result.output
    assert (
        repo / "goals" / "log.csv"
    ).read_bytes() == before + b"2026-11-20,linkedin_followers,541,\n"
    assert "nothing new" in invoke(cli, repo, "pull").stdout
