"""The report's words and cells, shared by the Markdown and HTML renderers (each escapes them
for its own format)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from smartgoals.engine.mix import compact_text, points
from smartgoals.engine.words import amount_text, forecast_cell, plan_text, slack_text, verdict_word
from smartgoals.quantity import format_number, unit_kind
from smartgoals.rendering.cells import difference_text, reading_text, rung_text, value_text

if TYPE_CHECKING:
    from smartgoals.engine.dueness import DueMetric, DueReview
    from smartgoals.engine.evaluation import GoalStatus
    from smartgoals.engine.reporting import Calibration, Report, RiskMove, Row, RungDue
    from smartgoals.ledger.model import MetricDef
    from smartgoals.ledger.reviews import Review

TITLES = {"weekly": "Weekly report", "monthly": "Monthly report", "quarterly": "Quarterly report"}
ARROWS = {"up": "↑", "down": "↓", "flat": "→"}
# goals by status on the summary, worst first; every status word has its place
GOAL_ORDER = (
    "missed",
    "breached",
    "off_track",
    "at_risk",
    "no_data",
    "in_progress",
    "on_track",
    "achieved_late",
    "achieved",
    "not_started",
)
EXCEPTIONS = ("missed", "breached", "off_track", "at_risk")  # worst first
KPI_HEADER = (
    "Target",
    "Actual",
    "Since last period",
    "Target",
    "Plan",
    "Variance",
    "Status",
    "Outlook",
)
KPI_NUMERIC = (False, True, False, False, True, True, False, False)
KPI_STATUS = 6  # the column each row's status is in
HEADLINE_HEADER = ("Metric", "Actual", "Plan", "Previous", "Variance", "Status", "Why")
HEADLINE_NUMERIC = (False, True, True, True, True, False, False)
HEADLINE_STATUS = 5
EXCEPTION_HEADER = ("Target", "Actual", "Target", "Plan", "Variance", "Status", "Outlook")
EXCEPTION_NUMERIC = (False, True, False, True, True, False, False)
DONE = ("achieved", "achieved_late")  # folded into one line per goal in the HTML detail table
NOTE_LENGTH = 110  # a headline's one-line explanation, cut at a word
DECLARED_HEADER = ("Goal", "Declared", "Since", "Computed", "Disagreement")
ALIGNMENT_INTRO = "Goals under the goals they contribute to (`contributes_to:`)."
RISK_STATES = (
    ("new", "Newly triggered"),
    ("still", "Still triggered"),
    ("cleared", "Cleared since the baseline"),
)


def title(report: Report) -> str:
    period = report.period
    return f"{TITLES[period.kind]} {period.label} (to {period.as_of.isoformat()})"


def word(status: str) -> str:
    return verdict_word(status)


def name(row: Row) -> str:
    """A target as people call it: its goal's title and its metric's name."""
    return f"{row.goal.goal.title} / {row.target.metric.name}"


def _is_count(metric: MetricDef) -> bool:
    return metric.unit in ("count", "") and not metric.is_stage


def signed(text: str) -> str:
    return text if text.startswith("-") or text == "0" else f"+{text}"


def amount(metric: MetricDef, value: float) -> str:
    """A plan or a difference as people read it: whole numbers from 100 up, else two decimals
    (percent and ratios as their readings are rounded)."""
    if unit_kind(metric.unit) in ("percent", "ratio"):
        return reading_text(metric, value)
    whole = abs(value) >= 100 or _is_count(metric)  # "7 below plan", never "7.08"
    return value_text(metric, round(value, 0 if whole else 2))


def difference(metric: MetricDef, value: float) -> str:
    if abs(value) < 1e-9:
        return "0"
    if unit_kind(metric.unit) not in ("percent", "ratio"):
        value = round(value, 0 if abs(value) >= 100 or _is_count(metric) else 2)
        if value == 0:
            return "0"
    text = difference_text(metric, value)
    if not any(ch in "123456789" for ch in text):  # it rounds to nothing at the shown precision
        return "0"
    return signed(text)


def _better(row: Row) -> bool | None:
    """Whether the change since the previous period is good news: up is better for a metric
    whose direction is up (ARR), worse for one whose direction is down (churn); for a range,
    nearer the range is better."""
    if row.change is None or abs(row.change) < 1e-9 or row.target.current is None:
        return None
    rung = row.target.rung
    if rung.op == ".." and rung.high is not None:
        now, before = row.target.current, row.target.current - row.change

        def outside(value: float) -> float:
            return max(rung.value - value, value - (rung.high or value), 0.0)

        if abs(outside(now) - outside(before)) < 1e-9:
            return None
        return outside(now) < outside(before)
    up = row.change > 0
    return up if row.target.metric.direction == "up" else not up


def trend_cell(row: Row, since: bool = False) -> str:
    """The change since the previous period, its arrow, and whether it is better or worse;
    `since`: and the previous value it changed from."""
    if row.previous is None:
        return "new"
    if row.change is None:
        was = row.previous.current
        return f"was {value_text(row.target.metric, was)}" if since and was is not None else "-"
    metric = row.target.metric
    change = difference(metric, row.change)
    if change == "0":
        return "→ no change"
    better = _better(row)
    verdict = "" if better is None else (" better" if better else " worse")
    before = f" (was {value_text(metric, row.previous.current)})" if since else ""
    return f"{ARROWS[row.trend]} {change}{verdict}{before}"


def variance_cell(row: Row) -> str:
    if row.variance is None:
        return "-"
    percent = "" if row.variance_pct is None else f" ({row.variance_pct:+.1f}%)"
    return difference(row.target.metric, row.variance) + percent


def kpi_cells(row: Row) -> tuple[str, ...]:
    """A target's row in the table grouped by goal: the goal is the group's heading."""
    target = row.target
    metric = target.metric
    return (
        metric.name,
        value_text(metric, target.current),
        trend_cell(row, since=True),
        rung_text(metric, target.rung, plain=True),
        "-" if target.plan is None else amount(metric, target.plan),
        variance_cell(row),
        word(target.status),
        outlook(row, short=True) or "-",
    )


def headline_cells(row: Row) -> tuple[str, ...]:
    target = row.target
    metric = target.metric
    previous = "new" if row.previous is None else value_text(metric, row.previous.current)
    return (
        metric.name,
        value_text(metric, target.current),
        "-" if target.plan is None else amount(metric, target.plan),
        previous,
        variance_cell(row),
        word(target.status),
        note(row),
    )


def exception_cells(row: Row) -> tuple[str, ...]:
    target = row.target
    return (
        name(row),
        value_text(target.metric, target.current),
        rung_text(target.metric, target.rung, plain=True),
        "-" if target.plan is None else amount(target.metric, target.plan),
        variance_cell(row),
        word(target.status),
        outlook(row) or "-",
    )


def folded(rows: Sequence[Row]) -> list[tuple[str, list[Row]]]:
    """A goal's targets that its table folds away, counted: those achieved ("11 achieved (4
    late)") and those not started with no value yet ("4 not started, no value yet")."""
    done = [row for row in rows if row.target.status in DONE]
    late = sum(1 for row in done if row.target.status == "achieved_late")
    waiting = [r for r in rows if r.target.status == "not_started" and r.target.current is None]
    found = []
    if done:
        found.append((f"{len(done)} achieved" + (f" ({late} late)" if late else ""), done))
    if waiting:
        found.append((f"{len(waiting)} not started, no value yet", waiting))
    return found


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= NOTE_LENGTH:
        return text
    return text[: text.rfind(" ", 0, NOTE_LENGTH - 1)] + "…"


def note(row: Row) -> str:
    """The headline's one line: what the ledger says explains it, else its outlook."""
    if row.explanations:
        return _one_line(row.explanations[-1].text)
    return outlook(row) or ""


def headline_rows(report: Report, metrics: Sequence[str]) -> list[Row]:
    """The rows the report opens with: each metric named by the ledger's `headline:` (its
    first target), in that order; without it, the first target of each goal."""
    if metrics:
        first: dict[str, Row] = {}
        for row in report.rows:
            first.setdefault(row.target.metric.id, row)
        return [first[m] for m in dict.fromkeys(metrics) if m in first]
    seen: dict[str, Row] = {}
    for row in report.rows:
        seen.setdefault(row.goal.goal.id, row)
    by_metric = {row.target.metric.id: row for row in reversed(seen.values())}
    return [row for row in seen.values() if by_metric[row.target.metric.id] is row]


SOON = 92  # days: a target due within the next quarter that its forecast says it won't make


def missed_next(row: Row, as_of: dt.date) -> bool:
    forecast = row.forecast
    if forecast is None or forecast.verdict != "wont_make" or forecast.due is None:
        return False
    return forecast.due <= as_of + dt.timedelta(days=SOON)


def exception_rows(report: Report) -> list[Row]:
    """Targets off track, at risk, breached or missed, worst first, then those on course to be
    missed next (a forecast that says won't make)."""
    rank = {status: i for i, status in enumerate(EXCEPTIONS)}
    bad = [row for row in report.rows if row.target.status in rank]
    bad.sort(key=lambda row: rank[row.target.status])
    day = report.period.as_of
    return bad + [r for r in report.rows if r.target.status not in rank and missed_next(r, day)]


def distinct_targets(rows: Sequence[Row]) -> list[Row]:
    """One row per target definition: a metric with the same rungs in two goals is one chart."""
    seen: dict[tuple[str, tuple[object, ...]], Row] = {}
    for row in rows:
        seen.setdefault((row.target.metric.id, row.target.target.rungs), row)
    return list(seen.values())


def declared_goals(report: Report) -> list[GoalStatus]:
    """The goals with a declared state (`state:`), in the report's order."""
    return [goal for goal in report.now.goals if goal.declared is not None]


def declared_cells(goal: GoalStatus) -> tuple[str, ...]:
    """A goal's declared state beside its computed status, and where the engine found they
    disagree, its words (`declared done, computed missed`); `-` where they agree."""
    declared = (goal.declared or "").replace("_", " ")
    since = goal.declared_date.isoformat() if goal.declared_date else ""
    disagreement = goal.disagreement.replace("_", " ") if goal.disagreement else "-"
    return (goal.goal.title, declared, since, word(goal.status), disagreement)


def goals_by_status(report: Report) -> list[tuple[str, list[GoalStatus]]]:
    order = [*GOAL_ORDER, *(g.status for g in report.now.goals if g.status not in GOAL_ORDER)]
    found = []
    for status in dict.fromkeys(order):
        goals = [g for g in report.now.goals if g.status == status]
        if goals:
            found.append((str(status), goals))
    return found


def move_line(report: Report, goal: str, metric: str | None) -> str:
    """A status move's subject in titles: the goal's title, and the metric's name."""
    titles = {g.goal.id: g.goal.title for g in (*report.before.goals, *report.now.goals)}
    text = titles.get(goal, goal)
    if metric is not None:
        known = report.metrics.get(metric)
        text += f" / {known.name if known else metric}"
    return text


def changes(report: Report) -> list[tuple[str, str]]:
    """What changed since the last period, and why where the ledger says: (what, why)."""
    why = {(r.goal.goal.id, r.target.metric.id): r for r in report.rows}
    found = []
    for move in report.moves:
        subject = move_line(report, move.goal, move.metric)
        text = f"{subject}: {word(move.old)} → {word(move.new)}"
        row = why.get((move.goal, move.metric or ""))
        reason = _one_line(row.explanations[-1].text) if row and row.explanations else ""
        found.append((text, reason))
    return found


def decisions(report: Report, most: int = 8) -> list[str]:
    """What needs a decision: eased targets, and the largest material variances nothing
    explains (`most` of them, then how many more)."""
    missing = [row for row in report.rows if row.material and not row.explanations]
    missing.sort(key=lambda row: -abs(row.variance_pct or 0.0))
    found = [f"{name(row)}: {variance_line(row)}, unexplained" for row in missing[:most]]
    if len(missing) > most:
        found.append(f"{len(missing) - most} more unexplained material variances (see below)")
    for item in report.calibration:
        if item.change.eased:
            change = item.change
            subject = move_line(report, change.goal, change.metric.id)
            new = plan_text(change.metric, change.new, change.new_mix)
            found.append(f"{subject}: target eased to {'none' if new == '-' else new}")
    return found


def variance_line(row: Row) -> str:
    metric = row.target.metric
    assert row.variance is not None
    side = "above" if row.variance >= 0 else "below"
    percent = "" if row.variance_pct is None else f" ({row.variance_pct:+.1f}%)"
    assert row.target.plan is not None
    gap = difference(metric, abs(row.variance)).lstrip("+")
    return f"{gap}{percent} {side} plan ({amount(metric, row.target.plan)})"


def forecast_cells(row: Row) -> tuple[str, str, str, str] | None:
    """(due, ETA / value at due, slack, verdict) for a dated target with a forecast."""
    forecast = row.forecast
    if forecast is None or forecast.due is None or forecast.verdict in ("unknown", "reached"):
        return None
    metric = row.target.metric
    if forecast.eta is not None:
        eta = forecast.eta.isoformat()
    elif forecast.value_at_due is not None:
        eta = f"{reading_text(metric, forecast.value_at_due)} at due"
    else:
        eta = forecast_cell(forecast, metric)
    slack = "-" if forecast.slack_days is None else slack_text(forecast.slack_days)
    return forecast.due.isoformat(), eta, slack, word(forecast.verdict)


def outlook(row: Row, short: bool = False) -> str:
    """The forecast in a few words, without the model behind it (explain and --json say
    which model and why): "won't make: 2027-03-01, 90 days late"."""
    forecast = row.forecast
    if forecast is None or forecast.verdict == "unknown" or forecast.due is None:
        return ""
    if forecast.verdict == "reached":
        return "reached"
    metric = row.target.metric
    verdict = word(forecast.verdict)
    if forecast.eta is not None and forecast.slack_days is not None:
        if short:
            return f"{verdict}, {slack_text(forecast.slack_days)}"
        eta = forecast.eta.isoformat()
        return f"{verdict}: {eta}, {slack_text(forecast.slack_days)}"
    if forecast.value_at_due is not None:
        at_due = reading_text(metric, forecast.value_at_due)
        if short:
            return f"{verdict}: about {at_due} at due"
        return f"{verdict}: about {at_due} by {forecast.due.isoformat()}"
    return f"{verdict} by {forecast.due.isoformat()}"


def forecast_detail(row: Row) -> str:
    """A chart's caption: the outlook and the pace it needs, in the metric's unit."""
    forecast = row.forecast
    if forecast is None or forecast.verdict == "unknown":
        return "no forecast yet"
    parts = [outlook(row)] if outlook(row) else []
    needed = forecast.required_rate
    if needed is not None and needed.per_month is not None and forecast.verdict != "reached":
        parts.append(f"needs {amount_text(row.target.metric, needed.per_month)}")
    return "; ".join(parts) or "no forecast yet"


def risk_line(move: RiskMove) -> str:
    risk = move.risk.risk
    return f"{risk.title} (owner {risk.owner})" if risk.owner else risk.title


def risk_values(report: Report, move: RiskMove) -> str:
    """What the risk's condition read, each metric by its name: "Day-30 retention 49%"."""
    parts = []
    for key, value in move.risk.values.items():
        metric = report.metrics.get(key)
        if metric is not None:
            parts.append(f"{metric.name} {reading_text(metric, value)}")
        elif key != "as_of":
            parts.append(f"{key} = {reading_text(None, value)}")
    return ", ".join(parts)


def risk_detail(report: Report, move: RiskMove) -> str:
    """A firing risk after its title on the summary: its state, what it read, its actions."""
    values = risk_values(report, move)
    actions = "; ".join(move.risk.risk.actions)
    text = f"({move.state})" + (f": {values}" if values else "")
    return text + (f"; actions: {actions}" if actions else "")


def stale_line(due: DueMetric) -> str:
    last = "never recorded"
    if due.last_date is not None:
        last = f"{value_text(due.metric, due.last_value)} on {due.last_date.isoformat()}"
    return f"{due.metric.name}: {last}, {due.metric.cadence}"


def stale_groups(stale: Sequence[DueMetric]) -> list[tuple[str, list[str]]]:
    """Stale metrics by the day each was last recorded, latest first, then those never
    recorded: ("Last recorded 2026-10-31", ["Monthly active users 81,000", ...])."""
    days = sorted({d.last_date for d in stale if d.last_date is not None}, reverse=True)
    found = []
    for day in days:
        names = [
            f"{d.metric.name} {value_text(d.metric, d.last_value)}"
            for d in stale
            if d.last_date == day
        ]
        found.append((f"Last recorded {day.isoformat()}", names))
    never = [d.metric.name for d in stale if d.last_date is None]
    if never:
        found.append(("Never recorded", never))
    return found


def review_line(review: DueReview) -> str:
    last = "no check-in yet"
    if review.last_checkin is not None:
        last = f"last check-in {review.last_checkin.isoformat()}"
    return f"{review.goal.title}: {review.cadence} review ({review.what}), {last}"


def calibration_cells(report: Report, item: Calibration) -> tuple[str, ...]:
    change = item.change
    metric = change.metric
    old = plan_text(metric, change.old, change.old_mix)
    new = plan_text(metric, change.new, change.new_mix)
    how = {True: "eased", False: "tightened", None: "changed"}[change.eased]
    if item.commit is not None:
        who = item.commit.author
        commit = f"{item.commit.short} {item.commit.message}"
    else:
        who, commit = "-", "not committed"
    return (move_line(report, change.goal, metric.id), how, old, new, who, commit)


def rung_cells(report: Report, rung: RungDue) -> tuple[str, ...]:
    metric = rung.metric
    actual = value_text(metric, rung.actual)
    if rung.actual_date is not None:
        actual += f" ({rung.actual_date.isoformat()})"
    due = rung.rung.due.isoformat() if rung.rung.due else "-"
    return (
        move_line(report, rung.goal, metric.id),
        rung_text(metric, rung.rung, plain=True),
        due,
        actual,
        word(rung.verdict),
    )


def footer(report: Report) -> str:
    """Where the baseline came from (the version is left out, so that a committed report
    changes only when the ledger does; JSON carries it)."""
    base = report.baseline
    text = base.note
    if base.commit is not None:
        text += f' ("{base.commit.message}", {base.commit.author})'
    return f"{text}. Generated by smartgoals for {report.period.as_of.isoformat()}."


def charted_exceptions(rows: Sequence[Row], as_of: dt.date) -> list[Row]:
    """The exceptions worth a chart: one per metric (its worst target), leaving out targets
    missed or past their due (the table says how far), and mixes (no series of their own: the
    Mixes table has their parts)."""
    seen: dict[str, Row] = {}
    for row in rows:
        if row.target.target.mix:
            continue
        due = row.target.rung.due
        if row.target.status != "missed" and (due is None or due >= as_of):
            seen.setdefault(row.target.metric.id, row)
    return list(seen.values())


def needs(row: Row) -> str:
    """The pace a target's forecast says it needs from now, per month, or ""."""
    forecast = row.forecast
    if forecast is None or forecast.verdict in ("unknown", "reached"):
        return ""
    needed = forecast.required_rate
    if needed is None or needed.per_month is None:
        return ""
    return f"needs {amount_text(row.target.metric, needed.per_month)}"


GRADE_HEADER = ("Goal", "Status", "Score", "Computed", "Grade", "Note", "Reason")


def grade_cells(review: Review) -> tuple[str, ...]:
    """A goal's row of the Grades section: its grade as closed, and why it differs."""
    score = "-" if review.computed_score is None else f"{review.computed_score:.3f}"
    grade = review.grade if not review.overridden else f"{review.grade} (set by a person)"
    status = word(review.status)
    return (review.goal, status, score, review.computed_grade, grade, review.note, review.reason)


MIX_HEADER = ("Goal / mix", "Actual share (planned)", "Worst", "Tolerance", "Status")
MIX_NUMERIC = (False, False, True, True, False)


def mix_rows(report: Report) -> list[Row]:
    """The report's mixes (a target with `mix:`), in report order."""
    return [row for row in report.rows if row.target.target.mix]


def mix_cells(row: Row) -> list[str]:
    """A mix in one row: its parts' actual shares with the planned ones in brackets (web 38%
    (40) · mobile 57% (55)), the worst deviation, the tolerance and the status."""
    target = row.target
    parts = target.mix or ()
    worst = max(parts, key=lambda p: abs(p.deviation or 0.0), default=None)
    shown = (
        "-"
        if worst is None or worst.deviation is None
        else f"{worst.part} {points(worst.deviation)}"
    )
    basis = f" at {target.basis_date.isoformat()}" if target.basis_date and parts else ""
    return [
        name(row),
        (compact_text(parts) or "no data") + basis,
        shown,
        f"{format_number(target.rung.value)}pp",
        word(target.status),
    ]


def mix_counts(rows: Sequence[Row]) -> str:
    """How many mixes take each status, worst first: `1 off track, 3 achieved`."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[str(row.target.status)] = counts.get(str(row.target.status), 0) + 1
    order = (
        *("missed", "breached", "off_track", "at_risk", "no_data", "in_progress", "on_track"),
        *("achieved_late", "achieved", "not_started"),
    )
    return ", ".join(f"{counts[s]} {word(s)}" for s in order if s in counts)
