"""Rows -> observations, as the rules say: each row's date, metric and value (scaled, negated),
combined per metric and period by the aggregate, and turned into running totals from an anchor
when the rows are increments. Every bad row is a problem with its row number; none stops the
others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import NamedTuple

from smartgoals.errors import Problem
from smartgoals.importing.records import Table
from smartgoals.importing.rules import MetricColumn, Rules, ValueRule
from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.values import parse_value
from smartgoals.periods import MAX_YEAR, MIN_YEAR
from smartgoals.quantity import MAX_ABS
from smartgoals.suggest import suggest


class Observation(NamedTuple):
    metric: MetricDef
    day: dt.date
    value: float


class Mapped(NamedTuple):
    observations: list[Observation]
    problems: list[Problem]
    skipped_rows: int  # rows whose metric column maps to no metric
    left_out: list[str]  # why periods or metrics were left out (not over yet, not defined)


def map_rows(
    table: Table, rules: Rules, metrics: dict[str, MetricDef], rel: str, today: dt.date
) -> Mapped:
    """One pass over the rows (they may be read from the file as they come): each rule keeps
    a running value per metric and period, never the rows."""
    problems: list[Problem] = []
    index = {name: i for i, name in enumerate(table.columns)}
    date_at = _column(index, rules.date, rel, "date", problems)
    streams = [
        _Stream.prepare(rule, index, date_at, metrics, rules, rel, today) for rule in rules.values
    ]
    active = [stream for stream in streams if stream.ready]
    taken = [  # every rule choosing its metric by a column: a row it maps is not skipped
        (index[rule.metric.column], rule.metric.map)
        for rule in rules.values
        if isinstance(rule.metric, MetricColumn) and rule.metric.column in index
    ]
    counts_all = any(stream.metric_at is None for stream in active)
    skipped = 0
    for line, row in table.rows:
        unmapped = False
        for stream in active:
            unmapped = not stream.add(line, row) or unmapped
        if unmapped and not counts_all and not _taken_by(row, taken):
            skipped += 1
    observations: list[Observation] = []
    left_out: list[str] = []
    for stream in streams:
        problems.extend(stream.problems)
        left_out.extend(stream.left_out)
        if stream.ready:
            observations.extend(
                _combine(stream.groups, stream.rule, stream.chosen, today, left_out)
            )
            stream.groups.clear()  # held until now: one value per metric and period
    return Mapped(observations, problems, skipped, left_out)


def _taken_by(row: Sequence[str], taken: list[tuple[int, dict[str, str]]]) -> bool:
    return any(at < len(row) and row[at].strip() in mapping for at, mapping in taken)


def _column(
    index: dict[str, int], name: str, rel: str, what: str, problems: list[Problem]
) -> int | None:
    found = index.get(name)
    if found is None:
        message = f"{what} column {name!r} is not in the file{suggest(name, index)}"
        columns = ", ".join(index) or "none"
        problems.append(Problem(rel, 1, 0, f"{message} (columns: {columns})"))
    return found


def _metrics_of(
    rule: ValueRule,
    metrics: dict[str, MetricDef],
    rules: Rules,
    rel: str,
    problems: list[Problem],
    left_out: list[str],
) -> dict[str, MetricDef] | None:
    """Metric id -> its definition, for every id the rule can produce; None when none is
    usable (the problem is noted, or for a preset's undefined metric, why it is skipped)."""
    ids = (
        [rule.metric]
        if isinstance(rule.metric, str)
        else list(dict.fromkeys(rule.metric.map.values()))
    )
    found: dict[str, MetricDef] = {}
    for metric_id in ids:
        metric = metrics.get(metric_id)
        if metric is None:
            if rules.preset_values:
                left_out.append(
                    f"{metric_id}: not a metric of this ledger (rename: in a rules file maps it)"
                )
                continue
            problems.append(
                Problem(
                    rules.name, 0, 0, f"unknown metric {metric_id!r}{suggest(metric_id, metrics)}"
                )
            )
            continue
        if metric.formula is not None:
            problems.append(
                Problem(rules.name, 0, 0, f"{metric_id} is computed from its formula, not recorded")
            )
            continue
        if metric.is_stage and (
            rule.aggregate != "last" or rule.anchor is not None or rule.scale != 1 or rule.negate
        ):
            problems.append(
                Problem(
                    rules.name, 0, 0, f"{metric_id} is a stage metric: only aggregate: last applies"
                )
            )
            continue
        found[metric_id] = metric
    return found or None


Groups = dict[tuple[str, dt.date], list[float]]  # (metric id, period's end) -> [value, count]


class _Stream:
    """One value rule over the rows: its columns, its metrics, and per metric and period the
    value so far by its aggregate (a sum, a count, the last, the largest or the smallest)."""

    def __init__(
        self, rule: ValueRule, rules: Rules, rel: str, today: dt.date, date_at: int | None
    ) -> None:
        self.rule, self.rel, self.today, self.date_at = rule, rel, today, date_at
        self.problems: list[Problem] = []
        self.left_out: list[str] = []
        self.chosen: dict[str, MetricDef] = {}
        self.value_at: int | None = None
        self.metric_at: int | None = None
        self.ready = False
        self.groups: Groups = {}
        self.mapping = rule.metric.map if isinstance(rule.metric, MetricColumn) else None
        self.days = _DayParser(rules.date_format, rules.date)
        self.period_end = _PERIOD_END[rule.period]
        self.ends: dict[
            str, dt.date
        ] = {}  # a date's text -> its period's end: exports repeat dates
        self.step = _STEPS[rule.aggregate]

    @classmethod
    def prepare(
        cls,
        rule: ValueRule,
        index: dict[str, int],
        date_at: int | None,
        metrics: dict[str, MetricDef],
        rules: Rules,
        rel: str,
        today: dt.date,
    ) -> _Stream:
        """The rule with its columns found; ready is False (and the problem noted) when a
        column or every metric it names is missing."""
        stream = cls(rule, rules, rel, today, date_at)
        chosen = _metrics_of(rule, metrics, rules, rel, stream.problems, stream.left_out)
        if chosen is None:
            return stream
        stream.chosen = chosen
        if rule.value is not None:
            stream.value_at = _column(index, rule.value, rel, "value", stream.problems)
        if isinstance(rule.metric, MetricColumn):
            stream.metric_at = _column(index, rule.metric.column, rel, "metric", stream.problems)
            if stream.metric_at is None:
                return stream
        stream.ready = date_at is not None and (rule.value is None or stream.value_at is not None)
        return stream

    def add(self, line: int, row: Sequence[str]) -> bool:
        """Take one row; False when its metric column maps to no metric."""
        rule = self.rule
        if self.metric_at is not None:
            key = row[self.metric_at].strip() if self.metric_at < len(row) else ""
            metric_id = self.mapping.get(key) if self.mapping is not None else None
            if metric_id is None:
                return False
            metric = self.chosen.get(metric_id)
            if metric is None:  # a preset's metric this ledger does not define
                return True
        else:
            assert isinstance(rule.metric, str)
            metric = self.chosen[rule.metric]
        try:
            end = self._period_end(row)
            value = 1.0 if self.value_at is None else self._value(row, metric)
        except ValueError as exc:
            self.problems.append(Problem(self.rel, line, 0, f"{metric.id}: {exc}"))
            return True
        state = self.groups.get((metric.id, end))
        if state is None:
            state = self.groups[(metric.id, end)] = [0.0, 0]
        self.step(state, value)
        return True

    def _period_end(self, row: Sequence[str]) -> dt.date:
        assert self.date_at is not None
        text = row[self.date_at] if self.date_at < len(row) else ""
        end = self.ends.get(text)
        if end is None:
            day = self.days.parse(text)
            if day > self.today:
                raise ValueError(f"{day.isoformat()} is in the future")
            end = self.ends[text] = self.period_end(day)
        return end

    def _value(self, row: Sequence[str], metric: MetricDef) -> float:
        assert self.value_at is not None
        rule = self.rule
        raw = row[self.value_at].strip() if self.value_at < len(row) else ""
        if not raw:
            raise ValueError(f"{rule.value}: empty value")
        try:
            value = parse_value(raw, metric)
        except ValueError as exc:
            raise ValueError(f"{rule.value}: {exc}") from None
        scale, negate = rule.scale, rule.negate
        if (scale != 1 or negate) and not metric.is_stage:
            value = -value * scale if negate else value * scale
            if not -MAX_ABS <= value <= MAX_ABS:  # a scale that overflows a value
                raise ValueError(f"{rule.value}: {raw} times scale {scale:g} is out of range")
        return value


def _combine(
    groups: Groups,
    rule: ValueRule,
    chosen: dict[str, MetricDef],
    today: dt.date,
    left_out: list[str],
) -> list[Observation]:
    """Each group's value by the aggregate; weeks and months not over yet left out; running
    totals from the anchor."""
    points_of: dict[str, list[tuple[dt.date, float]]] = {}
    finish = _FINISH[rule.aggregate]
    for (metric_id, day), state in groups.items():
        if rule.period != "day" and day >= today:
            left_out.append(f"{metric_id}: the {rule.period} ending {day.isoformat()} is not over")
            continue
        points_of.setdefault(metric_id, []).append((day, finish(state)))
    result: list[Observation] = []
    anchor = rule.anchor
    for metric_id, points in points_of.items():
        points.sort()
        if anchor is not None and anchor.value is not None:
            points = _running_totals(points, anchor.value, anchor.date)
        metric = chosen[metric_id]
        if rule.scale == 1 and rule.aggregate in ("last", "max", "min") and anchor is None:
            result.extend(Observation(metric, day, value) for day, value in points)
        else:  # arithmetic was done: binary noise is dropped
            result.extend(Observation(metric, day, _tidy(value)) for day, value in points)
    return result


def _tidy(value: float) -> float:
    """Scaling and means leave binary noise (0.1 * 3 is 0.30000000000000004): 12 significant
    digits are kept, far more than any export carries."""
    return float(f"{value:.12g}")


def _running_totals(
    points: list[tuple[dt.date, float]], total: float, at: dt.date | None
) -> list[tuple[dt.date, float]]:
    """Increments -> totals: the total at the anchor's date is `total`, so the total at d is
    total + (the increments up to d) - (the increments up to the anchor's date)."""
    at = at or points[-1][0]
    upto_anchor = sum(v for d, v in points if d <= at)
    running = 0.0
    result = []
    for day, value in points:
        running += value
        result.append((day, total + running - upto_anchor))
    return result


# an aggregate as a step over [value so far, rows so far], in file order as sum() and max()
# would go, and how the state ends as the value


def _add(state: list[float], value: float) -> None:
    state[0] += value
    state[1] += 1


def _take_last(state: list[float], value: float) -> None:
    state[0] = value
    state[1] += 1


def _keep_max(state: list[float], value: float) -> None:
    if not state[1] or value > state[0]:
        state[0] = value
    state[1] += 1


def _keep_min(state: list[float], value: float) -> None:
    if not state[1] or value < state[0]:
        state[0] = value
    state[1] += 1


_STEPS: dict[str, Callable[[list[float], float], None]] = {
    "last": _take_last,
    "sum": _add,
    "mean": _add,
    "max": _keep_max,
    "min": _keep_min,
}


def _mean(state: list[float]) -> float:
    return state[0] / state[1]


def _value_of(state: list[float]) -> float:
    return state[0]


_FINISH: dict[str, Callable[[list[float]], float]] = {
    "last": _value_of,
    "sum": _value_of,
    "mean": _mean,
    "max": _value_of,
    "min": _value_of,
}


def _week_end(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=6 - day.weekday())


def _month_end(day: dt.date) -> dt.date:
    following = day.replace(day=28) + dt.timedelta(days=4)
    return following - dt.timedelta(days=following.day)


_PERIOD_END = {"day": lambda day: day, "week": _week_end, "month": _month_end}


class _DayParser:
    """Dates as the rules say (a strftime format, else ISO with an optional time), memoised:
    exports repeat the same dates."""

    def __init__(self, date_format: str | None, column: str) -> None:
        self.format = date_format
        self.column = column
        self.seen: dict[str, dt.date] = {}

    def parse(self, text: str) -> dt.date:
        found = self.seen.get(text)
        if found is not None:
            return found
        raw = text.strip()
        try:
            if self.format:
                day = dt.datetime.strptime(raw, self.format).date()
            else:
                if len(raw) < 10 or (len(raw) > 10 and raw[10] not in "T "):
                    raise ValueError
                day = dt.date.fromisoformat(raw[:10])
        except ValueError:
            wanted = self.format or "YYYY-MM-DD"
            raise ValueError(f"{self.column}: {text!r} is not a date ({wanted})") from None
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            raise ValueError(
                f"{self.column}: year {day.year} is out of range ({MIN_YEAR}-{MAX_YEAR})"
            )
        self.seen[text] = day
        return day
