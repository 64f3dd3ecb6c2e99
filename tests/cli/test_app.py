"""cli/app.py: the one error funnel (a failure is one line and a documented exit code), the
global options, and the command table built lazily."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import smartgoals
from smartgoals.cli.app import _LazyCommands, app, click_command, report_failure
from smartgoals.errors import GitError, InvalidInputError
from tests.conftest import invoke, write_ledger


def test_report_failure_one_line_and_an_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert report_failure(InvalidInputError("bad value")) == 1
    assert "bad value" in capsys.readouterr().err
    code = report_failure(GitError("no git"))
    assert code not in (0, 1)
    err = capsys.readouterr().err
    assert "no git" in err and err.count("\n") == 1


def test_a_bug_is_an_internal_error_and_raised_with_debug(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SMARTGOALS_DEBUG", raising=False)
    code = report_failure(ZeroDivisionError("oops"))
    assert code not in (0, 1, 2)
    assert capsys.readouterr().err.count("\n") == 1
    monkeypatch.setenv("SMARTGOALS_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        report_failure(ZeroDivisionError("oops"))


def test_version(cli: CliRunner) -> None:
    result = cli.invoke(app, ["--version"])
    assert result.exit_code == 0, result.output
    assert smartgoals.__version__ in result.stdout


def test_a_failure_through_the_app_is_one_line_on_stderr(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  mrr: {name: MRR, unit: USD}\ngoals: []\n", "")
    result = invoke(cli, tmp_path, "explain", "nope")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_lazy_commands_build_only_what_is_looked_up() -> None:
    built: list[str] = []

    def build(info: str) -> str:
        built.append(info)
        return info.upper()

    table = _LazyCommands({"status": "status", "log": "log"}, build)
    assert list(table) == ["status", "log"] and len(table) == 2
    assert "log" in table and "nope" not in table
    assert table["log"] == "LOG" and table["log"] == "LOG"
    assert built == ["log"]  # once, and only the one asked for
    table["extra"] = "EXTRA"
    assert table["extra"] == "EXTRA" and "extra" in table
    del table["log"]
    assert list(table) == ["status", "extra"]
    with pytest.raises(KeyError):
        table["nope"]


def test_click_command_has_every_registered_command() -> None:
    group = click_command()
    names = list(group.commands)
    assert {"status", "log", "check", "report"} <= set(names)
    assert group.commands["status"].name == "status"
