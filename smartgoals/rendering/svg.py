"""A small, deterministic SVG writer for line charts: a linear scale, polylines, step lines,
axes and labels. No ids are random, numbers are rounded to two decimals, and every text is
escaped, so the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from smartgoals.safetext import clean

Point = tuple[dt.date, float]


def escape(text: str) -> str:
    """Text safe in XML content and attribute values (control characters made visible)."""
    return (
        clean(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Frame(NamedTuple):
    """The plotting area inside the chart, and the data ranges it shows."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    first: dt.date
    last: dt.date
    low: float
    high: float

    def x(self, day: dt.date) -> float:
        span = max((self.last - self.first).days, 1)
        share = (day - self.first).days / span
        return self.left + share * (self.width - self.left - self.right)

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        share = (value - self.low) / span
        return self.height - self.bottom - share * (self.height - self.top - self.bottom)

    def xy(self, point: Point) -> str:
        return f"{number(self.x(point[0]))},{number(self.y(point[1]))}"


def frame(
    points: Sequence[Point], width: float = 640, height: float = 240, pad: float = 0.08
) -> Frame:
    """A frame holding every point, with some room above and below."""
    days = [p[0] for p in points]
    values = [p[1] for p in points]
    first, last = min(days), max(days)
    if last <= first:
        last = first + dt.timedelta(days=1)
    low, high = min(values), max(values)
    if high <= low:  # a flat line: some room around it, never below zero for values >= 0
        bump = abs(high) * 0.1 or 1.0
        low, high = (max(low - bump, 0.0) if low >= 0 else low - bump), high + bump
    room = (high - low) * pad
    low = 0.0 if low - room < 0 <= low else low - room  # no negative room under values >= 0
    return Frame(width, height, 100, 16, 16, 30, first, last, low, high + room)


def polyline(f: Frame, points: Sequence[Point], css: str) -> str:
    if not points:
        return ""
    shown = " ".join(f.xy(p) for p in points)
    return f'<polyline class="{css}" fill="none" points="{shown}"/>'


def steps(f: Frame, segments: Sequence[tuple[dt.date, dt.date, float]], css: str) -> str:
    """Horizontal segments joined by vertical risers: a ladder's thresholds over time."""
    if not segments:
        return ""
    parts = []
    for i, (start, end, value) in enumerate(segments):
        y = number(f.y(value))
        command = "M" if i == 0 else "L"
        parts.append(f"{command}{number(f.x(start))},{y} L{number(f.x(end))},{y}")
    return f'<path class="{css}" fill="none" d="{" ".join(parts)}"/>'


def dots(f: Frame, points: Sequence[Point], css: str, radius: float = 2.5) -> str:
    return "".join(
        f'<circle class="{css}" cx="{number(f.x(p[0]))}" cy="{number(f.y(p[1]))}" '
        f'r="{number(radius)}"/>'
        for p in points
    )


def text(x: float, y: float, content: str, css: str = "label", anchor: str = "start") -> str:
    return (
        f'<text class="{css}" x="{number(x)}" y="{number(y)}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def axes(f: Frame, low_label: str, high_label: str) -> str:
    """The two axes with the first and last dates and the lowest and highest values."""
    bottom = f.height - f.bottom
    right = f.width - f.right
    return "".join(
        [
            f'<path class="axis" fill="none" d="M{number(f.left)},{number(f.top)} '
            f'L{number(f.left)},{number(bottom)} L{number(right)},{number(bottom)}"/>',
            text(f.left - 6, f.y(f.high) + 12, high_label, anchor="end"),
            text(f.left - 6, f.y(f.low), low_label, anchor="end"),
            text(f.left, bottom + 22, f.first.isoformat()),
            text(right, bottom + 22, f.last.isoformat(), anchor="end"),
        ]
    )


SVG_NAMESPACE = "http://www.w3.org/2000/svg"  # only in a standalone file: HTML needs none


def chart(
    f: Frame,
    ident: str,
    title: str,
    description: str,
    body: Sequence[str],
    standalone: bool = False,
) -> str:
    """The svg element: accessible by its title and description, scaled to its container."""
    namespace = f' xmlns="{SVG_NAMESPACE}"' if standalone else ""
    return (
        f'<svg{namespace} class="chart" role="img" '
        f'viewBox="0 0 {number(f.width)} {number(f.height)}" '
        f'aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title>'
        f'<desc id="{ident}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )
