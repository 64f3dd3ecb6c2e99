"""rendering/safe.py: Rich text and tables that show control characters instead of obeying
them."""

from __future__ import annotations

from rich.console import Console

from smartgoals.rendering.safe import SafeTable, SafeText

OSC52 = "\x1b]52;c;ZXZpbA==\x07"


def printed(renderable: object) -> str:
    console = Console(width=80, record=True, color_system=None, force_terminal=False)
    console.print(renderable)
    return console.export_text()


def test_text_escape_sequences_are_not_passed_through() -> None:
    text = SafeText(f"title{OSC52}")
    assert "\x1b" not in text.plain
    text.append("\x1b[2J more")
    assert "\x1b" not in text.plain and text.plain.endswith("more")


def test_assemble_cleans_every_part() -> None:
    text = SafeText.assemble(("a\x1b[31m", "bold"), "b\x07")
    assert "\x1b" not in text.plain and "\x07" not in text.plain
    assert text.plain.startswith("a") and "b" in text.plain


def test_a_line_break_cannot_forge_a_row() -> None:
    assert "\n" not in SafeText("one\ntwo").plain


def test_table_cells_are_cleaned() -> None:
    table = SafeTable("Goal")
    table.add_row(f"revenue{OSC52}")
    out = printed(table)
    assert "\x1b" not in out and "\x07" not in out
    assert "revenue" in out
