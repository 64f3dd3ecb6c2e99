"""Goal status as a CI gate: `status --fail-on` (exit 4) and `check --format github`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from smartgoals.errors import Problem
from smartgoals.rendering.annotations import escape_data, escape_property, workflow_command
from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
goals:
  - id: grow
    title: Grow
    area: Revenue
    start: 2025-01-01
    due: 2025-06-30
    targets:
      - {metric: mrr, target: 1000}
  - id: reach
    title: Reach
    area: Users
    targets:
      - {metric: users, target: 10}
"""
JOURNAL = """\
date,metric,value,note
2025-01-01,mrr,100,
2025-06-30,mrr,500,
2025-07-01,users,20,
"""


def test_fail_on_exits_4_when_a_target_has_a_chosen_status(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "status", "--as-of", "2025-08-01", "--fail-on", "missed")
    assert result.exit_code == 4, result.output
    assert "fail-on: grow / mrr is missed" in result.output
    assert "Grow" in result.output  # the table is still shown


def test_fail_on_passes_when_no_target_has_them(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(
        cli, tmp_path, "status", "--as-of", "2025-08-01", "--fail-on", "off_track,breached"
    )
    assert result.exit_code == 0, result.output
    assert "fail-on" not in result.output


def test_fail_on_takes_commas_repetition_and_spellings(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    args = ("status", "--as-of", "2025-08-01", "--fail-on", "off-track", "--fail-on", "Missed")
    assert invoke(cli, tmp_path, *args).exit_code == 4


def test_fail_on_counts_only_the_selected_targets(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    args = ("status", "--as-of", "2025-08-01", "--fail-on", "missed")
    assert invoke(cli, tmp_path, *args, "--area", "Users").exit_code == 0
    assert invoke(cli, tmp_path, *args, "--goal", "grow").exit_code == 4
    assert invoke(cli, tmp_path, *args, "--json").exit_code == 4


def test_fail_on_an_unknown_status_is_exit_1_with_a_suggestion(
    cli: CliRunner, tmp_path: Path
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "status", "--fail-on", "mised")
    assert result.exit_code == 1
    assert "unknown status 'mised' (did you mean 'missed'?)" in result.output


def test_problems_in_the_ledger_win_over_the_gate(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL + "2025-07-02,mmr,5,\n")
    result = invoke(cli, tmp_path, "status", "--as-of", "2025-08-01", "--fail-on", "missed")
    assert result.exit_code == 1


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\n") == "a%2Cb%3Ac%25d%0A"
    problem = Problem("goals/a,b.yaml", 3, 5, "bad: 5%\nreally", "goals[0].due")
    assert workflow_command("error", problem, "ledger/") == (
        "::error file=ledger/goals/a%2Cb.yaml,line=3,col=5,title=smartgoals check"
        "::goals[0].due: bad: 5%25%0Areally"
    )
    whole = Problem("goals/g.yaml", 0, 0, "unreadable")
    assert workflow_command("warning", whole) == (
        "::warning file=goals/g.yaml,title=smartgoals check::unreadable"
    )


def test_check_format_github_annotates_each_problem(cli: CliRunner, tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    ledger = tmp_path / "company"
    write_ledger(
        ledger,
        GOALS.replace("target: 1000", "taget: 1000"),
        JOURNAL + "2025-07-02,mmr,5,\n2999-01-01,users,5,\n",
    )
    result = invoke(cli, ledger, "check", "--format", "github")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "::error file=company/goals/goals.yaml,line=11,col=23,title=smartgoals check"
        "::grow.targets[0].taget: unknown key 'taget' (did you mean 'target'?)"
    )
    assert "::error file=company/goals/log.csv,line=5,title=smartgoals check::metric: " in lines[1]
    assert lines[2].startswith("::warning file=company/goals/log.csv,line=6,")
    assert lines[-1].startswith("2 problem(s)")


def test_check_format_github_on_a_clean_ledger(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "check", "--format", "github")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 goals")
    assert "::" not in result.output


def test_check_format_github_refuses_json(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    assert invoke(cli, tmp_path, "check", "--format", "github", "--json").exit_code == 2


# --- the composite GitHub Action: its steps' scripts, run by bash as the runner runs them ------

ACTION = yaml.safe_load((REPO_ROOT / "action.yml").read_text(encoding="utf-8"))


def run_step(name: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == name]
    assert step["shell"] == "bash"
    full = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_action_is_a_composite_of_one_tested_script() -> None:
    assert ACTION["runs"]["using"] == "composite"
    assert set(ACTION["inputs"]) == {
        "directory",
        "fail-on",
        "require-reason",
        "require-signed",
        "comment",
        "report",
        "token",
        "python-version",
        "package",
    }
    assert set(ACTION["outputs"]) == {"counts", "failing", "failing-count", "report", "failed"}
    runs = " ".join(s.get("run", "") for s in ACTION["runs"]["steps"])
    assert "python -m smartgoals.cli.action" in runs
    # inputs reach scripts through env, never spliced into the script text
    assert "${{" not in runs
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == "smartgoals"]
    passed = " ".join(step["env"].values())
    for name in ("directory", "fail-on", "require-reason", "require-signed", "comment", "report"):
        assert f"inputs.{name} }}}}" in passed, name


def test_the_action_gate_step_fails_and_writes_the_summary(tmp_path: Path) -> None:
    write_ledger(tmp_path / "ledger", GOALS, JOURNAL)
    summary = tmp_path / "summary.md"
    env = {
        "SMARTGOALS_DIRECTORY": "ledger",
        "SMARTGOALS_FAIL_ON": "missed",
        "SMARTGOALS_REPORT": "none",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = run_step("smartgoals", tmp_path, env)
    assert done.returncode == 4, done.stderr
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## smartgoals\n")
    assert "- **Failed the gate** (`--fail-on missed`): `grow / mrr` missed" in text
    assert "| grow | mrr | missed |" in text
    assert "fail-on: grow / mrr is missed" in done.stderr
    passed = run_step("smartgoals", tmp_path, {**env, "SMARTGOALS_FAIL_ON": ""})
    assert passed.returncode == 0, passed.stderr


def test_the_action_check_step_annotates(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL + "2025-07-02,mmr,5,\n")
    done = run_step("smartgoals", tmp_path, {"SMARTGOALS_REPORT": "none"})
    assert done.returncode == 1
    assert done.stdout.startswith("::error file=goals/log.csv,line=5,")


def test_the_action_reason_step_compares_with_the_base(repo: Path, tmp_path: Path) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "goals")
    base = git(repo, "rev-parse", "HEAD").strip()
    goal_file = repo / "goals" / "goals.yaml"
    goal_file.write_text(GOALS.replace("target: 1000}", "target: 900}"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "ease")
    head = git(repo, "rev-parse", "HEAD").strip()
    event = tmp_path / "event.json"
    pr = {"number": 1, "base": {"sha": base}, "head": {"sha": head}}
    event.write_text(json.dumps({"pull_request": pr}))
    env = {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "SMARTGOALS_COMMENT": "false",
        "SMARTGOALS_REPORT": "none",
    }
    done = run_step("smartgoals", repo, env)
    assert done.returncode == 1
    assert "grow / mrr was eased without a reason" in done.stdout
    goal_file.write_text(
        GOALS.replace("target: 1000}", "target: 900, reason: a slower quarter}"), encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "say why")
    pr["head"]["sha"] = git(repo, "rev-parse", "HEAD").strip()
    event.write_text(json.dumps({"pull_request": pr}))
    assert run_step("smartgoals", repo, env).returncode == 0


def test_the_example_workflow_uses_the_action_and_publishes_pages() -> None:
    workflow = yaml.safe_load((REPO_ROOT / "docs" / "smartgoals-workflow.yml").read_text())
    jobs = workflow["jobs"]
    assert any("smartgoals" in step.get("uses", "") for step in jobs["gate"]["steps"])
    assert jobs["gate"]["steps"][1]["with"]["fail-on"] == "missed,breached"
    assert any("deploy-pages" in step.get("uses", "") for step in jobs["pages"]["steps"])
    assert workflow[True]["schedule"]  # PyYAML reads the key `on` as a boolean


def test_fail_on_judges_a_revision_too(cli: CliRunner, repo: Path) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ledger")
    args = ("status", "--rev", "HEAD", "--as-of", "2025-08-01", "--fail-on")
    assert invoke(cli, repo, *args, "missed").exit_code == 4
    assert invoke(cli, repo, *args, "breached").exit_code == 0
