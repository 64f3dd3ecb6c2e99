"""Held targets (`hold: true`): the condition must hold at every observation in a window."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.judgement import (
    ACHIEVED,
    BREACHED,
    MISSED,
    NO_DATA,
    ON_TRACK,
    Observation,
    Verdict,
    shown,
)
from smartgoals.ledger.model import MetricDef, Rung, Series, index_left, index_right
from smartgoals.periods import CADENCE_DAYS, DEFAULT_HOLD_DAYS, DEFAULT_HOLD_PERIODS, parse_window


def judge_held(
    rung: Rung,
    metric: MetricDef,
    series: Series,
    known: int,
    as_of: dt.date,
    window_start: dt.date | None,
    window_text: str | None,
    grace: int = 0,
    in_a_row: int = 0,
) -> Verdict:
    """A held target: the condition must hold at every observation in its window, but for the
    breaches its grace tolerates (`grace:` in all, or fewer than `breaches_in_a_row:` in a row)."""
    dates, values = series.dates, series.values
    if rung.due is not None:
        first = window_start
        end = min(as_of, rung.due)
    else:
        end = as_of
        if window_text is not None:
            first = parse_window(window_text).start(as_of)
        else:
            cadence = metric.cadence
            days = CADENCE_DAYS[cadence] * DEFAULT_HOLD_PERIODS if cadence else DEFAULT_HOLD_DAYS
            first = as_of - dt.timedelta(days=days - 1)
    low = 0 if first is None else index_left(dates, first, 0, known)
    high = index_right(dates, end, 0, known)
    observed = values[low:high]  # slices: a paged series (ledger/pages.py) reads whole pages
    breaches = tuple(
        Observation(day, value)
        for day, value in zip(dates[low:high], observed, strict=True)
        if not rung.met_by(value)
    )
    count = high - low
    progress = (count - len(breaches)) / count if count else None
    judged_value, judged_date = (values[high - 1], dates[high - 1]) if count else (None, None)
    since = f"from {first.isoformat()} " if first is not None else ""
    window = f"{since}to {end.isoformat()}"
    tolerated = _tolerated(rung, observed, len(breaches), grace, in_a_row)
    if breaches and not tolerated:
        status = BREACHED
        worst = breaches[0]
        why = (
            f"held {window}: broken at {len(breaches)} of {count} observations, "
            f"first {worst.date.isoformat()} {shown(metric, worst.value)}"
        )
    elif count == 0:
        status = MISSED if rung.due is not None and as_of > rung.due else NO_DATA
        why = f"held {window}: no observation"
    else:
        open_window = rung.due is not None and as_of <= rung.due
        status = ON_TRACK if open_window else ACHIEVED
        why = f"held {window}: all {count} observations hold"
        if breaches:
            why = f"held {window}: {len(breaches)} of {count} observations broke it, {tolerated}"
    return Verdict(
        status,
        None,
        progress,
        None,
        judged_value,
        judged_date,
        breaches,
        basis_date=end,
        why=why,
    )


def _tolerated(
    rung: Rung, values: list[float], breaches: int, grace: int, in_a_row: int
) -> str | None:
    """Why the breaches in the window do not break the target (within its grace), or None."""
    if not breaches:
        return None
    if in_a_row:
        longest = run = 0
        for value in values:
            run = 0 if rung.met_by(value) else run + 1
            longest = max(longest, run)
        return f"never {in_a_row} in a row" if longest < in_a_row else None
    return f"within its grace of {grace}" if breaches <= grace else None
