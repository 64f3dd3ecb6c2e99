"""rendering/ansi.py: styled spans painted with SGR codes, user text made safe."""

from __future__ import annotations

from smartgoals.rendering.ansi import RESET, Painted, cut, paint, sgr


def test_sgr_knows_a_few_words_and_ignores_the_rest() -> None:
    assert sgr("bold red") == "\x1b[1;31m"
    assert sgr("dim") == "\x1b[2m"
    assert sgr("blink") == ""
    assert sgr("bold blink green") == "\x1b[1;32m"


def test_paint_wraps_styled_spans_and_skips_empty_ones() -> None:
    spans = [("on track", "green"), ("", "bold"), ("  ", ""), ("x", "unknown")]
    assert paint(spans) == f"\x1b[32mon track{RESET}  x"


def test_paint_makes_user_text_safe() -> None:
    painted = paint([("evil\x1b]52;c;ZXZpbA==\x07", "bold")])
    assert painted.startswith("\x1b[1m") and painted.endswith(RESET)
    inner = painted[len("\x1b[1m") : -len(RESET)]
    assert "\x1b" not in inner and "\x07" not in inner


def test_cut_keeps_styles() -> None:
    spans = [("abc", "bold"), ("def", ""), ("ghi", "red")]
    assert cut(spans, 4) == [("abc", "bold"), ("d", "")]
    assert cut(spans, 0) == []
    assert cut(spans, 20) == spans


def test_painted_joins_lines() -> None:
    assert Painted(["a", "b"]).ansi() == "a\nb"
