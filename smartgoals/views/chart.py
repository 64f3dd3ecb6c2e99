"""The `chart` view: a metric's points and its target as JSON, or drawn in the terminal: the
observations as a braille line (two by four dots a
cell; `*` in ASCII when the output is not UTF-8), the target as a horizontal rule (a ladder as
steps), value labels on the left and the first and last dates below, sized to the width."""

from __future__ import annotations

import datetime as dt
import itertools
import textwrap
from typing import Any, NamedTuple

from smartgoals.engine.evaluation import TargetStatus
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.cells import reading_text, rung_text
from smartgoals.rendering.data import json_number, judgement_data, metric_value, rung_data

HEIGHT = 12  # rows of the plot
DEFAULT_WIDTH = 80  # when the output is not a terminal
MIN_PLOT = 10  # columns
_BRAILLE = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row in cell][column]


class ChartView(NamedTuple):
    metric: MetricDef
    dates: tuple[dt.date, ...]
    values: tuple[float, ...]
    goal: str | None  # the goal whose target is drawn
    target: TargetStatus | None
    as_of: dt.date
    since: dt.date | None
    problems: tuple[Problem, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def chart_json(view: ChartView, display: Display) -> dict[str, Any]:
    metric = view.metric
    target = view.target
    return {
        "metric": metric.id,
        "name": metric.name,
        "unit": metric.unit,
        "as_of": view.as_of.isoformat(),
        "since": view.since.isoformat() if view.since else None,
        "points": [
            {"date": d.isoformat(), "value": metric_value(metric, v)}
            for d, v in zip(view.dates, view.values, strict=True)
        ],
        "goal": view.goal,
        "target": None
        if target is None
        else {
            "status": target.status,
            "rungs": [rung_data(metric, r) for r in target.target.rungs],
            "progress": json_number(target.progress, 4),
            "plan": metric_value(metric, target.plan),
            **judgement_data(target),
        },
    }


def _line(x0: int, y0: int, x1: int, y1: int) -> list[tuple[int, int]]:
    """The dots between two dots (Bresenham), both ends included."""
    points = []
    dx, dy = abs(x1 - x0), -abs(y1 - y0)
    sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
    error = dx + dy
    while True:
        points.append((x0, y0))
        if x0 == x1 and y0 == y1:
            return points
        twice = 2 * error
        if twice >= dy:
            error += dy
            x0 += sx
        if twice <= dx:
            error += dx
            y0 += sy


def _target_at(view: ChartView, day: dt.date) -> float | None:
    """The threshold in force on day: a ladder's first rung not yet due, else its last."""
    if view.target is None:
        return None
    rungs = view.target.target.rungs
    for rung in rungs:
        if rung.due is None or rung.due >= day:
            return rung.value
    return rungs[-1].value


def chart_lines(view: ChartView, display: Display) -> list[str]:
    metric = view.metric
    ascii = display.ascii
    if display.width is None:  # piped: $COLUMNS when set, else 80
        import os

        from smartgoals.rendering.terminal import terminal_width

        width = terminal_width(os.environ, DEFAULT_WIDTH, fd=-1)
    else:
        width = display.width
    head = f"{metric.name} ({metric.id})"
    if view.target is not None:
        rungs = "; ".join(rung_text(metric, r, plain=True) for r in view.target.target.rungs)
        head += f": target {rungs} ({view.goal}), {view.target.status.replace('_', ' ')}"
    if not view.dates:
        return [head, "no observations" + (f" since {view.since}" if view.since else "")]
    first, last = view.dates[0], max(view.as_of, view.dates[-1])
    targets = [_target_at(view, d) for d in (first, last)]
    if view.target is not None:
        targets += [r.value for r in view.target.target.rungs if r.due and first <= r.due <= last]
    known = [t for t in targets if t is not None]
    low, high = min([*view.values, *known]), max([*view.values, *known])
    if high <= low:
        low, high = low - 1, high + 1
    top_label, low_label = reading_text(metric, high), reading_text(metric, low)
    margin = max(len(top_label), len(low_label)) + 1
    columns = max(width - margin - 2, MIN_PLOT)  # lines one short of the width: no wrap
    sub_x, sub_y = (1, 1) if ascii else (2, 4)
    dots_x, dots_y = columns * sub_x, HEIGHT * sub_y
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> int:
        return min(round((day - first).days / span * (dots_x - 1)), dots_x - 1)

    def y_of(value: float) -> int:  # 0 at the top
        return min(max(round((high - value) / (high - low) * (dots_y - 1)), 0), dots_y - 1)

    cells = [[0] * columns for _ in range(HEIGHT)]
    rule = [[False] * columns for _ in range(HEIGHT)]
    for column in range(columns):  # the target, as it stood at each column's date
        day = first + dt.timedelta(days=round(column / max(columns - 1, 1) * span))
        value = _target_at(view, day)
        if value is not None and low <= value <= high:
            rule[y_of(value) // sub_y][column] = True
    points = [(x_of(d), y_of(v)) for d, v in zip(view.dates, view.values, strict=True)]
    dots = points[:1]
    for a, b in itertools.pairwise(points):
        dots += _line(*a, *b)[1:]
    for x, y in dots:
        row, column = y // sub_y, x // sub_x
        cells[row][column] |= 1 if ascii else _BRAILLE[y % sub_y][x % sub_x]
    lines = textwrap.wrap(head, max(width - 1, 20), subsequent_indent="  ") or [head]
    for row in range(HEIGHT):
        label = top_label if row == 0 else low_label if row == HEIGHT - 1 else ""
        chars = []
        for column in range(columns):
            if cells[row][column]:
                chars.append("*" if ascii else chr(0x2800 + cells[row][column]))
            elif rule[row][column]:
                chars.append("-" if ascii else "─")
            else:
                chars.append(" ")
        plot = "".join(chars).rstrip()
        lines.append(f"{label.rjust(margin - 1)} {'|' if ascii else '│'}{plot}")
    lines.append(" " * margin + ("+" if ascii else "└") + ("-" if ascii else "─") * columns)
    start, end = first.isoformat(), last.isoformat()
    gap = max(columns - len(start) - len(end), 1)
    lines.append(" " * (margin + 1) + start + " " * gap + end)
    mark, rule_mark = ("*", "-") if ascii else ("⣿", "─")
    legend = f"{mark} observed ({len(view.values)})"
    if view.target is not None:
        legend += f"  {rule_mark} target"
    lines.append(" " * (margin + 1) + legend)
    return lines


FORMS: dict[type, dict[Format, Form]] = {
    ChartView: {Format.JSON: chart_json, Format.PLAIN: chart_lines}
}
