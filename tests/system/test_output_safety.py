"""What people see: user text can never drive the terminal; check's counts and warnings; the
committed schema accepts the demo as an editor reads it; a recorded value stays recorded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import IDENTITY, REPO_ROOT, git, invoke, write_ledger

HOSTILE = """
metrics:
  mrr:
    name: "MRR \\e]52;c;cHduZWQ=\\a\\e[2J"
    unit: USD
goals:
  - id: g
    title: "Title \\e[31mred\\nforged: line"
    owner: "Owner \\x9b2J"
    notes: "Note \\r overwritten"
    targets:
      - {metric: mrr, target: 10}
risks:
  - {id: r, title: "Risk \\e]8;;http://x\\e\\\\link", when: "mrr < 100", actions: ["Act \\e[5m"]}
"""


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["status", "--wide"],
        ["risks"],
        ["show", "g"],
        ["history", "mrr"],
        ["check"],
        ["metrics"],
    ],
)
def test_control_characters_in_user_text_are_shown_not_obeyed(
    tmp_path: Path, cli: CliRunner, args: list[str]
) -> None:
    write_ledger(tmp_path, HOSTILE, 'date,metric,value,note\n2026-01-01,mrr,5,"x \x1b[1m"\n')
    result = (
        invoke(cli, tmp_path, *args, "--as-of", "2026-02-01")
        if args[0]
        in (
            "status",
            "risks",
            "show",
        )
        else invoke(cli, tmp_path, *args)
    )
    shown = result.stdout + result.stderr
    assert "\x1b" not in shown and "\x9b" not in shown and "\x07" not in shown, repr(shown)
    assert "\r" not in shown
    assert "forged: line" not in shown.splitlines()  # a newline in a title cannot forge a line


def test_check_counts_journal_rows_and_derived_values_apart(tmp_path: Path, cli: CliRunner) -> None:
    goals = """
    metrics:
      a: {name: A}
      b: {name: B}
      ratio: {name: Ratio, formula: "a / b"}
    goals:
      - {id: g, title: G, targets: [{metric: a, target: 10}]}
    """
    write_ledger(tmp_path, goals, "date,metric,value,note\n2026-01-01,a,1,\n2026-01-01,b,2,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.stdout.strip() == "ok: 1 goals, 3 metrics, 2 observations, 1 derived values"
    data = json.loads(invoke(cli, tmp_path, "check", "--json").stdout)
    assert (data["observations"], data["derived_values"]) == (2, 1)


def test_check_warns_about_rows_dated_after_today(tmp_path: Path, cli: CliRunner) -> None:
    goals = "metrics:\n  a: {name: A}\ngoals:\n  - {id: g, title: G, targets: [{metric: a, target: 1}]}\n"
    write_ledger(tmp_path, goals, "date,metric,value,note\n2026-01-01,a,1,\n2999-01-01,a,2,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 0  # a warning, not a problem
    assert "warning: goals/log.csv:3: date: 2999-01-01 is after today" in result.stderr


def test_the_demo_has_no_row_dated_after_its_last_day() -> None:
    rows = (REPO_ROOT / "goals" / "log.csv").read_text().splitlines()[1:]
    assert max(row.split(",", 1)[0] for row in rows) <= "2026-11-30"


def test_the_committed_schema_validates_the_demo_as_an_editor_reads_it() -> None:
    import jsonschema

    schema = json.loads((REPO_ROOT / "schemas" / "goals.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((REPO_ROOT / "goals").glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        errors = [f"{path.name}: {list(e.path)}: {e.message}" for e in validator.iter_errors(data)]
        assert not errors, errors
    settings = json.loads((REPO_ROOT / "schemas" / "settings.schema.json").read_text())
    data = yaml.safe_load((REPO_ROOT / "smartgoals.yaml").read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(settings).iter_errors(data))


def test_a_reader_that_went_away_after_the_commit_does_not_fail_log(repo: Path) -> None:
    goals = "metrics:\n  mrr: {name: MRR, unit: USD}\ngoals:\n  - {id: g, title: G, targets: [{metric: mrr, target: 1}]}\n"
    write_ledger(repo, goals, "date,metric,value,note\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "start")
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: a certain EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "smartgoals", "-C", str(repo), "log", "mrr", "5"],
            env=env,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(write_end)
    assert done.returncode == 0, done.stderr  # the value was recorded: that is what counts
    assert done.stderr == ""
    assert "mrr,5," in git(repo, "show", "HEAD:goals/log.csv")
