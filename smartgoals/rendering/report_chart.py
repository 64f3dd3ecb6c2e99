"""A target's chart as SVG: the observed values as a line, the target (a ladder's rungs) as
steps, the expected pace as a dashed line and the forecast as a dotted one."""

from __future__ import annotations

import datetime as dt
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
CHART_CSS = (
    ".axis{stroke:#888;stroke-width:1}"
    ".observed{stroke:#1f5fbf;stroke-width:3}"
    ".point{fill:#1f5fbf}"
    ".target{stroke:#2a8a3a;stroke-width:2.5}"
    ".pace{stroke:#a05a00;stroke-width:2.5;stroke-dasharray:8 6}"
    ".forecast{stroke:#7a3fb0;stroke-width:3.5;stroke-dasharray:1 7;stroke-linecap:round}"
    ".label{font:18px sans-serif;fill:#444}"
)


def _label(metric: MetricDef, value: float) -> str:
    """An axis label: the value to three significant digits, in the metric's unit."""
    if value and not metric.is_stage:
        digits = 2 - math.floor(math.log10(abs(value)))
        value = round(value, digits) if digits > 0 else float(round(value, digits))
    return reading_text(metric, value)


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
    target: TargetStatus, first: dt.date, last: dt.date
) -> list[tuple[dt.date, dt.date, float]]:
    segments = []
    start = first
    for rung in target.target.rungs:
        end = rung.due or last
        if end > start:
            segments.append((start, end, rung.value))
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
    values = [p[1] for p in observed + pace + coming] + [s[2] for s in segments]
    if not values:
        values = [0.0, 1.0]
    f = svg.frame([(first, min(values)), (last, max(values))])
    body = [
        svg.axes(f, _label(metric, f.low), _label(metric, f.high)),
        svg.steps(f, segments, "target"),
        svg.polyline(f, pace, "pace"),
        svg.polyline(f, observed, "observed"),
        svg.dots(f, observed[-1:], "point"),
        svg.polyline(f, coming, "forecast"),
    ]
    if standalone:
        body.insert(0, f"<style>{CHART_CSS}</style>")
    rungs = "; ".join(rung_text(metric, r, plain=True) for r in target.target.rungs)
    latest = "no value yet"
    if observed:
        latest = f"{reading_text(metric, observed[-1][1])} on {observed[-1][0].isoformat()}"
    description = (
        f"{len(observed)} observations of {metric.name}, latest {latest}; target {rungs}; "
        f"status {str(target.status).replace('_', ' ')}. Solid line: observed; steps: target; "
        "dashed: expected pace; dotted: forecast."
    )
    return svg.chart(f, ident, title, description, body, standalone)
