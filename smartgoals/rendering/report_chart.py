"""A target's chart as SVG: the observed values as a line, the target (a ladder's rungs, both
bounds of a range) as steps, the expected pace as a dashed line and the forecast as a dotted
one; round ticks with units, month ticks, the as-of date marked, the latest value and the
target labelled with their numbers; Okabe-Ito colours, told apart by their dashes too."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import TYPE_CHECKING

from smartgoals.engine.evaluation import pace_curve
from smartgoals.rendering import svg
from smartgoals.rendering.cells import reading_text, rung_text

if TYPE_CHECKING:
    from smartgoals.engine.evaluation import TargetStatus
    from smartgoals.engine.forecast import Forecast
    from smartgoals.ledger.model import MetricDef, Series

PACE_SAMPLES = 24  # points per rung on the expected pace curve
MAX_POINTS = 400  # observations drawn per chart (the latest ones): a page stays small
WIDTH, HEIGHT = 340, 170  # the chart's own units: labels are 12 of them high
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
CHART_CSS = (
    ".axis{stroke:#777;stroke-width:1}.grid{stroke:#e8e8e8;stroke-width:1}"
    ".observed{stroke:#0072b2;stroke-width:2.5}"
    ".point{fill:#0072b2}"
    ".target{stroke:#009e73;stroke-width:2}"
    ".pace{stroke:#e69f00;stroke-width:2;stroke-dasharray:7 5}"
    ".forecast{stroke:#cc79a7;stroke-width:3;stroke-dasharray:1 6;stroke-linecap:round}"
    ".asof{stroke:#555;stroke-width:1;stroke-dasharray:2 3}"
    f".label{{font:{svg.FONT};fill:#333}}"
    ".label.now{fill:#005a8c;font-weight:bold}.label.goal{fill:#00664a}"
)


def _label(metric: MetricDef, value: float) -> str:
    """A label: the value to three significant digits, in the metric's unit."""
    if value and not metric.is_stage:
        digits = 2 - math.floor(math.log10(abs(value)))
        value = round(value, digits) if digits > 0 else float(round(value, digits))
    return reading_text(metric, value)


def _date_label(day: dt.date, first: bool, weekly: bool) -> str:
    if weekly:
        return f"{MONTHS[day.month - 1]} {day.day}"
    if day.month == 1 or first:
        return f"{MONTHS[day.month - 1]} {day.year}" if day.month != 1 else str(day.year)
    return MONTHS[day.month - 1]


def date_ticks(f: svg.Frame) -> list[tuple[dt.date, str]]:
    """Month (or week) ticks, as many as fit with their labels apart."""
    weekly = (f.last - f.first).days < 60
    for most in (7, 5, 4, 3, 2):
        days = svg.month_ticks(f.first, f.last, most)
        ticks = [(d, _date_label(d, i == 0, weekly)) for i, d in enumerate(days)]
        xs = [f.x(d) for d in days]
        room = min((b - a for a, b in itertools.pairwise(xs)), default=f.width)
        if all(svg.text_width(label) + 8 < room for _, label in ticks):
            return ticks
    return []


def _start(target: TargetStatus, series: Series | None) -> dt.date | None:
    if target.target.start is not None:
        return target.target.start
    if series is not None and series.dates:
        return series.dates[0]
    return None


def pace_points(target: TargetStatus, series: Series | None) -> list[svg.Point]:
    """The pace curve the engine judges against, rung by rung, sampled."""
    definition = target.target
    if definition.pace == "none" or target.metric.is_stage or definition.every is not None:
        return []
    start = _start(target, series)
    baseline = definition.baseline  # a ladder's first rung runs from the target's baseline
    if baseline is None and series is not None and start is not None:
        later = [v for d, v in zip(series.dates, series.values, strict=True) if d >= start]
        baseline = later[0] if later else None
    if start is None or baseline is None:
        return []
    points: list[svg.Point] = []
    base = baseline
    for rung in definition.rungs:
        if rung.due is None or rung.hold or rung.due <= start:
            return points
        goal = rung.goal_value(base)
        days = (rung.due - start).days
        for i in range(PACE_SAMPLES + 1):
            share = i / PACE_SAMPLES
            day = start + dt.timedelta(days=round(days * share))
            points.append((day, pace_curve(definition.pace, base, goal, share).value))
        start, base = rung.due, rung.value
    return points


def target_segments(
    target: TargetStatus, first: dt.date, last: dt.date, high: bool = False
) -> list[tuple[dt.date, dt.date, float]]:
    """The target's threshold over time, rung by rung; with high, a range's upper bound."""
    segments = []
    start = first
    for rung in target.target.rungs:
        end = rung.due or last
        value = rung.high if high else rung.value
        if end > start and value is not None:
            segments.append((start, end, value))
            start = end
    return segments


def forecast_points(
    target: TargetStatus, forecast: Forecast | None, as_of: dt.date
) -> list[svg.Point]:
    if forecast is None or target.current is None or target.current_date is None:
        return []
    origin = (target.current_date, target.current)
    if forecast.eta is not None and forecast.goal is not None and forecast.eta > origin[0]:
        return [origin, (forecast.eta, forecast.goal)]
    if forecast.value_at_due is not None and forecast.due is not None and forecast.due > as_of:
        return [origin, (forecast.due, forecast.value_at_due)]
    return []


def _labels(
    f: svg.Frame, metric: MetricDef, latest: svg.Point | None, goal: tuple[dt.date, float] | None
) -> list[str]:
    """The target's number at its line's end and the latest value by its point, kept apart and
    inside the chart."""
    parts = []
    goal_box = None
    if goal is not None:
        label = _label(metric, goal[1])
        y = min(max(f.y(goal[1]) - 5, svg.FONT_SIZE + 2), f.height - f.bottom - 3)
        x, anchor = svg.place(f.x(goal[0]), label, f.left + 2, f.width - 2)
        if anchor == "middle":
            x, anchor = f.x(goal[0]), "end"
        parts.append(svg.text(x, y, label, "label goal", anchor))
        goal_box = (y, x - svg.text_width(label) if anchor == "end" else x)
    if latest is not None:
        label = _label(metric, latest[1])
        y = f.y(latest[1]) - 7
        x, anchor = svg.place(f.x(latest[0]), label, f.left + 2, f.width - 2)
        if goal_box is not None and abs(goal_box[0] - y) < svg.FONT_SIZE + 2:
            y = y + svg.FONT_SIZE + 12 if y < goal_box[0] + 6 else y
        y = min(max(y, svg.FONT_SIZE + 2), f.height - f.bottom - 3)
        parts.append(svg.text(x, y, label, "label now", anchor))
    return parts


def _as_of(f: svg.Frame, as_of: dt.date) -> str:
    x = f.x(as_of)
    label = f"as of {MONTHS[as_of.month - 1]} {as_of.day}"
    at, anchor = svg.place(x, label, 2, f.width - 2)
    line = (
        f'<path class="asof" d="M{svg.number(x)},{svg.number(f.top)} '
        f'V{svg.number(f.height - f.bottom)}"/>'
    )
    return line + svg.text(at, f.top - 5, label, "label", anchor)


def chart_frame(
    metric: MetricDef, first: dt.date, last: dt.date, values: list[float]
) -> tuple[svg.Frame, list[tuple[float, str]]]:
    """The frame and its y ticks: round values around the data, the left margin as wide as
    the widest tick label."""
    rough = svg.frame([(first, min(values)), (last, max(values))])
    ticks = svg.round_ticks(rough.low, rough.high)
    if min(values) >= 0 and ticks[0] < 0:
        ticks = [t for t in ticks if t >= 0]
    labels = [(t, _label(metric, t)) for t in ticks]
    left = max(svg.text_width(label) for _, label in labels) + 12
    return (
        svg.Frame(WIDTH, HEIGHT, left, 12, 20, 26, first, last, ticks[0], ticks[-1]),
        labels,
    )


def target_chart(
    target: TargetStatus,
    series: Series | None,
    forecast: Forecast | None,
    as_of: dt.date,
    ident: str,
    title: str,
    standalone: bool = False,
) -> str:
    metric = target.metric
    observed: list[svg.Point] = []
    if series is not None:
        end = series.count_until(as_of)
        low = max(end - MAX_POINTS, 0)
        observed = list(zip(series.dates[low:end], series.values[low:end], strict=True))
    pace = pace_points(target, series)
    coming = forecast_points(target, forecast, as_of)
    dues = [r.due for r in target.target.rungs if r.due is not None]
    days = [p[0] for p in observed + pace + coming] + dues + [as_of]
    first = min(days)
    if observed:
        first = min(observed[0][0], min(p[0] for p in pace) if pace else observed[0][0])
    last = max(days)
    segments = target_segments(target, first, last)
    upper = target_segments(target, first, last, high=True)
    values = [p[1] for p in observed + pace + coming] + [s[2] for s in segments + upper]
    if not values:
        values = [0.0, 1.0]
    f, y_ticks = chart_frame(metric, first, max(last, first + dt.timedelta(days=1)), values)
    goal = (segments[-1][1], segments[-1][2]) if segments else None
    body = [
        svg.axes(f, y_ticks, date_ticks(f)),
        _as_of(f, as_of),
        svg.steps(f, segments, "target"),
        svg.steps(f, upper, "target"),
        svg.polyline(f, pace, "pace"),
        svg.polyline(f, observed, "observed"),
        svg.dots(f, observed[-1:], "point", 3.5),
        svg.polyline(f, coming, "forecast"),
        *_labels(f, metric, observed[-1] if observed else None, goal),
    ]
    if upper:
        body.append(
            svg.text(
                f.width - f.right,
                f.y(upper[-1][2]) - 5,
                _label(metric, upper[-1][2]),
                "label goal",
                "end",
            )
        )
    if standalone:
        body.insert(0, f"<style>{CHART_CSS}</style>")
    rungs = "; ".join(rung_text(metric, r, plain=True) for r in target.target.rungs)
    latest = "no value yet"
    if observed:
        latest = f"{reading_text(metric, observed[-1][1])} on {observed[-1][0].isoformat()}"
    description = (
        f"{len(observed)} observations of {metric.name}, latest {latest}; target {rungs}; "
        f"status {str(target.status).replace('_', ' ')}. Solid line: observed; steps: target; "
        "dashed: expected pace; dotted: forecast; thin dashes: the as-of date."
    )
    return svg.chart(f, ident, title, description, body, standalone)
