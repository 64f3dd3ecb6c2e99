"""Observations compared with the journal: new ones are appended, the same value on the same
day is skipped, a different value on a day that already has one is a conflict, appended as a
correction only when asked (--update)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from ..ledger import MetricDef, Series
from ..recording import Entry, entry_for
from .mapping import Observation


class Conflict(NamedTuple):
    metric: MetricDef
    day: dt.date
    old: float
    new: float


class Planned(NamedTuple):
    entries: tuple[Entry, ...]  # to append: new values, and corrections with update
    same: int  # already in the journal with this value
    conflicts: tuple[Conflict, ...]  # a different value on a day that has one


def plan(
    observations: Sequence[Observation], series: dict[str, Series], note: str, update: bool
) -> Planned:
    from ..corrections import correction_note

    days: dict[str, dict[dt.date, float]] = {}
    entries: list[Entry] = []
    conflicts: list[Conflict] = []
    same = 0
    for metric, day, value in observations:
        known = days.get(metric.id)
        if known is None:
            known = days[metric.id] = _day_values(metric, series.get(metric.id))
        old = known.get(day)
        if old is None:
            entries.append(entry_for(metric, day, value, note))
        elif _same(old, value):
            same += 1
        else:
            conflicts.append(Conflict(metric, day, old, value))
            if update:
                entries.append(
                    entry_for(metric, day, value, correction_note(metric, old, value, note))
                )
    return Planned(tuple(entries), same, tuple(conflicts))


def _day_values(metric: MetricDef, one: Series | None) -> dict[dt.date, float]:
    """Each day's value as corrections.day_value gives it (sum for aggregate: sum, else the
    last row), for every day at once: one pass over the series."""
    values: dict[dt.date, float] = {}
    if one is None:
        return values
    add = metric.aggregate == "sum"
    for day, value in zip(one.dates, one.values, strict=True):
        values[day] = values[day] + value if add and day in values else value
    return values


def _same(old: float, new: float) -> bool:
    return abs(old - new) <= 1e-9 * max(1.0, abs(old), abs(new))
