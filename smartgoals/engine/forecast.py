"""Forecasts: where a dated target is heading at its metric's recent rate. Pure, like the engine.

Every rule here is stated in docs/status-engine.md ("Forecasts"). A forecast is
computed from a judged target (engine.TargetStatus) and its metric's observations; it never
changes the status, it sits beside it with a verdict of its own.

Fits are least squares with exact sums (statistics.linear_regression's arithmetic), plain
floating point in a fixed order, so the same ledger and as-of date give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from smartgoals.formula.context import Reach
from smartgoals.ledger.model import index_left, index_right
from smartgoals.periods import CADENCE_DAYS, DEFAULT_HOLD_DAYS, DEFAULT_HOLD_PERIODS
from smartgoals.record import Record

if TYPE_CHECKING:
    from smartgoals.ledger.model import Ledger, MetricDef, Rung, Series, TargetDef

WILL_MAKE = "will_make"
WONT_MAKE = "wont_make"
REACHED = "reached"
UNKNOWN = "unknown"
VERDICTS = (WILL_MAKE, WONT_MAKE, REACHED, UNKNOWN)

MONTH_DAYS = 365.25 / 12  # a rate per day times this is a rate per month
MIN_POINTS = 3  # observations in the trailing window
MIN_PERIODS = 2  # the periods (of the metric's cadence) they must span
DAYS_WITHOUT_CADENCE = 30  # the period of a metric without a cadence, for that span
MAX_ETA_DAYS = 365 * 100  # further than a century is never
ROUNDING = 1e-9  # days: 90.00000000001 from a floating-point fit is day 90, not day 91


class QuotaPeriod(Protocol):
    """What a forecast reads of one period of a quota (engine.PeriodResult)."""

    @property
    def first(self) -> dt.date: ...
    @property
    def last(self) -> dt.date: ...
    @property
    def value(self) -> float | None: ...
    @property
    def finished(self) -> bool: ...


class TargetStatus(Protocol):
    """What a forecast reads of a judged target (engine.TargetStatus). Named by its shape, so
    that the evaluation, which hands forecasts to risk conditions, can import this module."""

    @property
    def target(self) -> TargetDef: ...
    @property
    def metric(self) -> MetricDef: ...
    @property
    def status(self) -> str: ...
    @property
    def rung(self) -> Rung: ...
    @property
    def current(self) -> float | None: ...
    @property
    def current_date(self) -> dt.date | None: ...
    @property
    def periods(self) -> Sequence[QuotaPeriod] | None: ...
    @property
    def forecast(self) -> Forecast | None: ...  # set once by evaluate(): read, not recomputed


class Point(Record):
    date: dt.date
    value: float


class Rate(Record):
    """A rate in both forms: an amount per month, and a percentage per month (compound)."""

    per_month: float | None
    percent_per_month: float | None


class Fit(Record):
    """A least-squares line: value (linear) or log value (compound) against days from origin."""

    model: str
    slope: float  # per day
    intercept: float
    origin: dt.date

    def predict(self, day: dt.date) -> float:
        y = self.intercept + self.slope * (day - self.origin).days
        return math.exp(y) if self.model == "compound" else y


class Forecast(Record):
    verdict: str  # will_make, wont_make, reached or unknown
    reason: str | None = None  # why there is no forecast, or what decided the verdict
    model: str | None = None  # linear or compound: the model the ETA follows
    model_note: str | None = None  # how the model was chosen (auto, a fallback)
    actual_rate: Rate | None = None
    required_rate: Rate | None = None
    eta: dt.date | None = None
    slack_days: int | None = None  # due minus ETA: negative is late
    value_at_due: float | None = None  # pace: none (and quotas): the value expected at the due
    due: dt.date | None = None
    goal: float | None = None  # the value the target needs
    points: tuple[Point, ...] = ()
    window: tuple[dt.date, dt.date] | None = None  # the trailing window the points came from
    errors: tuple[tuple[str, float], ...] = ()  # auto: each model's held-out error
    held_out: int = 0  # auto: how many of the last points were held out


def window_days(metric: MetricDef) -> int:
    """The trailing window: three of the metric's cadence periods, 90 days without one."""
    if metric.cadence:
        return CADENCE_DAYS[metric.cadence] * DEFAULT_HOLD_PERIODS
    return DEFAULT_HOLD_DAYS


def _period_index(day: dt.date, cadence: str | None) -> int:
    ordinal = day.toordinal()
    if cadence == "daily":
        return ordinal
    if cadence == "weekly":
        return (ordinal - 1) // 7  # 0001-01-01 was a Monday
    if cadence == "monthly":
        return day.year * 12 + day.month - 1
    if cadence == "quarterly":
        return day.year * 4 + (day.month - 1) // 3
    if cadence == "yearly":
        return day.year
    return ordinal // DAYS_WITHOUT_CADENCE


def periods_spanned(first: dt.date, last: dt.date, cadence: str | None) -> int:
    """How many period boundaries lie between two days (calendar periods of the cadence; 30
    days without one)."""
    if cadence is None:
        return (last - first).days // DAYS_WITHOUT_CADENCE
    return _period_index(last, cadence) - _period_index(first, cadence)


def linear_regression(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """Slope and intercept of the least-squares line, or None when every x is the same: the
    arithmetic of statistics.linear_regression (exact sums in the same order), without
    importing statistics, which every `status` would pay for now that each target carries its
    forecast."""
    n = len(xs)
    xbar = math.fsum(xs) / n
    ybar = math.fsum(ys) / n
    sxy = math.fsum((xi - xbar) * (yi - ybar) for xi, yi in zip(xs, ys, strict=True))
    sxx = math.fsum((xi - xbar) * (xi - xbar) for xi in xs)
    if sxx == 0:
        return None
    slope = sxy / sxx
    return slope, ybar - slope * xbar


def fit(points: tuple[Point, ...] | list[Point], model: str) -> Fit | None:
    """The least-squares line through the points (of log values for compound), or None."""
    if len(points) < 2:
        return None
    origin = points[0].date
    xs = [float((p.date - origin).days) for p in points]
    if model == "compound":
        if any(p.value <= 0 for p in points):
            return None
        ys = [math.log(p.value) for p in points]
    else:
        ys = [p.value for p in points]
    line = linear_regression(xs, ys)
    if line is None:  # every point on one day
        return None
    return Fit(model, line[0], line[1], origin)


def _rates(linear: Fit | None, compound: Fit | None) -> Rate:
    per_month = linear.slope * MONTH_DAYS if linear is not None else None
    percent = (math.exp(compound.slope * MONTH_DAYS) - 1) * 100 if compound is not None else None
    return Rate(per_month, percent)


def required_rate(value: float, goal: float, days: int) -> Rate | None:
    """The rate that takes value to goal in days, in both forms."""
    if days <= 0:
        return None
    per_month = (goal - value) / days * MONTH_DAYS
    percent = None
    if value > 0 and goal > 0:
        percent = ((goal / value) ** (MONTH_DAYS / days) - 1) * 100
    return Rate(per_month, percent)


def days_to(model: str, slope: float, value: float, goal: float) -> float | None:
    """Days from value to goal at this slope (per day; of the log for compound); None: never."""
    if model == "compound":
        if value <= 0 or goal <= 0:
            return None
        distance = math.log(goal / value)
    else:
        distance = goal - value
    if distance == 0:
        return 0.0
    if slope == 0 or (distance > 0) != (slope > 0):
        return None
    days = distance / slope
    return days if days <= MAX_ETA_DAYS else None


def project(model: str, slope: float, value: float, days: int) -> float:
    """The value days after one observed, at this slope."""
    if model == "compound":
        return value * math.exp(slope * days)
    return value + slope * days


def choose_model(
    setting: str, points: tuple[Point, ...], linear: Fit | None, compound: Fit | None
) -> tuple[str, str | None, tuple[tuple[str, float], ...], int]:
    """(model, note, held-out errors, points held out). auto: the model whose fit on the earlier
    points predicted the last third of them (at least one) with the smaller mean absolute
    error; linear on a tie, or when compound cannot be fitted."""
    if setting == "linear":
        return "linear", None, (), 0
    if compound is None:
        note = "compound needs every value above zero; linear used"
        return "linear", note if setting == "compound" else f"auto: {note}", (), 0
    if setting == "compound":
        return "compound", None, (), 0
    held = max(1, len(points) // 3)
    train, test = points[:-held], points[-held:]
    errors: list[tuple[str, float]] = []
    for model in ("linear", "compound"):
        trained = fit(train, model)
        if trained is None:
            return "linear", "auto: too few earlier points to compare the models; linear", (), 0
        error = sum(abs(trained.predict(p.date) - p.value) for p in test) / len(test)
        errors.append((model, error))
    best = "compound" if errors[1][1] < errors[0][1] else "linear"
    return best, f"auto: {best} predicted the last {held} held out better", tuple(errors), held


def _whole_days(days: float) -> int:
    """The first whole day on which the projection has arrived."""
    return math.ceil(days - ROUNDING)


def _goal(rung: Rung, value: float) -> float:
    """The value to reach: a range's bound nearest the value, else the rung's value."""
    if rung.op == ".." and rung.high is not None and value > rung.high:
        return rung.high
    return rung.value


def trailing_points(series: Series, as_of: dt.date, days: int) -> tuple[Point, ...]:
    first = as_of - dt.timedelta(days=days - 1)
    low = index_left(series.dates, first)
    high = index_right(series.dates, as_of)
    return tuple(map(Point, series.dates[low:high], series.values[low:high]))


def forecast_target(status: TargetStatus, series: Series | None, as_of: dt.date) -> Forecast:
    """Where this judged target is heading: the README's forecast rules, in order."""
    metric, rung = status.metric, status.rung
    if metric.is_stage:
        return Forecast(UNKNOWN, "a stage metric has no rate")
    if rung.hold:
        return Forecast(UNKNOWN, "a held target must hold at every observation; no ETA")
    if status.periods is not None:
        return _forecast_quota(status, series, as_of)
    if rung.due is None:
        return Forecast(UNKNOWN, "no due to forecast against")
    return _forecast_dated(status, series, as_of, rung, rung.due)


def _forecast_dated(
    status: TargetStatus, series: Series | None, as_of: dt.date, rung: Rung, due: dt.date
) -> Forecast:
    metric = status.metric
    met = status.current is not None and rung.met_by(status.current)
    reached = met or status.status in ("achieved", "achieved_late")
    days = window_days(metric)
    points = trailing_points(series, as_of, days) if series is not None else ()
    window = (as_of - dt.timedelta(days=days - 1), as_of)
    if reached:
        return Forecast(REACHED, None, due=due, points=points, window=window)
    spanned = periods_spanned(points[0].date, points[-1].date, metric.cadence) if points else 0
    if len(points) < MIN_POINTS or spanned < MIN_PERIODS:
        period = f"{metric.cadence} periods" if metric.cadence else "30-day periods"
        reason = (
            f"too few observations: {len(points)} in the trailing {days} days "
            f"({window[0].isoformat()} to {window[1].isoformat()}) spanning {spanned} "
            f"{period}; a forecast needs {MIN_POINTS} spanning {MIN_PERIODS}"
        )
        return Forecast(UNKNOWN, reason, due=due, points=points, window=window)
    latest = points[-1]
    goal = _goal(rung, latest.value)
    linear, compound = fit(points, "linear"), fit(points, "compound")
    model, note, errors, held = choose_model(metric.forecast, points, linear, compound)
    if model == "compound" and goal <= 0:
        model, note = "linear", "compound never reaches zero or below; linear used"
    chosen = compound if model == "compound" else linear
    assert chosen is not None
    base = Forecast(
        UNKNOWN,
        model=model,
        model_note=note,
        actual_rate=_rates(linear, compound),
        required_rate=required_rate(latest.value, goal, (due - latest.date).days),
        due=due,
        goal=goal,
        points=points,
        window=window,
        errors=errors,
        held_out=held,
    )
    if rung.met_by(latest.value):
        return base._replace(verdict=REACHED)
    passed = as_of > due
    late = "the due has passed" if passed else None
    if status.target.pace == "none":
        # a rate or a ratio: the value expected at the due, not a date
        at_due = project(model, chosen.slope, latest.value, (due - latest.date).days)
        verdict = WILL_MAKE if rung.met_by(at_due) and not passed else WONT_MAKE
        return base._replace(verdict=verdict, reason=late, value_at_due=at_due)
    ahead = days_to(model, chosen.slope, latest.value, goal)
    if ahead is None:
        never = "at the trailing rate the target is never reached"
        return base._replace(verdict=WONT_MAKE, reason=never)
    # the trend from an old observation may have arrived by now, unseen: not before today
    eta = max(latest.date + dt.timedelta(days=_whole_days(ahead)), as_of)
    slack = (due - eta).days
    verdict = WONT_MAKE if passed or slack < 0 else WILL_MAKE
    return base._replace(verdict=verdict, reason=late, eta=eta, slack_days=slack)


def _forecast_quota(status: TargetStatus, series: Series | None, as_of: dt.date) -> Forecast:
    """A quota's current period: with aggregate sum, its total so far at its run rate to the
    period's end; otherwise the metric's trend to the period's last day, as any dated target."""
    rung = status.rung
    current = next((p for p in status.periods or () if not p.finished), None)
    if current is None:
        if status.status in ("achieved", "achieved_late"):
            return Forecast(REACHED, None, due=rung.due)
        if rung.due is not None and as_of > rung.due:
            return Forecast(WONT_MAKE, "the due has passed", due=rung.due)
        return Forecast(UNKNOWN, "no period of the quota has begun", due=rung.due)
    if status.status in ("achieved", "achieved_late"):
        return Forecast(REACHED, None, due=current.last)
    if rung.due is not None and as_of > rung.due:  # a period cut by the due: the quota is over
        return Forecast(WONT_MAKE, "the due has passed", due=rung.due)
    if status.metric.aggregate != "sum":
        return _forecast_dated(status, series, as_of, rung, current.last)
    if series is None or current.value is None or status.current_date is None:
        return Forecast(UNKNOWN, "no observation in the current period yet", due=current.last)
    low = index_left(series.dates, current.first)
    high = index_right(series.dates, min(as_of, current.last))
    points = tuple(map(Point, series.dates[low:high], series.values[low:high]))
    # events: a day without a row is a day nothing happened, so the rate runs to the as-of date
    today = min(as_of, current.last)
    elapsed = (today - current.first).days + 1
    length = (current.last - current.first).days + 1
    per_day = current.value / elapsed
    goal = _goal(rung, current.value)
    at_end = per_day * length
    base = Forecast(
        UNKNOWN,
        model="linear",
        model_note=f"run rate of the current {status.target.every} so far",
        actual_rate=Rate(per_day * MONTH_DAYS, None),
        required_rate=required_rate(current.value, goal, (current.last - today).days),
        value_at_due=at_end,
        due=current.last,
        goal=goal,
        points=points,
        window=(current.first, current.last),
    )
    ahead = days_to("linear", per_day, 0.0, goal)
    if ahead is None:
        return base._replace(verdict=WONT_MAKE, reason="at the run rate the quota is never met")
    eta = current.first + dt.timedelta(days=max(_whole_days(ahead) - 1, 0))
    # never before the as-of date: a period's sum already at its goal is met as of today
    eta = max(eta, today)
    slack = (current.last - eta).days
    return base._replace(verdict=WILL_MAKE if slack >= 0 else WONT_MAKE, eta=eta, slack_days=slack)


def forecasts(
    targets: tuple[TargetStatus, ...], series: dict[str, Series], as_of: dt.date
) -> tuple[Forecast, ...]:
    """The forecast of each target, in order."""
    return tuple(t.forecast or forecast_target(t, series.get(t.metric.id), as_of) for t in targets)


def reach_of(
    targets: Mapping[tuple[str, str], TargetStatus], series: Mapping[str, Series], as_of: dt.date
) -> Callable[[str, str], Reach | None]:
    """What eta() and slack() read in a risk's condition: the forecast of the judged target of
    (goal id, metric id), or None when there is no such target."""

    def reach(goal_id: str, metric: str) -> Reach | None:
        target = targets.get((goal_id, metric))
        if target is None:
            return None
        found = target.forecast or forecast_target(target, series.get(metric), as_of)
        why = found.reason or found.verdict.replace("_", " ")
        return Reach(found.eta, found.slack_days, why)

    return reach


class _Judged(Protocol):
    """What target_forecasts reads of an evaluation (engine.Evaluation), by its shape."""

    @property
    def as_of(self) -> dt.date: ...
    @property
    def goals(self) -> Sequence[Any]: ...


def target_forecasts(ledger: Ledger, evaluation: _Judged) -> dict[tuple[str, int], Forecast]:
    """The forecast of every target shown, by (goal id, target index)."""
    return {
        (goal.goal.id, index): target.forecast
        or forecast_target(target, ledger.series.get(target.metric.id), evaluation.as_of)
        for goal in evaluation.goals
        for index, target in enumerate(goal.targets)
    }
