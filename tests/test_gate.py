"""Goal status as a CI gate: `status --fail-on` (exit 4) and `check --format github`."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from smartgoals.annotations import escape_data, escape_property, workflow_command
from smartgoals.errors import Problem

from .conftest import git, invoke, write_ledger

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
        "::goals[0].targets[0].taget: unknown key 'taget' (did you mean 'target'?)"
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
