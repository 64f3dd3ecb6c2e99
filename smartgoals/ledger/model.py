"""The resolved ledger the engine works on: immutable records with the place each came from.

The records are NamedTuples to type checkers and `record.Record`s at run time, rather than
dataclasses: creating a frozen dataclass runs exec() for each generated method, which made
importing the engine cost about 10 ms of every `status` run; typing.NamedTuple costs a tenth of
that, and Record (the same class, built without an `eval` per class) a tenth again.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from smartgoals.errors import Problem
from smartgoals.ops import COMPARISONS, Direction, TargetOp
from smartgoals.record import Record


class Where(Record):
    """A place in a file, for messages: path relative to the ledger root, 1-based line."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


class MetricDef(Record):
    id: str
    name: str
    unit: str = "count"
    direction: Direction = "up"
    cadence: str | None = None
    stages: tuple[str, ...] = ()  # non-empty for stage metrics
    description: str | None = None
    source: str | None = None
    where: Where = Where("")
    formula: str | None = None  # a derived metric's formula, as written
    formula_where: Where = Where("")
    aggregate: str = "last"  # how a quota period's value is formed: last, sum, mean, max, min
    forecast: str = "auto"  # the forecast's model: linear, compound or auto
    precision: int | None = None  # decimals every value is shown with; None: the unit's rule

    @property
    def is_stage(self) -> bool:
        return bool(self.stages)

    def stage_name(self, value: float | None) -> str | None:
        """The stage an index stands for."""
        if value is None or not self.stages:
            return None
        index = int(value)
        return self.stages[index] if 0 <= index < len(self.stages) else None


class Rung(Record):
    """One threshold with a due: a plain target is a ladder of one rung."""

    op: TargetOp
    value: float
    high: float | None = None  # upper bound of a range
    due: dt.date | None = None
    due_text: str | None = None
    hold: bool = False  # must hold at every observation in its window
    open_ended: bool = False  # due: open; due_text then reads 2027+ (its start) or open

    def met_by(self, current: float) -> bool:
        if self.op == "..":
            assert self.high is not None
            return self.value <= current <= self.high
        return COMPARISONS[self.op](current, self.value)

    def goal_value(self, baseline: float) -> float:
        """The number progress runs towards: for a range, its bound nearest the baseline."""
        if self.op == ".." and self.high is not None and baseline > self.high:
            return self.high
        return self.value


class TargetDef(Record):
    metric: str
    rungs: tuple[Rung, ...]  # one for a plain target; several for a ladder
    is_ladder: bool = False
    baseline: float | None = None
    start: dt.date | None = None
    note: str | None = None
    where: Where = Where("")
    window_text: str | None = None  # an undated held target's trailing window, when given
    every: str | None = None  # a quota's period: week, month, quarter or year
    pace: str = "linear"  # linear, compound or none
    weight: float = 1.0
    reason: str | None = None  # why the target is what it is (diff --require-reason)
    rung_reasons: tuple[str | None, ...] = ()  # a ladder's rungs' own reasons, in order
    stretch: bool = False  # shown and scored, but never sets its goal's status
    grace: int = 0  # a held target: breaching observations tolerated in its window
    in_a_row: int = 0  # a held target: breached only by this many breaches in a row (0: off)
    # a mix (`mix:`): its parts as (part, metric id, planned share in %), in the order written;
    # `metric` is then the mix's own id, and the one rung is `<= tolerance` (in points)
    mix: tuple[tuple[str, str, float], ...] = ()
    name: str | None = None  # a mix's display name (default: its id)

    @property
    def metrics_read(self) -> tuple[str, ...]:
        """The metrics whose observations judge the target: its metric, or a mix's parts'."""
        return tuple(part[1] for part in self.mix) if self.mix else (self.metric,)


class GoalDef(Record):
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
    after: tuple[str, ...] = ()  # goals that must be reached first
    review: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    notes: str | None = None
    where: Where = Where("")
    after_where: Where = Where("")
    weight: float = 1.0
    state: str | None = None  # the stage metric that holds the goal's declared state
    contributes_to: tuple[str, ...] = ()  # the goals it serves (alignment)
    contributes_where: Where = Where("")
    rollup: str = "own"  # own, children or both: what its score is made of


class RiskDef(Record):
    id: str
    title: str
    when: str
    owner: str | None = None
    actions: tuple[str, ...] = ()
    notes: str | None = None
    where: Where = Where("")
    when_where: Where = Where("")
    area: str | None = None  # as written, else its file's area


def index_left(
    dates: Sequence[dt.date], day: dt.date, low: int = 0, high: int | None = None
) -> int:
    """bisect_left over a series' dates: a list, or the journal cache's pages (pages.PagedList,
    which finds the place through its pages' first dates and reads one page)."""
    find = getattr(dates, "bisect_left", None)
    if find is not None:
        return int(find(day, low, high))
    return bisect_left(dates, day, low, len(dates) if high is None else high)


def index_right(
    dates: Sequence[dt.date], day: dt.date, low: int = 0, high: int | None = None
) -> int:
    """bisect_right over a series' dates (index_left's counterpart)."""
    find = getattr(dates, "bisect_right", None)
    if find is not None:
        return int(find(day, low, high))
    return bisect_right(dates, day, low, len(dates) if high is None else high)


class Series:
    """One metric's observations in date order (same-day rows keep their journal order)."""

    __slots__ = ("dates", "lines", "notes", "paths", "values")

    def __init__(
        self,
        dates: list[dt.date] | None = None,
        values: list[float] | None = None,
        notes: list[str] | None = None,
        lines: list[int] | None = None,
        paths: list[str] | None = None,
    ) -> None:
        self.dates: list[dt.date] = [] if dates is None else dates
        self.values: list[float] = [] if values is None else values
        self.notes: list[str] = [] if notes is None else notes
        self.lines: list[int] = [] if lines is None else lines
        # the journal file of each row, when the journal has shards (goals/log.d/*.csv);
        # None: every row is in goals/log.csv
        self.paths: list[str] | None = paths

    def path_of(self, index: int, default: str = "goals/log.csv") -> str:
        """The journal file row `index` was read from."""
        return self.paths[index] if self.paths is not None else default

    def __repr__(self) -> str:
        return f"Series({len(self.dates)} observations)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Series):
            return NotImplemented
        return (self.dates, self.values, self.notes, self.lines, self.paths) == (
            other.dates,
            other.values,
            other.notes,
            other.lines,
            other.paths,
        )

    __hash__ = None  # type: ignore[assignment]  # mutable

    def count_until(self, day: dt.date) -> int:
        """How many observations are dated on or before day."""
        return index_right(self.dates, day)

    def sort(self) -> None:
        """Into date order, rows of one date kept in journal order (a stable sort); the check
        and the reordering run in C (list comparison, itemgetter), not row by row in Python."""
        dates = self.dates
        if len(dates) < 2 or dates == sorted(dates):
            return
        pick = itemgetter(*sorted(range(len(dates)), key=dates.__getitem__))
        self.dates = list(pick(dates))
        self.values = list(pick(self.values))
        self.notes = list(pick(self.notes))
        self.lines = list(pick(self.lines))
        if self.paths is not None:
            self.paths = list(pick(self.paths))


class SettingsDef(Record):
    """smartgoals.yaml, checked: the ledger's settings (defaults where it says nothing, or where
    it cannot be read) and its problems."""

    at_risk_band: float = 0.10
    review: tuple[tuple[str, str], ...] = ()  # the ledger's review cadence: (when, what)
    pager: bool = True
    journal: str | None = None  # `journal:`, relative to goals/; None: goals/log.csv
    problems: tuple[Problem, ...] = ()
    # why the journal file to append to is not known (the file has problems and mentions
    # journal), or None: writers refuse rather than guess where the team looks for rows
    journal_problem: Problem | None = None
    headline: tuple[str, ...] = ()  # the report's headline metrics; empty: each goal's first


class Definitions(Record):
    """Everything the goal files and settings define, cross-checked, with the problems found.

    The journal is not part of it: definitions change rarely and are cached (see cache.py).
    """

    metrics: dict[str, MetricDef]
    goals: tuple[GoalDef, ...]
    risks: tuple[RiskDef, ...]
    formulas: dict[str, Any]  # derived metric id -> parsed formula (formula.Node)
    conditions: dict[str, Any]  # risk id -> parsed `when`
    problems: tuple[Problem, ...]
    settings: SettingsDef = SettingsDef()  # smartgoals.yaml: the one settings object
    unresolved: tuple[str, ...] = ()  # metric ids declared with problems: still known by id
    unreadable: tuple[str, ...] = ()  # goal files that could not be read at all

    @property
    def at_risk_band(self) -> float:
        return self.settings.at_risk_band


class Ledger(Record):
    """The definitions, every metric's observations, and every problem found on the way."""

    definitions: Definitions
    series: dict[str, Series]
    problems: tuple[Problem, ...] = ()

    @property
    def metrics(self) -> dict[str, MetricDef]:
        return self.definitions.metrics

    @property
    def goals(self) -> tuple[GoalDef, ...]:
        return self.definitions.goals

    @property
    def risks(self) -> tuple[RiskDef, ...]:
        return self.definitions.risks

    @property
    def formulas(self) -> dict[str, Any]:
        return self.definitions.formulas

    @property
    def conditions(self) -> dict[str, Any]:
        return self.definitions.conditions

    @property
    def at_risk_band(self) -> float:
        return self.definitions.at_risk_band
