"""cli/write.py: the writing commands through the real CLI; after each, the files and commits
are read back to see what really changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.app import app
from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  followers:
    name: Followers
    unit: count
    source: {json: p.json, path: n, date: day}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, JOURNAL)
    (repo / "p.json").write_text('{"n": 412, "day": "2026-02-01"}', encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8")


def commits(root: Path) -> list[str]:
    return git(root, "log", "--format=%s").splitlines()


def test_log_then_undo(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "log", "mrr", "120", "--date", "2026-02-28", "--note", "x")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("mrr = $120 on 2026-02-28: committed ")
    assert journal(ledger) == JOURNAL + "2026-02-28,mrr,120,x\n"
    assert commits(ledger)[0] == "log: mrr = 120 USD (2026-02-28)"
    refused = invoke(cli, ledger, "undo")  # no terminal to confirm in, and no --yes
    assert refused.exit_code != 0
    assert commits(ledger)[0] == "log: mrr = 120 USD (2026-02-28)"
    undone = invoke(cli, ledger, "undo", "--yes")
    assert undone.exit_code == 0, undone.output
    assert commits(ledger)[0].startswith("undo: ")
    logged = git(ledger, "rev-parse", "--short=10", "HEAD~1").strip()
    # the day had no value before: the correction row empties it
    assert journal(ledger).splitlines()[-1] == (
        f"2026-02-28,mrr,,correction: $120 -> none; undo of {logged}"
    )


def test_log_no_commit_and_a_refused_value(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "log", "mrr=lots", "--date", "2026-02-28")
    assert result.exit_code == 1
    assert journal(ledger) == JOURNAL
    kept = invoke(cli, ledger, "log", "mrr=130", "--date", "2026-02-28", "--no-commit")
    assert kept.exit_code == 0, kept.output
    assert commits(ledger) == ["start"]
    assert journal(ledger).endswith("2026-02-28,mrr,130,\n")


def test_checkin_needs_a_terminal(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "checkin")
    assert result.exit_code == 1
    assert "checkin needs a terminal" in result.stderr
    assert commits(ledger) == ["start"]


def test_import_dry_run_then_for_real(ledger: Path, cli: CliRunner) -> None:
    (ledger / "m.csv").write_text("day,v\n2026-02-28,300\n", encoding="utf-8")
    (ledger / "m.csv.rules.yaml").write_text(
        "date: day\nvalues:\n  - {metric: mrr, value: v}\n", encoding="utf-8"
    )
    dry = invoke(cli, ledger, "import", str(ledger / "m.csv"), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "2026-02-28,mrr,300," in dry.stdout.splitlines()
    assert journal(ledger) == JOURNAL
    done = invoke(cli, ledger, "import", str(ledger / "m.csv"))
    assert done.exit_code == 0, done.output
    assert journal(ledger).endswith("2026-02-28,mrr,300,\n")
    assert commits(ledger)[0].startswith("import: 1 value from m.csv")


def test_pull(
    ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path_factory
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))
    result = invoke(cli, ledger, "pull", "followers")
    assert result.exit_code == 0, result.output
    assert journal(ledger).endswith("2026-02-01,followers,412,\n")
    assert commits(ledger)[0] == "pull: 1 value (followers)"


def test_init_without_an_identity_says_how_to_commit(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "new"
    result = cli.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "goals" / "goals.yaml").is_file()
    assert (target / ".git").is_dir()
    lines = result.stdout.splitlines()
    assert any(line.startswith("not committed (") for line in lines)  # git has no identity
    assert lines[-1].startswith(f"next: edit {target}/goals/goals.yaml, run smartgoals status")
    assert git(target, "status", "--porcelain") != ""  # nothing was committed or lost


def test_sync_pushes(cli: CliRunner, tmp_path: Path) -> None:
    upstream, clone = tmp_path / "upstream.git", tmp_path / "clone"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    git(clone, "config", "user.name", "Ada Founder")
    git(clone, "config", "user.email", "ada@example.com")
    write_ledger(clone, GOALS, JOURNAL)
    git(clone, "add", ".")
    git(clone, "commit", "-q", "-m", "start")
    git(clone, "push", "-q", "-u", "origin", "main")
    with (clone / "goals" / "log.csv").open("a", encoding="utf-8") as handle:
        handle.write("2026-02-28,mrr,200,\n")
    git(clone, "commit", "-q", "-a", "-m", "more")
    result = invoke(cli, clone, "sync")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("pushed 1 commit(s) to origin/main")
    assert git(upstream, "rev-parse", "main") == git(clone, "rev-parse", "HEAD")
