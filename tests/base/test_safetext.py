"""safetext.clean: control characters and escape sequences are shown, never obeyed."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from smartgoals.errors import InvalidInputError, Problem, error_line
from smartgoals.safetext import clean


def test_ordinary_text_is_the_same_object() -> None:
    text = "Umsatz für Q3 — 売上 ✓ مرحبا"
    assert clean(text) is text


def test_text_that_is_not_printable_but_safe_is_kept() -> None:
    """Past the fast path (str.isprintable), only the unsafe characters change: a no-break
    space, a zero-width joiner in an emoji and a soft hyphen stay as they are."""
    for text in ("1\u00a0200 €", "👩\u200d💻 dev", "co\u00adoperate"):
        assert not text.isprintable()
        assert clean(text) is text
    assert clean("a\u00a0b\nc") == "a\u00a0b\\nc"


@given(st.text())
def test_the_same_as_the_pattern_alone(text: str) -> None:
    from smartgoals.safetext import _UNSAFE, _visible

    assert clean(text) == _UNSAFE.sub(_visible, text)


def test_escape_sequences_and_controls_are_made_visible() -> None:
    assert clean("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert clean("\x1b[2J\x1b[31mred") == "\\x1b[2J\\x1b[31mred"
    assert clean("\x1b]52;c;cHduZWQ=\x07") == "\\x1b]52;c;cHduZWQ=\\x07"  # OSC 52 clipboard
    assert clean("\x9b31m\x7f\x00") == "\\x9b31m\\x7f\\x00"  # C1 CSI, DEL, NUL
    assert clean("abc\u202edef\u2028") == "abc\\u202edef\\u2028"


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    cleaned = clean(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert "\u2028" not in cleaned and "\u202e" not in cleaned


def test_problems_and_error_lines_are_clean(tmp_path: Path) -> None:
    problem = Problem("goals/\x1b[31mx.yaml", 3, 1, "unknown key 'a\nb'", "goals[0]")
    assert str(problem) == "goals/\\x1b[31mx.yaml:3:1: goals[0]: unknown key 'a\\nb'"
    line, code = error_line(InvalidInputError("unknown metric '\x1b]52;c;eA==\x07'"))
    assert (line, code) == ("error: unknown metric '\\x1b]52;c;eA==\\x07'", 1)
    missing = tmp_path / "a\nb"
    try:
        missing.read_text()
    except OSError as exc:
        line, code = error_line(exc)
    assert "\n" not in line and line.endswith("a\\nb") and code == 3
