"""cli/reference.py: docs/commands.md generated from the app's own help, at a fixed width."""

from __future__ import annotations

import pytest

from smartgoals.cli.reference import PROG, command_names, help_text, main, render


def test_command_names_are_the_apps_commands() -> None:
    names = command_names()
    assert {"status", "log", "check", "report", "export"} <= set(names)
    assert names == list(dict.fromkeys(names))  # each once


def test_help_text_of_a_command_and_of_the_app() -> None:
    assert "--as-of" in help_text("status")
    assert "status" in help_text()
    with pytest.raises(KeyError):
        help_text("no-such-command")


def test_render_has_a_section_per_command() -> None:
    page = render()
    for name in command_names():
        assert f"\n## {PROG} {name}\n" in page
    help_lines = [line for line in page.splitlines() if not line.startswith(("- [", "<!--"))]
    assert all(len(line) <= 100 for line in help_lines)  # the help is wrapped at WIDTH


def test_main_prints_the_page_or_refuses_other_arguments(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out == render()
    assert main(["--bogus"]) == 2
    assert "usage: python -m smartgoals.cli.reference [--write]" in capsys.readouterr().err
