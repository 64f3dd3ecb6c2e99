"""cli/meta.py: check (text, JSON, GitHub), schema and completion through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import invoke, write_ledger

GOALS = "metrics:\n  mrr: {name: MRR, unit: USD}\ngoals: []\n"


def test_check_ok_and_json(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,mrr,1,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: 0 goals, 1 metrics, 1 observations")
    data = json.loads(invoke(cli, tmp_path, "check", "--format", "json").stdout)
    assert (data["ok"], data["observations"]) == (True, 1)


def test_check_problems_in_github_format(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,nope,1,\n")
    result = invoke(cli, tmp_path, "check", "--format", "github")
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=goals/log.csv,line=2,")


def test_schema_write_then_check(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS)
    result = invoke(cli, tmp_path, "schema")
    assert result.exit_code == 0, result.output
    assert "wrote schemas/goals.schema.json" in result.stdout.splitlines()
    assert (tmp_path / "schemas" / "goals.schema.json").is_file()
    checked = invoke(cli, tmp_path, "schema", "--check")
    assert checked.exit_code == 0, checked.output
    (tmp_path / "schemas" / "goals.schema.json").write_text("{}", encoding="utf-8")
    stale = invoke(cli, tmp_path, "schema", "--check")
    assert stale.exit_code == 1
    assert "schemas/goals.schema.json is out of date" in stale.stderr


def test_completion_prints_a_script(cli: CliRunner) -> None:
    from smartgoals.cli.app import app

    for shell in ("bash", "zsh", "fish"):
        result = cli.invoke(app, ["completion", shell])
        assert result.exit_code == 0, result.output
        assert "smartgoals" in result.stdout.lower()
