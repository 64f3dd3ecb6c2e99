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
    problems: list[Problem] = []
    left_out: list[str] = []
    observations: list[Observation] = []
    skipped: set[int] = set()
    used: set[int] = set()
    index = {name: i for i, name in enumerate(table.columns)}
    date_at = _column(index, rules.date, rel, "date", problems)
    for rule in rules.values:
        chosen = _metrics_of(rule, metrics, rules, rel, problems, left_out)
        if chosen is None:
            continue
        value_at = (
            None if rule.value is None else _column(index, rule.value, rel, "value", problems)
        )
        metric_at = None
        if isinstance(rule.metric, MetricColumn):
            metric_at = _column(index, rule.metric.column, rel, "metric", problems)
            if metric_at is None:
                continue
        if date_at is None or (rule.value is not None and value_at is None):
            continue
        groups = _groups(
            table, rule, chosen, date_at, value_at, metric_at, rules, rel, today, problems, skipped
        )
        if metric_at is None:
            used.update(line for line, _row in table.rows)
        observations.extend(_combine(groups, rule, chosen, today, left_out))
    if skipped:  # a row another rule took is not skipped
        mapped_lines = {line for rule_lines in _taken(table, rules, index) for line in rule_lines}
        skipped -= mapped_lines | used
    return Mapped(observations, problems, len(skipped), left_out)


def _taken(table: Table, rules: Rules, index: dict[str, int]) -> list[set[int]]:
    """For each rule that picks its metric by a column: the rows whose value it maps."""
    taken = []
    for rule in rules.values:
        if isinstance(rule.metric, MetricColumn) and rule.metric.column in index:
            at, mapping = index[rule.metric.column], rule.metric.map
            taken.append(
                {line for line, row in table.rows if at < len(row) and row[at].strip() in mapping}
            )
    return taken


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


Groups = dict[tuple[str, dt.date], list[float]]  # (metric id, period's last day) -> values


def _groups(
    table: Table,
    rule: ValueRule,
    chosen: dict[str, MetricDef],
    date_at: int,
    value_at: int | None,
    metric_at: int | None,
    rules: Rules,
    rel: str,
    today: dt.date,
    problems: list[Problem],
    skipped: set[int],
) -> Groups:
    mapping = rule.metric.map if isinstance(rule.metric, MetricColumn) else None
    constant = rule.metric if isinstance(rule.metric, str) else None
    days = _DayParser(rules.date_format, rules.date)
    period_end = _PERIOD_END[rule.period]
    groups: Groups = {}
    scale, negate = rule.scale, rule.negate
    ends: dict[str, dt.date] = {}  # a date's text -> its period's end: exports repeat dates
    for line, row in table.rows:
        if metric_at is not None:
            key = row[metric_at].strip() if metric_at < len(row) else ""
            metric_id = mapping.get(key) if mapping is not None else None
            if metric_id is None:
                skipped.add(line)
                continue
            metric = chosen.get(metric_id)
            if metric is None:  # a preset's metric this ledger does not define
                continue
        else:
            assert constant is not None
            metric = chosen[constant]
        try:
            text = row[date_at] if date_at < len(row) else ""
            end = ends.get(text)
            if end is None:
                day = days.parse(text)
                if day > today:
                    raise ValueError(f"{day.isoformat()} is in the future")
                end = ends[text] = period_end(day)
            if value_at is None:
                value = 1.0
            else:
                raw = row[value_at].strip() if value_at < len(row) else ""
                if not raw:
                    raise ValueError(f"{rule.value}: empty value")
                try:
                    value = parse_value(raw, metric)
                except ValueError as exc:
                    raise ValueError(f"{rule.value}: {exc}") from None
                if (scale != 1 or negate) and not metric.is_stage:
                    value = -value * scale if negate else value * scale
                    if not -MAX_ABS <= value <= MAX_ABS:  # a scale that overflows a value
                        raise ValueError(
                            f"{rule.value}: {raw} times scale {scale:g} is out of range"
                        )
        except ValueError as exc:
            problems.append(Problem(rel, line, 0, f"{metric.id}: {exc}"))
            continue
        groups.setdefault((metric.id, end), []).append(value)
    return groups


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
    for (metric_id, day), values in groups.items():
        if rule.period != "day" and day >= today:
            left_out.append(f"{metric_id}: the {rule.period} ending {day.isoformat()} is not over")
            continue
        points_of.setdefault(metric_id, []).append((day, _AGGREGATES[rule.aggregate](values)))
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


def _sum(values: Sequence[float]) -> float:
    return float(sum(values))


def _last(values: Sequence[float]) -> float:
    return values[-1]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


_AGGREGATES: dict[str, Callable[[Sequence[float]], float]] = {
    "last": _last,
    "sum": _sum,
    "mean": _mean,
    "max": max,
    "min": min,
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
