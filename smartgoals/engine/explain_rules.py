"""`explain`'s vocabulary: the README's rules word for word, the step record, and how a
step writes its numbers. Shared by engine/explanation.py and engine/explain_paced.py."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.engine.words import value_text
from smartgoals.ledger.model import MetricDef

# The README's rules, word for word (without Markdown emphasis), by what decided the status.
RULES = {
    "not_started": "the as-of date is before the goal's (or the target's own) start, or the goal "
    "waits `after:` goals that are not reached",
    "no_observation": "a goal none of whose targets has any observation is not_started: "
    "nothing has begun",
    "met": "achieved when the current value meets it; otherwise the pace decides",
    "on_track": "on_track: progress >= expected",
    "at_risk": "at_risk: progress within the at-risk band below expected",
    "off_track": "off_track: below that",
    "no_baseline": "A dated target with no observation on or after its start has no baseline and "
    "so no pace: it is in_progress until a value arrives.",
    "no_pace": "`none` (for rates and ratios): achieved when met, in_progress while not met "
    "before the due, missed after it.",
    "undated": "not yet met, with no pace to judge against",
    "no_data": "no observation to judge",
    "at_due": "the verdict is taken from the latest value on or before the due",
    "achieved_late": "A target not met by its due but met by a later value is achieved_late",
    "missed": "one never met since is missed (no value by the due is missed too)",
    "held_open": "on_track while it holds in an open window",
    "held_done": "achieved once the window has ended with it held",
    "breached": "breached as soon as one observation broke it",
    "held_empty": "missed when the window ended with no observation",
    "held_trailing": "achieved when it held there, breached when not, no_data with no "
    "observation there",
    "quota": "A finished period is met or missed; the status is the open period's: achieved once "
    "met.",
    "quota_pace": "A quota's open period is judged by pace inside the period when its metric is "
    "logged more often than the period",
    "quota_awaiting": "the open period awaits its row, and the target's status is the last "
    "finished period's verdict",
    "quota_so_far": "Otherwise in_progress with the value so far.",
    "quota_due": "After the due, the quota is achieved when every period was met, else missed.",
    "ladder": "the target takes the current rung's status",
    "ladder_ahead": "A rung met ahead of its due makes the ladder on_track; the ladder is "
    "achieved when its last rung is.",
    "stage": "achieved when the current stage is the target stage or a later one",
    "mix": "Within the tolerance (`<=`) it is achieved (met, as a plain target is before its "
    "due); beyond it up to twice the tolerance: at_risk; beyond twice the tolerance: off_track.",
    "mix_due": "After the due it is judged at the latest basis on or before the due: achieved "
    "when within the tolerance there, achieved_late when not but within at the as-of date, "
    "missed otherwise.",
    "mix_no_data": "no_data while a part has no observation, or amounts that add up to 0.",
    "goal": "A goal that is neither achieved nor achieved_late takes the worst status of its "
    "targets in the order missed, breached, off_track, at_risk, no_data, in_progress, on_track",
    "goal_achieved": "every target is achieved",
    "goal_late": "every target is achieved or achieved_late, one at least late",
}


class Step(NamedTuple):
    """One step of the arithmetic: a name, a sentence with the numbers, the numbers as data."""

    name: str
    text: str
    data: dict[str, Any]


def day_text(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def number(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def ratio(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def text_of(metric: MetricDef, value: float | None) -> str:
    return value_text(metric, value)
