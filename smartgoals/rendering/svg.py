"""A small, deterministic SVG writer for line charts: a linear scale, round ticks, polylines,
step lines, axes and labels measured before they are placed. No ids are random, numbers are
rounded to two decimals, and every text is escaped, so the same data gives the same bytes."""

from __future__ import annotations

import datetime as dt
import math
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


FONT_SIZE = 12  # the labels' px size in the chart's own units; the CSS sets the same
FONT = f"{FONT_SIZE}px 'DejaVu Sans',Verdana,sans-serif"
# advance widths in ems, of DejaVu Sans (the widest common sans-serif; Verdana's are alike):
# a label measured with them is never wider than drawn in a narrower fallback font
_WIDTHS = {
    **dict.fromkeys("0123456789$#+<=>~^_?", 0.64),
    **dict.fromkeys(".,:;'|!il ", 0.32),
    **dict.fromkeys("jft()[]{}/\\-r", 0.40),
    **dict.fromkeys("mw%MW@", 1.0),
    **dict.fromkeys("ABCDEFGHKNOPQRSTUVXYZ&", 0.78),
    "≥": 0.84,
    "≤": 0.84,
    "\u00d7": 0.84,
    "…": 1.0,
    "€": 0.64,
    "£": 0.64,
}
_OTHER = 0.66  # any other character: a little wider than a lower-case letter


def text_width(content: str, size: float = FONT_SIZE) -> float:
    """How wide a label is drawn, in px, at most (see _WIDTHS)."""
    return sum(_WIDTHS.get(c, _OTHER) for c in content) * size


def round_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """3 to `most` ticks at round values (1, 2, 2.5 or 5 times a power of ten) around low..high."""
    span = high - low or abs(high) or 1.0
    for count in (4, 3, 5, 2):
        raw = span / count
        power = 10 ** math.floor(math.log10(raw))
        for factor in (1, 2, 2.5, 5, 10):
            step = factor * power
            first = math.floor(low / step + 1e-9) * step
            last = math.ceil(high / step - 1e-9) * step
            n = round((last - first) / step) + 1
            if 3 <= n <= most:
                return [round(first + i * step, 12) for i in range(n)]
    return [low, high]


def month_ticks(first: dt.date, last: dt.date, most: int = 7) -> list[dt.date]:
    """First days of months (every 1, 2, 3, 6 or 12) inside first..last; weeks' Mondays when
    the span is under two months."""
    if (last - first).days < 60:
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        weeks = [monday + dt.timedelta(weeks=i) for i in range((last - monday).days // 7 + 1)]
        return weeks[:: max(1, math.ceil(len(weeks) / most))]
    for step in (1, 2, 3, 6, 12, 24, 60):
        start = first.year * 12 + first.month  # the month after first's, in months
        start += (-start) % step  # aligned: quarters start in January, April, ...
        found = []
        month = start
        while True:
            day = dt.date((month - 1) // 12, (month - 1) % 12 + 1, 1)
            if day > last:
                break
            if day >= first:
                found.append(day)
            month += step
        if len(found) <= most:
            return found
    return [first, last]


def frame(
    points: Sequence[Point],
    width: float = 640,
    height: float = 240,
    pad: float = 0.08,
    left: float = 100,
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
    return Frame(width, height, left, 16, 18, 34, first, last, low, high + room)


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


def place(x: float, content: str, low: float, high: float) -> tuple[float, str]:
    """Where a label centred at x goes so that it lies whole within low..high: (x, anchor)."""
    half = text_width(content) / 2
    if x - half < low:
        return low, "start"
    if x + half > high:
        return high, "end"
    return x, "middle"


def text(x: float, y: float, content: str, css: str = "label", anchor: str = "start") -> str:
    return (
        f'<text class="{css}" x="{number(x)}" y="{number(y)}" text-anchor="{anchor}">'
        f"{escape(content)}</text>"
    )


def axes(
    f: Frame, y_ticks: Sequence[tuple[float, str]], x_ticks: Sequence[tuple[dt.date, str]]
) -> str:
    """The axes, a light grid line and a right-aligned label per y tick, a tick and a label per
    date tick (each kept whole inside the chart)."""
    bottom = f.height - f.bottom
    right = f.width - f.right
    parts = []
    for value, label in y_ticks:
        y = number(f.y(value))
        parts.append(f'<path class="grid" d="M{number(f.left)},{y} L{number(right)},{y}"/>')
        parts.append(text(f.left - 6, f.y(value) + FONT_SIZE * 0.35, label, anchor="end"))
    parts.append(
        f'<path class="axis" fill="none" d="M{number(f.left)},{number(f.top)} '
        f'L{number(f.left)},{number(bottom)} L{number(right)},{number(bottom)}"/>'
    )
    for day, label in x_ticks:
        x = f.x(day)
        parts.append(f'<path class="axis" d="M{number(x)},{number(bottom)} v4"/>')
        at, anchor = place(x, label, 2, f.width - 2)
        parts.append(text(at, bottom + 17, label, anchor=anchor))
    return "".join(parts)


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
