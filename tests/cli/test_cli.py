"""The other commands through the real CLI: status, show, init, schema, help."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import smartgoals
from smartgoals.cli.app import app
from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  cac: {name: CAC, unit: USD, direction: down}
  mvp: {name: MVP, type: stage, stages: [not_started, in_progress, done]}
goals:
  - id: revenue
    title: Lightning revenue
    area: Revenue
    owner: Head of BD
    specific: Reach $100k MRR
    start: 2025-07-01
    due: 2026-Q4
    targets:
      - metric: mrr
        steps:
          - {value: 5000, due: 2025-Q4}
          - {value: 25000, due: 2026-Q2}
          - {value: 100000, due: 2026-Q4}
      - {metric: cac, target: "< 10"}
  - id: product
    title: Ship it
    area: Product
    owner: CTO
    targets:
      - {metric: mvp, target: done}
"""
JOURNAL = """\
date,metric,value,note
2025-07-01,mrr,0,
2025-12-31,mrr,6000,
2026-06-30,mrr,25000,
2026-09-30,mrr,63000,Stripe
2026-09-30,cac,12,
2026-05-01,mvp,in_progress,
"""
ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, JOURNAL)


def test_status_json_contract(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "status", "--json", "--as-of", "2026-10-01")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-10-01"
    goal = data["goals"][0]
    assert {"id", "title", "area", "owner", "status", "score", "targets"} <= set(goal)
    assert (goal["id"], goal["area"], goal["owner"]) == ("revenue", "Revenue", "Head of BD")
    mrr, cac = goal["targets"]
    fields = {
        "metric",
        "status",
        "current",
        "current_date",
        "target",
        "op",
        "due",
        "baseline",
        "progress",
        "expected",
        "stale",
        "steps",
    }
    assert fields <= set(mrr)
    assert mrr["current"] == 63000
    assert mrr["current_date"] == "2026-09-30"
    assert (mrr["target"], mrr["op"], mrr["due"], mrr["baseline"]) == (
        100000,
        ">=",
        "2026-12-31",
        25000,
    )
    assert all(step["hold"] is False for step in mrr["steps"])
    assert [{k: v for k, v in step.items() if k != "hold"} for step in mrr["steps"]] == [
        {
            "value": 5000,
            "op": ">=",
            "due": "2025-12-31",
            "due_text": "2025-Q4",
            "status": "achieved",
        },
        {
            "value": 25000,
            "op": ">=",
            "due": "2026-06-30",
            "due_text": "2026-Q2",
            "status": "achieved",
        },
        {
            "value": 100000,
            "op": ">=",
            "due": "2026-12-31",
            "due_text": "2026-Q4",
            "status": "on_track",
        },
    ]
    assert mrr["stale"] is False
    assert (cac["op"], cac["target"], cac["steps"], cac["status"]) == ("<", 10, None, "off_track")
    assert goal["status"] == "off_track"
    product = data["goals"][1]
    assert product["targets"][0]["current"] == "in_progress"
    assert product["targets"][0]["expected"] is None
    assert product["status"] == "in_progress"


def test_status_filters(ledger: Path, cli: CliRunner) -> None:
    def ids(*args: str) -> list[str]:
        result = invoke(cli, ledger, "status", "--json", *args)
        assert result.exit_code == 0, result.output
        return [g["id"] for g in json.loads(result.stdout)["goals"]]

    assert ids() == ["revenue", "product"]
    assert ids("--area", "product") == ["product"]
    assert ids("--owner", "Head of BD") == ["revenue"]
    assert ids("--goal", "product", "--goal", "revenue") == ["revenue", "product"]
    result = invoke(cli, ledger, "status", "--goal", "prodcut")
    assert result.exit_code == 1
    assert result.stderr == "error: unknown goal 'prodcut' (did you mean 'product'?)\n"


def test_status_table_is_plain_text_when_piped(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "status", "--as-of", "2026-10-01")
    assert result.exit_code == 0
    out = result.stdout
    assert not ANSI.search(out)
    assert "REVENUE" in out and "PRODUCT" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("MRR"))
    assert "$63,000 (2026-09-30)" in row
    assert ">= $100,000 by 2026-Q4 (rung 3/3)" in row
    assert "$37,000" in row  # left
    assert "on track" in row  # the status is a word, not only a colour
    assert out.rstrip().endswith("2 goals as of 2026-10-01: 1 off track, 1 in progress")


def test_status_stale_marker(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "status", "--as-of", "2026-11-15")
    row = next(line for line in result.stdout.splitlines() if line.strip().startswith("MRR"))
    assert "stale" in row


def test_status_colour_in_a_terminal_and_not_with_no_color(ledger: Path) -> None:
    script = "import pty, sys; pty.spawn(sys.argv[1:])"
    command = [
        sys.executable,
        "-c",
        script,
        sys.executable,
        "-m",
        "smartgoals",
        "-C",
        str(ledger),
        "status",
    ]
    coloured = subprocess.run(
        command, capture_output=True, text=True, env={"TERM": "xterm-256color", "COLUMNS": "200"}
    )
    assert ANSI.search(coloured.stdout)
    plain = subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={"TERM": "xterm-256color", "COLUMNS": "200", "NO_COLOR": "1"},
    )
    assert not ANSI.search(plain.stdout)
    assert "off track" in plain.stdout


def test_show_goal_card(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "show", "revenue", "--as-of", "2026-10-01")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in (
        "Lightning revenue (revenue)",
        "Head of BD",
        "Reach $100k MRR",
        "2026-Q4",
        "2026-09-30",
        "Stripe",
        "off track",
        ">= $5,000 by 2025-Q4: achieved",
    ):
        assert text in out, text
    data = json.loads(invoke(cli, ledger, "show", "revenue", "--json", "--recent", "2").stdout)
    assert data["smart"] == {"specific": "Reach $100k MRR"}
    assert [r["value"] for r in data["targets"][0]["recent"]] == [25000, 63000]
    missing = invoke(cli, ledger, "show", "revenu")
    assert missing.exit_code == 1
    assert missing.stderr == "error: unknown goal 'revenu' (did you mean 'revenue'?)\n"


def test_as_of_accepts_periods_and_refuses_nonsense(ledger: Path, cli: CliRunner) -> None:
    data = json.loads(invoke(cli, ledger, "status", "--json", "--as-of", "2026-Q2").stdout)
    assert data["as_of"] == "2026-06-30"
    result = invoke(cli, ledger, "status", "--as-of", "someday")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: --as-of: 'someday' is not a date")


def test_init_creates_a_working_ledger(tmp_path: Path, cli: CliRunner) -> None:
    target = tmp_path / "company"
    result = cli.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / ".git").is_dir()
    assert (target / ".gitattributes").read_text() == (
        "goals/log.csv merge=union\ngoals/log.d/*.csv merge=union\ngoals/checkins.csv merge=union\n"
    )
    assert (target / "goals" / "log.csv").read_text() == "date,metric,value,note\n"
    starter = (target / "goals" / "goals.yaml").read_text()
    assert starter.startswith("# yaml-language-server: $schema=../schemas/goals.schema.json")
    assert invoke(cli, target, "check").exit_code == 0
    assert invoke(cli, target, "schema", "--check").exit_code == 0
    status = invoke(cli, target, "status")
    assert status.exit_code == 0
    assert "First revenue" in status.stdout
    again = cli.invoke(app, ["init", str(target)])
    assert again.exit_code == 1
    assert "not empty; nothing was changed" in again.stderr
    assert (target / "goals" / "goals.yaml").read_text() == starter


def test_init_inside_a_repository_does_not_nest_one(repo: Path, cli: CliRunner) -> None:
    result = cli.invoke(app, ["init", str(repo / "ledger")])
    assert result.exit_code == 0, result.output
    assert not (repo / "ledger" / ".git").exists()


def test_schema_check_and_write(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS)
    result = invoke(cli, tmp_path, "schema", "--check")
    assert result.exit_code == 1
    assert "schemas/goals.schema.json is out of date" in result.stderr
    assert invoke(cli, tmp_path, "schema").exit_code == 0
    assert invoke(cli, tmp_path, "schema", "--check").exit_code == 0
    schema = json.loads((tmp_path / "schemas" / "goals.schema.json").read_text())
    assert schema["additionalProperties"] is False
    assert "targets" in schema["$defs"]["Goal"]["required"]


def test_committed_schemas_match_the_models(cli: CliRunner) -> None:
    result = invoke(cli, REPO_ROOT, "schema", "--check")
    assert result.exit_code == 0, result.output


def _commands() -> dict[str, Any]:
    """The app's real commands (name -> Click command), as Typer builds them."""
    return dict(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


COMMANDS = sorted(_commands())


def _readme_mentions() -> str:
    """The headings and fenced code blocks of README.md and the docs' topic pages (not the
    generated docs/commands.md), where commands are documented."""
    pages = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
    text = "\n".join(
        page.read_text(encoding="utf-8") for page in pages if page.name != "commands.md"
    )
    kept, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif fenced or line.startswith("#"):
            kept.append(line)
    return "\n".join(kept)


def test_the_app_has_commands_to_check() -> None:
    # an empty list would make the parametrized tests below pass without checking anything
    assert len(COMMANDS) >= 9
    assert {"status", "log", "check"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example_and_is_in_the_readme(
    command: str, cli: CliRunner
) -> None:
    result = cli.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Example: smartgoals {command}" in result.stdout
    assert re.search(rf"\bsmartgoals {command}\b", _readme_mentions()), (
        f"README.md and docs/*.md have no heading or code block with 'smartgoals {command}'"
    )


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_option_and_argument_has_help_text(command: str | None) -> None:
    group = typer.main.get_command(app)
    params = group.params if command is None else _commands()[command].params
    missing = [p.name for p in params if not (getattr(p, "help", None) or "").strip()]
    assert not missing, f"{command or 'smartgoals'}: no help for {missing}"


def test_the_top_level_help_lists_every_command(cli: CliRunner) -> None:
    listed = re.findall(r"^  (\w+)  ", cli.invoke(app, ["--help"]).stdout, flags=re.MULTILINE)
    assert sorted(listed) == COMMANDS


def test_bundled_demo_shows_every_status(cli: CliRunner) -> None:
    # on 16 November, not 22: see tests/system/test_demo.py's EVERY_STATUS_DAY
    result = invoke(cli, REPO_ROOT, "status", "--json", "--as-of", "2026-11-16")
    assert result.exit_code == 0, result.output
    goals = json.loads(result.stdout)["goals"]
    from smartgoals.engine.judgement import GOAL_STATUSES

    assert {g["status"] for g in goals} == {str(s) for s in GOAL_STATUSES}  # every goal status
    assert len(goals) >= 9 + 12  # both reference documents


def test_library_use_without_the_cli(ledger: Path) -> None:
    evaluation = smartgoals.evaluate(smartgoals.load_ledger(ledger), dt.date(2026, 10, 1))
    assert [(g.goal.id, g.status) for g in evaluation.goals] == [
        ("revenue", "off_track"),
        ("product", "in_progress"),
    ]


def test_version(cli: CliRunner) -> None:
    result = cli.invoke(app, ["--version"])
    assert result.stdout == f"smartgoals {smartgoals.__version__}\n"


def test_status_in_a_git_clone_of_the_ledger(
    ledger: Path, cli: CliRunner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    git(ledger, "init", "-q")
    git(ledger, "add", "-A")
    git(ledger, "commit", "-q", "-m", "ledger")
    clone = tmp_path_factory.mktemp("clone") / "c"
    git(ledger, "clone", "-q", str(ledger), str(clone))
    assert invoke(cli, clone, "status", "--json").exit_code == 0


def _shape(command: Any) -> tuple[Any, ...]:
    params = [
        (p.name, p.opts, p.secondary_opts, type(p.type).__name__, p.default, p.required, p.nargs)
        for p in command.params
    ]
    return command.name, command.help, params


def test_the_console_scripts_lazy_group_is_the_same_parser_as_typers() -> None:
    """main() builds each command when it is looked up; what it builds is what Typer builds."""
    from smartgoals.cli.app import click_command

    full, lazy = typer.main.get_command(app), click_command()
    ctx = lazy.make_context("smartgoals", ["--help"], resilient_parsing=True)
    assert lazy.list_commands(ctx) == full.list_commands(ctx)  # type: ignore[attr-defined]
    assert [p.name for p in lazy.params] == [p.name for p in full.params]
    for name in COMMANDS:
        built, expected = lazy.get_command(ctx, name), full.get_command(ctx, name)  # type: ignore[attr-defined]
        assert built is not None and expected is not None
        assert _shape(built) == _shape(expected)
    assert lazy.get_command(ctx, "no-such-command") is None  # type: ignore[attr-defined]


def test_the_console_script_suggests_a_command_for_a_typo(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "smartgoals", "stauts"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "No such command 'stauts'. Did you mean 'status'?" in result.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "smartgoals", "--help"], capture_output=True, text=True, cwd=tmp_path
    )
    assert re.findall(r"^  (\w+)  ", listed.stdout, flags=re.MULTILINE) == list(_commands())
