"""The resolved ledger the engine works on: immutable records with the place each came from.

The records are NamedTuples rather than dataclasses: creating a frozen dataclass runs exec() for
each generated method, which made importing the engine cost about 10 ms of every `status` run;
a NamedTuple costs a tenth of that and is as immutable.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from typing import Any, NamedTuple

from .errors import Problem


class Where(NamedTuple):
    """A place in a file, for messages: path relative to the ledger root, 1-based line."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class MetricDef(NamedTuple):
    id: str
    name: str
    unit: str = "count"
    direction: str = "up"  # "up" or "down"
    cadence: str | None = None
    stages: tuple[str, ...] = ()  # non-empty for stage metrics
    description: str | None = None
    source: str | None = None
    where: Where = Where("")
    formula: str | None = None  # a derived metric's formula, as written
    formula_where: Where = Where("")

    @property
    def is_stage(self) -> bool:
        return bool(self.stages)

    def stage_name(self, value: float | None) -> str | None:
        """The stage an index stands for."""
        if value is None or not self.stages:
            return None
        index = int(value)
        return self.stages[index] if 0 <= index < len(self.stages) else None


class Rung(NamedTuple):
    """One threshold with a due: a plain target is a ladder of one rung."""

    op: str  # ">=", ">", "<=", "<", "==", or ".." for a range
    value: float
    high: float | None = None  # upper bound of a range
    due: dt.date | None = None
    due_text: str | None = None

    def met_by(self, current: float) -> bool:
        op = self.op
        if op == ">=":
            return current >= self.value
        if op == ">":
            return current > self.value
        if op == "<=":
            return current <= self.value
        if op == "<":
            return current < self.value
        if op == "==":
            return current == self.value
        assert self.high is not None
        return self.value <= current <= self.high

    def goal_value(self, baseline: float) -> float:
        """The number progress runs towards: for a range, its bound nearest the baseline."""
        if self.op == ".." and self.high is not None and baseline > self.high:
            return self.high
        return self.value


class TargetDef(NamedTuple):
    metric: str
    rungs: tuple[Rung, ...]  # one for a plain target; several for a ladder
    is_ladder: bool = False
    baseline: float | None = None
    start: dt.date | None = None
    note: str | None = None
    where: Where = Where("")


class GoalDef(NamedTuple):
    id: str
    title: str
    area: str
    targets: tuple[TargetDef, ...]
    owner: str | None = None
    smart: tuple[tuple[str, str], ...] = ()  # (specific|measurable|..., text) in SMART order
    start: dt.date | None = None
    start_text: str | None = None
    due: dt.date | None = None
    due_text: str | None = None
    after: str | None = None
    review: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None
    where: Where = Where("")
    after_where: Where = Where("")


class RiskDef(NamedTuple):
    id: str
    title: str
    when: str
    owner: str | None = None
    actions: tuple[str, ...] = ()
    notes: str | None = None
    where: Where = Where("")
    when_where: Where = Where("")


class Series:
    """One metric's observations in date order (same-day rows keep their journal order)."""

    __slots__ = ("dates", "lines", "notes", "values")

    def __init__(
        self,
        dates: list[dt.date] | None = None,
        values: list[float] | None = None,
        notes: list[str] | None = None,
        lines: list[int] | None = None,
    ) -> None:
        self.dates: list[dt.date] = [] if dates is None else dates
        self.values: list[float] = [] if values is None else values
        self.notes: list[str] = [] if notes is None else notes
        self.lines: list[int] = [] if lines is None else lines

    def __repr__(self) -> str:
        return f"Series({len(self.dates)} observations)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Series):
            return NotImplemented
        return (self.dates, self.values, self.notes, self.lines) == (
            other.dates,
            other.values,
            other.notes,
            other.lines,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def count_until(self, day: dt.date) -> int:
        """How many observations are dated on or before day."""
        return bisect_right(self.dates, day)

    def sort(self) -> None:
        dates = self.dates
        if all(dates[i] <= dates[i + 1] for i in range(len(dates) - 1)):
            return
        order = sorted(range(len(dates)), key=dates.__getitem__)  # stable: journal order kept
        self.dates = [dates[i] for i in order]
        self.values = [self.values[i] for i in order]
        self.notes = [self.notes[i] for i in order]
        self.lines = [self.lines[i] for i in order]


class Ledger(NamedTuple):
    """Everything loaded from a ledger directory, plus every problem found on the way."""

    metrics: dict[str, MetricDef]
    goals: tuple[GoalDef, ...]
    series: dict[str, Series]
    formulas: dict[str, Any]  # derived metric id -> parsed formula
    conditions: dict[str, Any]  # risk id -> parsed `when`
    at_risk_band: float = 0.10
    problems: tuple[Problem, ...] = ()
    risks: tuple[RiskDef, ...] = ()

    def goal(self, goal_id: str) -> GoalDef | None:
        for goal in self.goals:
            if goal.id == goal_id:
                return goal
        return None
