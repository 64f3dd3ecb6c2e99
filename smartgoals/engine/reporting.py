"""The period report as data: two evaluations (now and the baseline) compared target by target,
with plan, variance, explanations, forecasts, risks, calibration, hygiene and the rungs of the
quarter. Pure: the command gathers the ledgers, notes and commits; rendering/ formats this."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from smartgoals.engine.alignment import Alignment, alignment
from smartgoals.engine.evaluation import STATUSES, Evaluation, GoalStatus, RiskStatus, TargetStatus
from smartgoals.ledger.model import Ledger, MetricDef, Rung, Series, index_left, index_right
from smartgoals.ledger.reviews import Review
from smartgoals.periods import period_label, period_span

if TYPE_CHECKING:
    from smartgoals.engine.compare import TargetChange
    from smartgoals.engine.dueness import DueMetric, DueReview
    from smartgoals.engine.forecast import Forecast
    from smartgoals.ledger.checkins import Checkin
    from smartgoals.vcs.objects import CommitInfo

KINDS = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}


class Period(NamedTuple):
    kind: str  # weekly, monthly or quarterly
    label: str  # 2026-W47, 2026-11, 2026-Q4: also the notes file's name
    first: dt.date  # the period's first day
    as_of: dt.date  # the report's last day
    previous_end: dt.date  # the previous period's last day: the default baseline date
    to_date: bool = False  # the period is not over at as_of: a report of the period so far

    @property
    def title(self) -> str:
        """`Monthly report 2026-11`, or `Monthly report 2026-12 to date (2026-12-06)`."""
        name = f"{self.kind.capitalize()} report {self.label}"
        return f"{name} to date ({self.as_of.isoformat()})" if self.to_date else name


def report_period(kind: str, as_of: dt.date, current: bool = True) -> Period:
    """current: the calendar week (Monday first), month or quarter containing as_of, up to
    as_of. Otherwise the last one finished by as_of: whole, the one before the period that
    contains as_of (on 6 December, November)."""
    unit = KINDS[kind]
    first, last = period_span(as_of, unit)
    if not current:
        first, last = period_span(first - dt.timedelta(days=1), unit)
        as_of = last
    label = period_label(first, unit)
    return Period(kind, label, first, as_of, first - dt.timedelta(days=1), as_of < last)


class Baseline(NamedTuple):
    date: dt.date  # the date the baseline ledger is judged at
    commit: CommitInfo | None  # the commit read; None: the current ledger at that date
    rev: str | None  # --since REV as given
    note: str  # one sentence for the footer: where the baseline came from


class Explanation(NamedTuple):
    source: str  # journal, checkin or notes
    date: dt.date | None
    text: str


class Row(NamedTuple):
    """One target in the KPI table."""

    goal: GoalStatus
    position: int  # the target's index in its goal
    target: TargetStatus
    previous: TargetStatus | None  # the same target at the baseline; None: it did not exist
    change: float | None  # this value minus the previous one
    variance: float | None  # actual minus plan
    variance_pct: float | None  # that, as a percentage of the plan
    material: bool  # outside the at-risk band
    trend: str  # up, down, flat, or "" without two values
    explanations: tuple[Explanation, ...]
    forecast: Forecast | None

    @property
    def key(self) -> str:
        return f"{self.goal.goal.id} / {self.target.metric.id}"


class StatusMove(NamedTuple):
    goal: str
    metric: str | None  # None: the goal itself
    old: str  # a status word, or "new"
    new: str  # a status word, or "removed"


class RiskMove(NamedTuple):
    risk: RiskStatus
    state: str  # new, still or cleared


class Calibration(NamedTuple):
    change: TargetChange
    commit: CommitInfo | None  # the commit that made it; None: not committed, or not found


class RungDue(NamedTuple):
    goal: str
    metric: MetricDef
    rung: Rung
    actual: float | None  # the value on or before its due (or the as-of date, before the due)
    actual_date: dt.date | None
    verdict: str


class Report(NamedTuple):
    period: Period
    baseline: Baseline
    now: Evaluation
    before: Evaluation
    counts_now: dict[str, int]
    counts_before: dict[str, int]
    moves: tuple[StatusMove, ...]
    rows: tuple[Row, ...]
    band: float
    notes_path: str
    notes: str | None  # the hand-written notes file's text, when present
    risks: tuple[RiskMove, ...]
    calibration: tuple[Calibration, ...]
    calibration_note: str | None  # why calibration is not known (outside git)
    stale: tuple[DueMetric, ...]
    reviews: tuple[DueReview, ...]
    rungs: tuple[RungDue, ...] | None  # quarterly only
    metrics: Mapping[str, MetricDef]
    series: Mapping[str, Series]
    # the grades in force of the period, when it was closed (reviews/<period>.csv: goal rows)
    grades: tuple[Review, ...] = ()
    grades_path: str = ""
    alignment: Alignment | None = None  # the goals' tree; None without contributes_to:/rollup:


def counts(evaluation: Evaluation) -> dict[str, int]:
    found: dict[str, int] = {}
    for goal in evaluation.goals:
        found[goal.status] = found.get(goal.status, 0) + 1
    return {str(s): found[s] for s in STATUSES if s in found}


def _target_keys(goal: GoalStatus) -> dict[tuple[str, int], tuple[int, TargetStatus]]:
    """(metric id, n-th target of that metric) -> (index, target): targets matched across
    ledgers by metric and order, as diff matches them."""
    seen: dict[str, int] = {}
    keyed = {}
    for index, target in enumerate(goal.targets):
        n = seen.get(target.metric.id, 0)
        seen[target.metric.id] = n + 1
        keyed[(target.metric.id, n)] = (index, target)
    return keyed


def status_moves(now: Evaluation, before: Evaluation) -> list[StatusMove]:
    """Every goal and target whose status differs from the baseline's, new and removed ones."""
    old = {g.goal.id: g for g in before.goals}
    moves = []
    for goal in now.goals:
        was = old.get(goal.goal.id)
        if was is None:
            moves.append(StatusMove(goal.goal.id, None, "new", goal.status))
            continue
        if was.status != goal.status:
            moves.append(StatusMove(goal.goal.id, None, was.status, goal.status))
        previous = _target_keys(was)
        for key, (_, target) in _target_keys(goal).items():
            match = previous.get(key)
            if match is None:
                moves.append(StatusMove(goal.goal.id, key[0], "new", target.status))
            elif match[1].status != target.status:
                moves.append(StatusMove(goal.goal.id, key[0], match[1].status, target.status))
    shown = {g.goal.id for g in now.goals}
    moves.extend(
        StatusMove(g.goal.id, None, g.status, "removed")
        for g in before.goals
        if g.goal.id not in shown
    )
    return moves


def variance(target: TargetStatus) -> tuple[float | None, float | None, float | None]:
    """(value minus plan, that in % of the plan, that as a share of the target's distance), as
    the judgement holds them: at its basis date, and only where it has a plan (a quota has
    none; a stage has none)."""
    return target.variance, target.variance_pct, target.variance_share


def trend(metric: MetricDef, now: float | None, before: float | None) -> str:
    if now is None or before is None:
        return ""
    if abs(now - before) < 1e-9:
        return "flat"
    return "up" if now > before else "down"


_WORD = "(?<![A-Za-z0-9_-]){}(?![A-Za-z0-9_-])"


def notes_mentions(notes: str, *ids: str) -> list[str]:
    """The paragraphs of the notes file that name one of these ids (a whole word, any case)."""
    patterns = [re.compile(_WORD.format(re.escape(i)), re.IGNORECASE) for i in ids]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", notes) if p.strip()]
    return [p for p in paragraphs if any(pattern.search(p) for pattern in patterns)]


def explanations(
    target: TargetStatus,
    goal: str,
    series: Series | None,
    checkins: Sequence[Checkin],
    notes: str | None,
    first: dt.date,
    last: dt.date,
) -> tuple[Explanation, ...]:
    """What explains this target's period: journal notes on its metric dated within it, notes
    of its goal's check-ins within it, and paragraphs of the notes file naming it."""
    found = []
    if series is not None:  # the rows dated within the period: a slice of each list
        low, high = index_left(series.dates, first), index_right(series.dates, last)
        for day, note in zip(series.dates[low:high], series.notes[low:high], strict=True):
            if note.strip():
                found.append(Explanation("journal", day, note.strip()))
    for one in checkins:
        if one.goal == goal and first <= one.date <= last and one.note.strip():
            found.append(Explanation("checkin", one.date, one.note.strip()))
    if notes:
        for paragraph in notes_mentions(notes, target.metric.id, goal):
            found.append(Explanation("notes", None, paragraph))
    return tuple(found)


def risk_moves(now: Evaluation, before: Evaluation) -> list[RiskMove]:
    was = {r.risk.id for r in before.risks if r.triggered}
    moves = [RiskMove(r, "new") for r in now.risks if r.triggered and r.risk.id not in was]
    moves += [RiskMove(r, "still") for r in now.risks if r.triggered and r.risk.id in was]
    is_now = {r.risk.id for r in now.risks if r.triggered}
    moves += [
        RiskMove(r, "cleared") for r in before.risks if r.triggered and r.risk.id not in is_now
    ]
    return moves


def value_on(series: Series | None, day: dt.date) -> tuple[float | None, dt.date | None]:
    if series is None:
        return None, None
    known = series.count_until(day)
    return (series.values[known - 1], series.dates[known - 1]) if known else (None, None)


def quarter_rungs(now: Evaluation, ledger: Ledger, as_of: dt.date) -> list[RungDue]:
    """Each rung (of a ladder, or a dated target) due in the quarter of as_of."""
    first, last = period_span(as_of, "quarter")
    found = []
    for goal in now.goals:
        for target in goal.targets:
            steps = target.steps or ()
            rungs = [(s.rung, str(s.status)) for s in steps] or [(target.rung, str(target.status))]
            for rung, verdict in rungs:
                if rung.due is None or not first <= rung.due <= last:
                    continue
                actual, day = value_on(ledger.series.get(target.metric.id), min(rung.due, as_of))
                shown = verdict if rung.due < as_of else f"{verdict} (due later)"
                found.append(RungDue(goal.goal.id, target.metric, rung, actual, day, shown))
    return found


def build_report(
    period: Period,
    baseline: Baseline,
    ledger: Ledger,
    base_ledger: Ledger,
    now: Evaluation,
    before: Evaluation,
    checkins: Sequence[Checkin],
    notes_path: str,
    notes: str | None,
    calibration: Sequence[Calibration],
    calibration_note: str | None,
    stale: Sequence[DueMetric],
    reviews: Sequence[DueReview],
    forecasts: Mapping[tuple[str, int], Forecast],
) -> Report:
    """The report of now against before; explanations are looked for after the baseline date
    up to the as-of date."""
    window_first = baseline.date + dt.timedelta(days=1)
    old = {g.goal.id: g for g in before.goals}
    rows = []
    band = ledger.at_risk_band
    for goal in now.goals:
        was = old.get(goal.goal.id)
        previous = _target_keys(was) if was is not None else {}
        for key, (index, target) in _target_keys(goal).items():
            match = previous.get(key)
            prior = match[1] if match else None
            shown_now = target.current
            shown_before = prior.current if prior else None
            change = None
            if shown_now is not None and shown_before is not None and not target.metric.is_stage:
                change = round(shown_now - shown_before, 9)
            difference, percent, _ = variance(target)
            series = ledger.series.get(target.metric.id)
            rows.append(
                Row(
                    goal,
                    index,
                    target,
                    prior,
                    change,
                    difference,
                    percent,
                    target.beyond_band,
                    trend(target.metric, shown_now, shown_before),
                    explanations(
                        target, goal.goal.id, series, checkins, notes, window_first, period.as_of
                    ),
                    forecasts.get((goal.goal.id, index)),
                )
            )
    used = {t.metric.id for g in now.goals for t in g.targets}
    return Report(
        period=period,
        baseline=baseline,
        now=now,
        before=before,
        counts_now=counts(now),
        counts_before=counts(before),
        moves=tuple(status_moves(now, before)),
        rows=tuple(rows),
        band=band,
        notes_path=notes_path,
        notes=notes,
        risks=tuple(risk_moves(now, before)),
        calibration=tuple(calibration),
        calibration_note=calibration_note,
        stale=tuple(s for s in stale if s.metric.id in used),
        reviews=tuple(reviews),
        rungs=tuple(quarter_rungs(now, ledger, period.as_of))
        if period.kind == "quarterly"
        else None,
        metrics={**base_ledger.metrics, **ledger.metrics},
        series={m: ledger.series[m] for m in sorted(used) if m in ledger.series},
        alignment=alignment(now.goals),
    )


def unexplained(report: Report) -> list[Row]:
    """The material variances nothing explains: what the founder should write about."""
    return [row for row in report.rows if row.material and not row.explanations]
