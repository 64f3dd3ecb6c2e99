"""What a formula's evaluation reads (Data, and the Reach of a target's forecast) and yields
(an Outcome, or MISSING inside it), and the Context each function's evaluator is handed."""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol

from smartgoals.formula.syntax import MAX_MAGNITUDE, Node
from smartgoals.record import Record

MAX_EXPONENT = 100  # a larger power is "no value", never a crash or a hang


class Reach(Record):
    """When a target's forecast reaches it, as eta() and slack() read it: the date, and the due
    minus that date in days; or, with neither, why not."""

    eta: dt.date | None
    slack_days: int | None
    reason: str


class Data(Protocol):
    """What evaluation may read: observations as of a date, goal statuses, and targets' plans
    and forecasts. The forecast comes from the caller (the engine), so that the language needs
    nothing above it."""

    def at(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        """The latest observation on or before day (None: as of the evaluation date)."""

    def before_latest(self, metric: str) -> tuple[float | str, dt.date] | None:
        """The observation before the latest one."""

    def goal_status(self, goal_id: str) -> str | None: ...

    def window(self, metric: str, first: dt.date, last: dt.date) -> list[float | str]:
        """The values observed from first to last, inclusive, in date order."""

    def plan(self, goal_id: str, metric: str) -> tuple[float | None, float | None] | None:
        """(the value the target's pace expects at as-of, progress), or None: no such target."""

    def reach(self, goal_id: str, metric: str) -> Reach | None:
        """The forecast of the goal's first target of that metric, or None: no such target."""

    @property
    def as_of(self) -> dt.date:
        """The date of evaluation."""


class Missing:
    """Unknown: an input has no value. Three-valued logic keeps `x or unknown` meaningful."""


MISSING = Missing()


class Outcome:
    """A formula's result, with what was read to get it."""

    __slots__ = ("latest", "missing", "reason", "value", "values")

    def __init__(
        self,
        value: float | str | bool | None,
        reason: str | None = None,  # why there is no value
        latest: dt.date | None = None,  # the newest input date read
        values: dict[str, float | str | None] | None = None,
        missing: list[str] | None = None,
    ) -> None:
        self.value = value
        self.reason = reason
        self.latest = latest
        self.values: dict[str, float | str | None] = {} if values is None else values
        self.missing: list[str] = [] if missing is None else missing

    def __repr__(self) -> str:
        return f"Outcome({self.value!r}, reason={self.reason!r})"


class Context(Protocol):
    """What a function's evaluator may use: the data, the evaluation of its arguments, and the
    record of what was read and what had no value (formula.evaluate provides it)."""

    @property
    def data(self) -> Data: ...

    def run(self, node: Node) -> object:
        """The value of a node: a value, or MISSING."""

    def number(self, value: object) -> float | Missing:
        """value as a finite float in range, or MISSING with the reason noted."""

    def miss(self, reason: str) -> Missing:
        """MISSING, with reason noted among the outcome's."""

    def read(self, metric: str, day: dt.date | None) -> tuple[float | str, dt.date] | None:
        """An observation (see Data.at), noting the newest date read."""


def finite(value: object) -> object:
    """Context.number without the reason: MISSING unless a finite float in range."""
    if type(value) is float:  # the common case first (NaN fails both comparisons)
        return value if -MAX_MAGNITUDE <= value <= MAX_MAGNITUDE else MISSING
    if value is MISSING or isinstance(value, bool) or not isinstance(value, (int, float)):
        return MISSING
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        return MISSING
    return float(value)
