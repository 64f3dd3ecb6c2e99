"""Every command's --help, over the app's real command list: an example, and on every read
command the one output option (--format, with --json its alias)."""

from __future__ import annotations

import json
import typing
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from smartgoals.cli import options
from smartgoals.cli.app import app
from tests.conftest import REPO_ROOT, invoke

COMMANDS = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

# The read commands, each with arguments that work on the bundled demo.
READ: dict[str, tuple[str, ...]] = {
    "status": ("--as-of", "2026-11-22"),
    "show": ("early-adopters", "--as-of", "2026-11-22"),
    "explain": ("lightning-revenue", "mrr", "--as-of", "2026-Q3"),
    "risks": ("--as-of", "2026-Q3"),
    "due": ("--as-of", "2026-11-22"),
    "metrics": (),
    "chart": ("mrr", "--as-of", "2026-11-22"),
    "history": ("mrr",),
    "diff": ("HEAD", "HEAD", "--as-of", "2026-11-22"),
    "report": ("monthly", "--as-of", "2026-11-22", "--since", "2026-10-01"),
    "export": ("--as-of", "2026-11-22"),
    "check": (),
}


def test_the_read_commands_are_real_commands() -> None:
    assert set(READ) <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_exits_0_with_an_example(command: str, cli: CliRunner) -> None:
    result = cli.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: smartgoals " in result.stdout
    if command in READ:
        assert "--format" in result.stdout and "--json" in result.stdout


@pytest.mark.parametrize(
    "choice",
    [options.TextChoice, options.ReportChoice, options.ExportChoice, options.CheckChoice],
)
def test_every_format_a_command_offers_is_one_of_the_one_enum(choice: Any) -> None:
    offered = set(typing.get_args(choice))
    assert offered <= {member.value for member in options.OutputFormat}
    assert {"text", "json"} <= offered


@pytest.mark.parametrize("command", sorted(READ))
def test_format_json_is_json_and_json_is_its_exact_alias(command: str, cli: CliRunner) -> None:
    aliased = invoke(cli, REPO_ROOT, command, *READ[command], "--json")
    spelled = invoke(cli, REPO_ROOT, command, *READ[command], "--format", "json")
    assert spelled.exit_code == aliased.exit_code, spelled.output
    assert spelled.exit_code in (0, 1), spelled.output  # due exits 1 when something is due
    assert spelled.stdout == aliased.stdout
    json.loads(spelled.stdout)


@pytest.mark.parametrize("command", sorted(READ))
def test_json_with_another_format_is_one_usage_error(command: str, cli: CliRunner) -> None:
    other = {"report": "html", "export": "csv", "check": "github"}.get(command, "text")
    result = invoke(cli, REPO_ROOT, command, *READ[command], "--json", "--format", other)
    assert result.exit_code == 2, result.output
    assert f"--format {other} and --json exclude each other" in result.output
    assert not result.stdout.strip().startswith("{")


@pytest.mark.parametrize(
    ("command", "same_as"),
    [("status", ()), ("report", ("--format", "md")), ("export", ("--format", "csv"))],
)
def test_format_text_is_what_the_command_prints_by_default(
    command: str, same_as: tuple[str, ...], cli: CliRunner
) -> None:
    default = invoke(cli, REPO_ROOT, command, *READ[command], *same_as)
    text = invoke(cli, REPO_ROOT, command, *READ[command], "--format", "text")
    assert default.exit_code == text.exit_code == 0, text.output
    assert text.stdout == default.stdout
