"""rendering/svg.py: a deterministic SVG writer: a linear scale, rounded numbers, escaped text."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.rendering.svg import (
    Frame,
    axes,
    chart,
    dots,
    escape,
    frame,
    number,
    polyline,
    steps,
    text,
)

JAN1, JAN11 = dt.date(2026, 1, 1), dt.date(2026, 1, 11)
# the plotting area: x from 100 to 200 - 0 = 200, y from 100 - 0 = 100 (low) to 0 (high)
F = Frame(200, 100, 100, 0, 0, 0, JAN1, JAN11, 0.0, 10.0)


def test_escape() -> None:
    assert escape("""<a href="x">'&'</a>""") == (
        "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    )
    assert "\x1b" not in escape("bad\x1b[2J")


@pytest.mark.parametrize(
    ("value", "text"), [(1.0, "1"), (1.234, "1.23"), (1.5, "1.5"), (-0.001, "0"), (0.0, "0")]
)
def test_number(value: float, text: str) -> None:
    assert number(value) == text


def test_the_scale() -> None:
    assert (F.x(JAN1), F.x(dt.date(2026, 1, 6)), F.x(JAN11)) == (100.0, 150.0, 200.0)
    assert (F.y(0.0), F.y(5.0), F.y(10.0)) == (100.0, 50.0, 0.0)
    assert F.xy((dt.date(2026, 1, 6), 2.5)) == "150,75"


def test_frame_has_room_and_never_goes_below_zero_for_positive_values() -> None:
    f = frame([(JAN1, 10.0), (JAN11, 110.0)])
    assert (f.first, f.last) == (JAN1, JAN11)
    assert f.low == pytest.approx(2.0)  # 10 - 8% of 100
    assert f.high == pytest.approx(118.0)
    assert frame([(JAN1, 1.0), (JAN11, 50.0)]).low == 0.0
    flat = frame([(JAN1, 5.0)])
    assert flat.last == dt.date(2026, 1, 2)  # one day at least
    assert flat.low < 5.0 < flat.high


def test_shapes() -> None:
    assert polyline(F, [], "observed") == ""
    assert polyline(F, [(JAN1, 0.0), (JAN11, 10.0)], "observed") == (
        '<polyline class="observed" fill="none" points="100,100 200,0"/>'
    )
    assert steps(
        F, [(JAN1, dt.date(2026, 1, 6), 5.0), (dt.date(2026, 1, 6), JAN11, 10.0)], "t"
    ) == ('<path class="t" fill="none" d="M100,50 L150,50 L150,0 L200,0"/>')
    assert steps(F, [], "t") == ""
    assert dots(F, [(JAN11, 10.0)], "point") == '<circle class="point" cx="200" cy="0" r="2.5"/>'
    assert (
        text(1, 2, "<x>") == '<text class="label" x="1" y="2" text-anchor="start">&lt;x&gt;</text>'
    )


def test_axes_label_the_dates_and_values() -> None:
    drawn = axes(F, [(0.0, "$0"), (10.0, "$10")], [(JAN1, "Jan 1"), (JAN11, "Jan 11")])
    assert ">Jan 1</text>" in drawn and ">Jan 11</text>" in drawn
    assert ">$0</text>" in drawn and ">$10</text>" in drawn


def test_chart_is_accessible_and_namespaced_only_standalone() -> None:
    svg = chart(F, "c1", "MRR <title>", "desc", ["<g/>"])
    assert svg.startswith('<svg class="chart" role="img" viewBox="0 0 200 100" ')
    assert 'aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">MRR &lt;title&gt;</title>' in svg
    assert svg.endswith("<g/></svg>")
    assert "xmlns" not in svg
    assert chart(F, "c1", "t", "d", [], standalone=True).startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" '
    )
    assert chart(F, "c1", "t", "d", []) == chart(F, "c1", "t", "d", [])  # deterministic
