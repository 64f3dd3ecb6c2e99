"""rendering/__init__.py: the one output path: the format chosen once, the form looked up on
the view's own module, and emit writing it."""

from __future__ import annotations

import io
import json

import pytest

from smartgoals.errors import Problem
from smartgoals.rendering import Display, Format, choose_format, display_for, emit, fold, render
from smartgoals.views.log import RefusedView
from smartgoals.views.schema import SchemaView
from smartgoals.views.sync import SyncView


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("COLUMNS", "72")


def test_display_for_a_pipe_and_a_terminal(clean_env: None) -> None:
    piped = display_for(io.StringIO())
    assert (piped.width, piped.color, piped.wide) == (None, False, False)
    assert display_for(io.StringIO(), "always").color is True
    terminal = display_for(Terminal(), wide=True)
    assert (terminal.width, terminal.wide) == (72, True)
    assert display_for(Terminal(), "never").color is False


def test_choose_format(clean_env: None) -> None:
    assert choose_format(True, Terminal(), "always") == Format.JSON
    assert choose_format(False, io.StringIO()) == Format.PLAIN
    assert choose_format(False, io.StringIO(), "always") == Format.RICH


def test_render_falls_back_to_plain_and_refuses_a_missing_form() -> None:
    view = RefusedView((Problem("goals/log.csv", 2, 0, "bad"),))
    assert render(view, Format.RICH) == render(view, Format.PLAIN)
    with pytest.raises(ValueError, match="no md output for RefusedView"):
        render(view, Format.MARKDOWN)


@pytest.mark.parametrize(
    ("line", "width", "pieces"),
    [
        ("short", 10, ["short"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("  indented words here", 12, ["  indented", "  words here"]),
        ("unbreakable-word-longer", 5, ["unbreakable-word-longer"]),
    ],
)
def test_fold_between_words_at_the_lines_indent(line: str, width: int, pieces: list[str]) -> None:
    assert fold(line, width) == pieces


def test_emit_json_and_plain(capsys: pytest.CaptureFixture[str]) -> None:
    emit(SchemaView(False, ("schemas/a.json", "schemas/b.json")), Format.PLAIN)
    assert capsys.readouterr().out == "wrote schemas/a.json\nwrote schemas/b.json\n"
    emit(SchemaView(True, ("schemas/a.json",)), Format.PLAIN)
    assert capsys.readouterr().out == ""  # no lines: nothing, not even a blank line


def test_emit_cleans_user_text_and_folds_to_the_terminal_width(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from smartgoals.vcs.sync import Synced

    synced = Synced("evil\x1b[2Jbranch", "origin", "main", 0, 0, "up to date", False, "0" * 40)
    emit(SyncView(synced, (), True), Format.PLAIN, Display(width=30))
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert all(len(line) <= 30 for line in out.splitlines())


def test_emit_json(capsys: pytest.CaptureFixture[str], tmp_path) -> None:  # type: ignore[no-untyped-def]
    from smartgoals.commands.metrics import metrics
    from tests.conftest import write_ledger

    write_ledger(tmp_path, "metrics:\n  mrr: {name: Mé, unit: USD}\ngoals: []\n")
    emit(metrics(tmp_path), Format.JSON)
    out = capsys.readouterr().out
    assert json.loads(out)["metrics"][0]["name"] == "Mé"
    assert "Mé" in out  # not escaped as \u00e9
