"""The judgement records (one per target, goal, area, risk, as-of date) and their shared rules."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING

from smartgoals.ledger.model import GoalDef, MetricDef, RiskDef, Rung, TargetDef
from smartgoals.quantity import format_value
from smartgoals.record import Record

if TYPE_CHECKING:
    from smartgoals.engine.forecast import Forecast


class Status(StrEnum):
    """The status words: a contract for --json and scripts. A StrEnum, so each is its word."""

    ACHIEVED = "achieved"
    ACHIEVED_LATE = "achieved_late"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    BREACHED = "breached"
    MISSED = "missed"
    IN_PROGRESS = "in_progress"
    NO_DATA = "no_data"
    NOT_STARTED = "not_started"
    PENDING = "pending"  # a ladder's rung whose window has not opened: never a target's status


ACHIEVED = Status.ACHIEVED
ACHIEVED_LATE = Status.ACHIEVED_LATE
ON_TRACK = Status.ON_TRACK
AT_RISK = Status.AT_RISK
OFF_TRACK = Status.OFF_TRACK
BREACHED = Status.BREACHED
MISSED = Status.MISSED
IN_PROGRESS = Status.IN_PROGRESS
NO_DATA = Status.NO_DATA
NOT_STARTED = Status.NOT_STARTED
PENDING = Status.PENDING
# the statuses a target or a goal can take (a rung's `pending` is not one of them)
STATUSES = tuple(s for s in Status if s is not PENDING)
# a goal never reads no_data: without any observation it is not_started (issue 30, item 2)
GOAL_STATUSES = tuple(s for s in STATUSES if s is not NO_DATA)
REACHED = frozenset({ACHIEVED, ACHIEVED_LATE})
# A goal that is not (late) achieved takes the worst status among its targets, in this order.
SEVERITY = (MISSED, BREACHED, OFF_TRACK, AT_RISK, NO_DATA, IN_PROGRESS, ON_TRACK)

# how the open period of a quota is judged (TargetStatus.open_period)
BY_PACE = "pace"
AWAITING_ROW = "awaiting row"
SO_FAR = "value so far"
MET = "met"


class RungStatus(Record):
    rung: Rung
    status: Status


class Observation(Record):
    date: dt.date
    value: float


class PeriodResult(Record):
    """One period of a quota: its value (None without observations) and its verdict."""

    label: str
    first: dt.date
    last: dt.date
    value: float | None
    status: Status  # achieved or missed once finished; the current period's status otherwise
    finished: bool


class MixShare(Record):
    """One part of a judged mix at its basis date: planned and actual share, in %."""

    part: str
    metric: str  # the part's metric id
    planned: float
    actual: float | None  # None when the parts add up to nothing
    deviation: float | None  # actual - planned, in percentage points
    value: float | None  # the part's value at the basis date (a share, or an amount)
    date: dt.date | None  # that value's date


class TargetStatus(Record):
    """The one judgement of a target at an as-of date: every view reads it, none recomputes it."""

    target: TargetDef
    metric: MetricDef
    status: Status
    rung: Rung  # the rung being judged: the target itself, or a ladder's current rung
    current: float | None  # the latest value (a quota: the current period's value)
    current_date: dt.date | None
    baseline: float | None
    progress: float | None  # raw, of the judged value; None for a rate (pace: none) not met
    expected: float | None  # the share of the distance the pace curve expects at basis_date
    stale: bool
    left: float | None  # from the judged value when the verdict was taken at the due
    steps: tuple[RungStatus, ...] | None  # ladders only; `pending` before a rung's window
    reason: str | None = None  # why a derived metric has no value
    judged_value: float | None = None  # the value that decided an achieved/missed verdict
    judged_date: dt.date | None = None
    breaches: tuple[Observation, ...] = ()  # a held target's observations that broke it
    periods: tuple[PeriodResult, ...] | None = None  # quotas only
    plan: float | None = None  # the value the pace curve expects at basis_date
    pace_note: str | None = None  # e.g. why a compound pace fell back to linear
    basis_date: dt.date | None = None  # the one date progress, expected, plan, variance are at
    variance: float | None = None  # the value at basis_date minus plan
    variance_pct: float | None = None  # that, in % of the plan
    variance_share: float | None = None  # that, as a share of the distance (baseline to goal)
    beyond_band: bool = False  # |variance_share| is wider than the at-risk band
    score: float | None = None  # progress clamped to 0..1, for averaging (goal and area scores)
    open_period: str | None = None  # a quota's open period: pace, awaiting row, met, value so far
    why: str = ""  # a short machine-readable reason for the status
    # set by evaluate() (unless told its caller shows none); None from evaluate_target alone
    forecast: Forecast | None = None
    mix: tuple[MixShare, ...] | None = None  # a mix's parts at basis_date (engine/mix.py)

    @property
    def met_periods(self) -> int:
        return sum(1 for p in self.periods or () if p.finished and p.status == ACHIEVED)

    @property
    def missed_periods(self) -> int:
        return sum(1 for p in self.periods or () if p.finished and p.status != ACHIEVED)

    @property
    def streak(self) -> int:
        """Consecutive met periods, counted back from the last finished one."""
        count = 0
        for period in reversed([p for p in self.periods or () if p.finished]):
            if period.status != ACHIEVED:
                break
            count += 1
        return count

    @property
    def value_at_basis(self) -> float | None:
        """The value the verdict, progress and variance are of: judged, else current."""
        return self.judged_value if self.judged_date is not None else self.current


class RiskStatus(Record):
    risk: RiskDef
    triggered: bool
    values: dict[str, float | str | None]  # what the condition read: metric or call -> value
    missing: tuple[str, ...]  # inputs without data; a risk that cannot be decided is not triggered


class GoalStatus(Record):
    goal: GoalDef
    status: Status
    score: float | None
    targets: tuple[TargetStatus, ...]
    waiting_for: tuple[str, ...] = ()  # predecessors not reached yet (then: not_started)
    declared: str | None = None  # the declared state (its `state:` metric's stage) at as_of
    declared_date: dt.date | None = None  # the date it was logged
    disagreement: str | None = None  # "declared done, computed missed", when the two disagree
    own_score: float | None = None  # its targets' score, when `score` is rolled up (rollup:)


class AreaStatus(Record):
    area: str
    score: float | None  # the weighted mean of its goals' scores
    counts: dict[str, int]  # status word -> number of goals


class Evaluation(Record):
    as_of: dt.date
    goals: tuple[GoalStatus, ...]
    risks: tuple[RiskStatus, ...] = ()

    def goal(self, goal_id: str) -> GoalStatus | None:
        return next((g for g in self.goals if g.goal.id == goal_id), None)

    def only(self, goals: tuple[GoalStatus, ...]) -> Evaluation:
        """The same evaluation restricted to these goals (risks are kept)."""
        return self._replace(goals=goals)

    @property
    def areas(self) -> tuple[AreaStatus, ...]:
        return area_statuses(self.goals)


def area_statuses(goals: Iterable[GoalStatus]) -> tuple[AreaStatus, ...]:
    """Per area, in order of first appearance: the weighted mean score and counts by status."""
    grouped: dict[str, list[GoalStatus]] = {}
    for goal in goals:
        grouped.setdefault(goal.goal.area, []).append(goal)
    result = []
    for area, members in grouped.items():
        scored = [(g.score, g.goal.weight) for g in members if g.score is not None]
        weight = sum(w for _, w in scored)
        score = round(sum(s * w for s, w in scored) / weight, 3) if weight > 0 else None
        counts: dict[str, int] = {}
        for goal in members:
            counts[goal.status] = counts.get(goal.status, 0) + 1
        ordered = {str(s): counts[s] for s in STATUSES if s in counts}
        result.append(AreaStatus(area, score, ordered))
    return tuple(result)


# --- the rules every kind of target shares ----------------------------------------------------


class Verdict(Record):
    """What judging one rung, held window or quota gives, before it becomes a TargetStatus."""

    status: Status
    baseline: float | None
    progress: float | None
    expected: float | None
    judged_value: float | None = None
    judged_date: dt.date | None = None
    breaches: tuple[Observation, ...] = ()
    plan: float | None = None
    pace_note: str | None = None
    basis_date: dt.date | None = None
    why: str = ""
    open_period: str | None = None


class Curve(Record):
    expected: float  # the share of the distance expected
    value: float  # the value expected
    note: str | None


def clamp(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def progress_of(value: float, baseline: float | None, rung: Rung) -> float | None:
    """(value - baseline) / (goal - baseline): the share of the distance covered, any direction.

    When the baseline already meets the target there is no distance: progress is 1 while the
    value meets it and 0 when it does not.
    """
    if baseline is None:
        return None
    goal = rung.goal_value(baseline)
    if goal == baseline or rung.met_by(baseline):
        return 1.0 if rung.met_by(value) else 0.0
    return (value - baseline) / (goal - baseline)


def left_of(value: float | None, rung: Rung) -> float | None:
    if value is None:
        return None
    if rung.met_by(value):
        return 0.0
    if rung.op in (">=", ">"):
        return rung.value - value
    if rung.op in ("<=", "<"):
        return value - rung.value
    if rung.op == "..":
        assert rung.high is not None
        return rung.value - value if value < rung.value else value - rung.high
    return abs(rung.value - value)


def pace_curve(pace: str, baseline: float, goal: float, share: float) -> Curve:
    """Where the pace curve expects the value at this share of the window."""
    if pace == "compound":
        if baseline > 0 and goal > 0:
            value = baseline * (goal / baseline) ** share
            expected = (value - baseline) / (goal - baseline) if goal != baseline else 1.0
            return Curve(expected, value, None)
        note = "compound pace needs a baseline and target above zero; linear pace used"
        return Curve(share, baseline + share * (goal - baseline), note)
    return Curve(share, baseline + share * (goal - baseline), None)


def pace_status(progress: float, expected: float, band: float) -> Status:
    """The README's pace rule, for every curve: on_track at or above the expected progress,
    at_risk within the band below it, off_track below that."""
    if progress >= expected:
        return ON_TRACK
    if progress >= expected - band:
        return AT_RISK
    return OFF_TRACK


def share_elapsed(start: dt.date, due: dt.date, day: dt.date) -> float:
    span = (due - start).days
    return 1.0 if span <= 0 else clamp((day - start).days / span)


def shown(metric: MetricDef, value: float | None) -> str:
    """A value as the reason quotes it: a stage by its name, anything else with its unit."""
    if value is not None and metric.is_stage:
        return metric.stage_name(value) or format_value(value, "")
    return format_value(value, metric.unit, metric.precision)


def compared(metric: MetricDef, value: float, rung: Rung) -> str:
    """`45.31% >= 25%` when the value meets the rung, `12% not >= 25%` when it does not."""
    goal = shown(metric, rung.value)
    if rung.op == ".." and rung.high is not None:
        goal = f"{goal}..{shown(metric, rung.high)}"
    op = rung.op if rung.met_by(value) else f"not {rung.op}"
    return f"{shown(metric, value)} {op} {goal}"
