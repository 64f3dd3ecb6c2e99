"""Derived metrics and risk conditions: checking their formulas against the ledger's metrics and
goals, the formula evaluator's view of the series, and derived series computed from the
observed ones. Pure: no files, no clock."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from smartgoals.errors import Problem
from smartgoals.formula.check import check, is_condition
from smartgoals.formula.columns import derive_columns
from smartgoals.formula.compiled import Slots, compile_point
from smartgoals.formula.context import MISSING, Reach
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import FormulaError, Node, goal_references, parse, references
from smartgoals.ledger.gaps import Gaps
from smartgoals.ledger.model import MetricDef, RiskDef, Series, Where, index_left, index_right
from smartgoals.suggest import suggest


def _problem(where: Where, message: str, field: str, exc: FormulaError | None = None) -> Problem:
    if exc is not None and exc.column:
        message = f"{message} (at character {exc.column} of the formula)"
    return Problem(where.path, where.line, where.column, message, field)


def _report(
    problems: list[Problem], problem: Problem, exc: FormulaError, gaps: Gaps | None
) -> None:
    """problem, unless it names a metric that has its own problem (see gaps.py)."""
    if exc.unknown is not None and gaps is not None:
        found = gaps.unknown(exc.kind, exc.unknown, problem)
        if found is None:
            return
    problems.append(problem)


def compile_formulas(
    metrics: dict[str, MetricDef], problems: list[Problem], gaps: Gaps | None = None
) -> dict[str, Node]:
    """Parse and check every derived metric's formula; report cycles by name."""

    parsed: dict[str, Node] = {}
    ids = set(metrics)
    for metric in metrics.values():
        if metric.formula is None:
            continue
        try:
            node = parse(metric.formula)
            check(node, ids, condition=False, suggest=suggest)
        except FormulaError as exc:
            problem = _problem(metric.formula_where, exc.message, f"{metric.id}.formula", exc)
            _report(problems, problem, exc, gaps)
            continue
        parsed[metric.id] = node
    for cycle in _cycles({m: references(n) for m, n in parsed.items()}):
        first = metrics[cycle[0]]
        message = "formulas refer to each other: " + " -> ".join(cycle)
        problems.append(_problem(first.formula_where, message, f"{first.id}.formula"))
        for metric_id in cycle[:-1]:
            parsed.pop(metric_id, None)
    return parsed


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle once, as a closed path a -> b -> a."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []
    position: dict[str, int] = {}  # index in path of each node on it
    # iterative depth-first search, in the same order as the recursive one it replaces, so a
    # chain of a thousand formulas neither overflows the stack nor costs more than linear time
    for start in sorted(graph):
        if start in state:
            continue
        state[start] = 1
        position[start] = len(path)
        path.append(start)
        stack = [iter(sorted(graph.get(start, ())))]
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                stack.pop()
                done = path.pop()
                del position[done]
                state[done] = 2
                continue
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                found.append([*path[position[nxt] :], nxt])
            elif nxt not in state:
                state[nxt] = 1
                position[nxt] = len(path)
                path.append(nxt)
                stack.append(iter(sorted(graph.get(nxt, ()))))
    return found


def compile_risks(
    risks: Iterable[RiskDef],
    metrics: dict[str, MetricDef],
    goal_ids: set[str],
    problems: list[Problem],
    gaps: Gaps | None = None,
) -> dict[str, Node]:
    """Parse and check every risk's `when`."""

    parsed: dict[str, Node] = {}
    for risk in risks:
        try:
            node = parse(risk.when)
            check(node, set(metrics), condition=True, suggest=suggest)
            if not is_condition(node):
                raise FormulaError(
                    "when: must be a condition: compare with < <= > >= == != or in, and combine "
                    "with and, or, not",
                    1,
                )
            for goal_id, column in goal_references(node):
                if goal_id not in goal_ids:
                    hint = suggest(goal_id, goal_ids)
                    raise FormulaError(f"unknown goal {goal_id!r}{hint}", column, goal_id, "goal")
        except FormulaError as exc:
            problem = _problem(risk.when_where, exc.message, f"{risk.id}.when", exc)
            _report(problems, problem, exc, gaps)
            continue
        parsed[risk.id] = node
    return parsed


class SeriesData:
    """The formula evaluator's view of the ledger as of one date."""

    def __init__(
        self,
        metrics: dict[str, MetricDef],
        series: dict[str, Series],
        as_of: dt.date,
        statuses: Mapping[str, str] | None = None,
        plans: Mapping[tuple[str, str], Any] | None = None,
        reach: Callable[[str, str], Reach | None] | None = None,
    ) -> None:
        self.metrics = metrics
        self.series = series
        self.as_of = as_of
        self.statuses = statuses or {}
        self.plans = plans or {}  # (goal id, metric id) -> engine.TargetStatus
        # the engine's forecast of a target, for eta() and slack(): this layer cannot forecast
        self._reach = reach

    def window(self, metric: str, first: dt.date, last: dt.date) -> list[float | str]:
        one = self.series.get(metric)
        if one is None:
            return []
        low = index_left(one.dates, first)
        high = index_right(one.dates, min(last, self.as_of))
        return [self._value(metric, v) for v in one.values[low:high]]

    def plan(self, goal_id: str, metric: str) -> tuple[float | None, float | None] | None:
        target = self.plans.get((goal_id, metric))
        if target is None:
            return None
        return target.plan, target.progress

    def reach(self, goal_id: str, metric: str) -> Reach | None:
        return None if self._reach is None else self._reach(goal_id, metric)

    def _value(self, metric: str, value: float) -> float | str:
        definition = self.metrics.get(metric)
        if definition is not None and definition.stages:
            return definition.stage_name(value) or value
        return value

    def at(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        one = self.series.get(metric)
        if one is None:
            return None
        count = one.count_until(self.as_of if day is None else min(day, self.as_of))
        if count == 0:
            return None
        return self._value(metric, one.values[count - 1]), one.dates[count - 1]

    def before_latest(self, metric: str) -> tuple[float | str, dt.date] | None:
        one = self.series.get(metric)
        count = one.count_until(self.as_of) if one is not None else 0
        if one is None or count < 2:
            return None
        return self._value(metric, one.values[count - 2]), one.dates[count - 2]

    def goal_status(self, goal_id: str) -> str | None:
        return self.statuses.get(goal_id)


def _order(formulas: dict[str, Node]) -> list[str]:
    """Derived metrics, each after the derived metrics it reads."""
    done: list[str] = []
    seen: set[str] = set()
    # iterative post-order, visiting in the order the recursive version did
    for first in sorted(formulas):
        if first in seen:
            continue
        seen.add(first)
        stack = [(first, iter(sorted(references(formulas[first]))))]
        while stack:
            metric, refs = stack[-1]
            for ref in refs:
                if ref in formulas and ref not in seen:
                    seen.add(ref)
                    stack.append((ref, iter(sorted(references(formulas[ref])))))
                    break
            else:
                stack.pop()
                done.append(metric)
    return done


def judged_formulas(
    formulas: dict[str, Node], target_metrics: Iterable[str], conditions: Iterable[Node]
) -> dict[str, Node]:
    """The formulas that judging needs: of the derived metrics a target or a risk's condition
    reads, and of those their formulas read in turn."""
    wanted = [m for m in target_metrics if m in formulas]
    for condition in conditions:
        wanted.extend(m for m in references(condition) if m in formulas)
    found: dict[str, Node] = {}
    while wanted:
        metric = wanted.pop()
        if metric in found:
            continue
        found[metric] = formulas[metric]
        wanted.extend(m for m in references(found[metric]) if m in formulas and m not in found)
    return found


def derive_series(
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
    formulas: dict[str, Node],
    previous: Mapping[str, Series] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[str, Series]:
    """Observed series plus one series per derived metric, computed at every date where an
    input changed (a derived value's date is the latest of its inputs' dates).

    A formula in the numeric part of the language is compiled once and run over its inputs'
    dates in one pass (formula.compiled.compile_point); any other is evaluated at each date.

    previous: derived series computed before from the same formulas over inputs that have
    since changed only at dates on or after since (None: at no date). A derived point at a
    date depends on nothing but its inputs up to that date, so its points before since are
    kept as they are and only the dates from since on are computed (journalcache.py keeps
    them between runs). until: no point is computed after this date (an evaluation's as-of
    date reads none)."""
    result = dict(series)
    for metric in _order(formulas):
        node = formulas[metric]
        refs = sorted(references(node))
        kept = previous.get(metric) if previous is not None else None
        if kept is not None and since is None:
            result[metric] = kept
            continue
        first = since if kept is not None else None
        ordered = _union(
            [
                one.dates if first is None else one.dates[index_left(one.dates, first) :]
                for one in map(result.get, refs)
                if one is not None
            ]
        )
        if until is not None:
            del ordered[bisect_right(ordered, until) :]
        derived = _compiled(node, refs, metrics, result, ordered, first)
        if derived is None:
            derived = Series()
            for day in ordered:
                outcome = evaluate(node, SeriesData(metrics, result, day))
                if isinstance(outcome.value, float | int) and not isinstance(outcome.value, bool):
                    derived.dates.append(day)
                    derived.values.append(float(outcome.value))
                    derived.notes.append("")
                    derived.lines.append(0)
        if kept is not None and first is not None:
            derived = _joined(kept, first, derived)
        result[metric] = derived
    return result


def _union(inputs: list[list[dt.date]]) -> list[dt.date]:
    """The dates of all inputs (each sorted), sorted, once each."""
    days: set[dt.date] = set()
    for dates in inputs:
        days.update(dates)
    for dates in inputs:  # one input has every date, once each (a common case): the union
        if len(dates) == len(days) and len(set(dates)) == len(dates):
            return list(dates)
    return sorted(days)


def _joined(kept: Series, first: dt.date, computed: Series) -> Series:
    """kept's points dated before first, then computed's (new lists: kept may be shared)."""
    end = index_left(kept.dates, first)
    return Series(
        kept.dates[:end] + computed.dates,
        kept.values[:end] + computed.values,
        kept.notes[:end] + computed.notes,
        kept.lines[:end] + computed.lines,
    )


def _compiled(
    node: Node,
    refs: list[str],
    metrics: dict[str, MetricDef],
    result: dict[str, Series],
    days: list[dt.date],
    first: dt.date | None = None,
) -> Series | None:
    """The derived series at days by the compiled formula, or None when it does not compile
    (or reads a stage metric, whose values the evaluator reads as stage names). first: the
    earliest of days, when the inputs have dates before it."""
    if any(ref in metrics and metrics[ref].stages for ref in refs):
        return None
    columns = derive_columns(
        node, days, {ref: (result[ref].dates, result[ref].values) for ref in refs if ref in result}
    )
    if columns is not None:  # every point in C, a column at a time
        return Series(*columns, [""] * len(columns[0]), [0] * len(columns[0]))
    slots = Slots(refs)
    point = compile_point(node, slots)
    if point is None:
        return None
    inputs = [(index, result[ref]) for index, ref in enumerate(refs) if ref in result]
    counts, values = slots.counts, slots.values
    for index, one in inputs:
        slots.dates[index], slots.series_values[index] = one.dates, one.values
        if first is not None:  # start at the inputs' latest values before first
            count = counts[index] = index_left(one.dates, first)
            if count:
                values[index] = one.values[count - 1]
    derived = Series()
    out_dates, out_values = derived.dates, derived.values
    for day in days:
        for index, one in inputs:
            count, dates = counts[index], one.dates
            end = len(dates)
            if count < end and dates[count] <= day:
                count += 1
                while count < end and dates[count] <= day:
                    count += 1
                counts[index] = count
                values[index] = one.values[count - 1]
        value = point()
        if value is not MISSING and isinstance(value, float | int) and not isinstance(value, bool):
            out_dates.append(day)
            out_values.append(float(value))
    derived.notes = [""] * len(out_dates)
    derived.lines = [0] * len(out_dates)
    return derived
