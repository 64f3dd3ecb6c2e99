"""Sparklines: scale, flat series, gaps, the last `width` values, ASCII."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from smartgoals.rendering.sparkline import ASCII_LEVELS, BLOCKS, sparkline


def test_a_rising_series_climbs_from_the_lowest_block_to_the_highest() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8]) == "▁▂▃▄▅▆▇█"
    assert sparkline([0, 50, 100]) == "▁▅█"  # 3.5 rounds to the even level 4


def test_ascii_levels() -> None:
    assert sparkline([0, 1, 2, 3, 4], ascii=True) == "_.-=^"


def test_a_flat_series_is_drawn_in_the_middle_row() -> None:
    assert sparkline([5, 5, 5]) == "▄▄▄"
    assert sparkline([5.0], ascii=True) == "-"


def test_missing_values_are_spaces_and_do_not_count_for_the_scale() -> None:
    assert sparkline([1, None, 3, math.nan, math.inf]) == "▁ █  "
    assert sparkline([None, None]) == "  "


def test_only_the_last_width_values_are_drawn() -> None:
    assert sparkline(list(range(20)), width=4) == "▁▃▆█"
    assert sparkline([1, 2], width=12) == "▁█"
    assert sparkline([1, 2], width=0) == ""
    assert sparkline([]) == ""


def test_negative_and_tiny_values() -> None:
    assert sparkline([-10, 0, 10]) == "▁▅█"
    assert sparkline([1e-300, 2e-300]) == "▁█"
    assert sparkline([-1.7e308, 0, 1.7e308]) == "▁▅█"


values = st.lists(
    st.none() | st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6),
    max_size=40,
)


@given(values, st.integers(0, 30), st.booleans())
def test_one_character_per_drawn_value_deterministically(
    series: list[float | None], width: int, ascii: bool
) -> None:
    line = sparkline(series, width, ascii)
    assert line == sparkline(series, width, ascii)
    assert len(line) == min(len(series), width)
    allowed = set(ASCII_LEVELS if ascii else BLOCKS) | {" "}
    assert set(line) <= allowed
    drawn = series[-width:] if width else []
    for value, char in zip(drawn, line, strict=True):
        assert (char == " ") == (value is None or not math.isfinite(value))
