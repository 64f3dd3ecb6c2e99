"""Engine and ledger records as JSON pieces (goals, targets, risks, forecasts, commits, target
changes): every view's JSON form is built from them. The field names are a contract: extend,
never rename."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from smartgoals.engine.evaluation import Evaluation, GoalStatus, RiskStatus, TargetStatus
from smartgoals.ledger.model import Ledger, MetricDef, Rung, Series
from smartgoals.rendering.cells import rung_text

if TYPE_CHECKING:
    from smartgoals.engine.compare import TargetChange
    from smartgoals.engine.forecast import Forecast, Rate
    from smartgoals.revisions.history import CommittedTargetChange
    from smartgoals.vcs.objects import CommitInfo


def json_number(value: float | None, digits: int = 6) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


def metric_value(metric: MetricDef, value: float | None) -> float | int | str | None:
    """A value as JSON: a stage's name, or a number."""
    if metric.is_stage:
        return metric.stage_name(value)
    return json_number(value)


def rung_data(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    return {
        "target": metric_value(metric, rung.value),
        "target_high": json_number(rung.high),
        "op": rung.op,
        "due": rung.due.isoformat() if rung.due else None,
    }


def target_data(status: TargetStatus) -> dict[str, Any]:
    metric = status.metric
    target = status.target
    rung = rung_data(metric, status.rung)
    steps = None
    if status.steps is not None:
        steps = [
            {
                "value": metric_value(metric, s.rung.value),
                "op": s.rung.op,
                "due": s.rung.due.isoformat() if s.rung.due else None,
                "due_text": s.rung.due_text,
                "status": s.status,
                "hold": s.rung.hold,
            }
            for s in status.steps
        ]
    return {
        "metric": metric.id,
        "metric_name": metric.name,
        "unit": metric.unit,
        "status": status.status,
        "current": metric_value(metric, status.current),
        "current_date": status.current_date.isoformat() if status.current_date else None,
        "target": rung["target"],
        "target_high": rung["target_high"],
        "op": rung["op"],
        "due": rung["due"],
        "baseline": metric_value(metric, status.baseline),
        "progress": json_number(status.progress, 4),
        "expected": json_number(status.expected, 4),
        "left": json_number(status.left),
        "stale": status.stale,
        "steps": steps,
        "derived": metric.formula is not None,
        "reason": status.reason,
        "judged_value": metric_value(metric, status.judged_value),
        "judged_date": _date(status.judged_date),
        "hold": status.rung.hold,
        "breaches": [
            {"date": b.date.isoformat(), "value": metric_value(metric, b.value)}
            for b in status.breaches
        ],
        "every": target.every,
        "periods": None
        if status.periods is None
        else [
            {
                "period": p.label,
                "value": metric_value(metric, p.value),
                "status": p.status,
                "finished": p.finished,
            }
            for p in status.periods
        ],
        "met": status.met_periods if status.periods is not None else None,
        "missed": status.missed_periods if status.periods is not None else None,
        "streak": status.streak if status.periods is not None else None,
        "pace": target.pace,
        "pace_note": status.pace_note,
        "plan": metric_value(metric, status.plan),
        "weight": target.weight,
        "open_ended": status.rung.open_ended,
        "stretch": target.stretch,
        "grace": target.grace or None,
        "breaches_in_a_row": target.in_a_row or None,
        **judgement_data(status),
    }


def judgement_data(status: TargetStatus) -> dict[str, Any]:
    """The judgement's own fields, at its basis date, as every view's JSON adds them: the
    value they are of, variance (absolute, % of plan, share of the distance), the score
    (progress clamped to 0..1), how a quota's open period is judged, and why."""
    metric = status.metric
    return {
        "basis_date": _date(status.basis_date),
        "value_at_basis": metric_value(metric, status.value_at_basis),
        "variance": json_number(status.variance),
        "variance_pct": json_number(status.variance_pct, 2),
        "variance_share": json_number(status.variance_share, 4),
        "beyond_band": status.beyond_band,
        "score": json_number(status.score, 4),
        "open_period": status.open_period,
        "why": status.why,
        "mix": mix_data(status),
    }


def mix_data(status: TargetStatus) -> dict[str, Any] | None:
    """A mix's parts at its basis date (planned and actual share in %, deviation in points),
    and its tolerance in points; None for every other target."""
    if not status.target.mix:
        return None
    return {
        "tolerance": json_number(status.rung.value),
        "parts": [
            {
                "part": p.part,
                "metric": p.metric,
                "planned": json_number(p.planned),
                "actual": json_number(p.actual, 2),
                "deviation": json_number(p.deviation, 2),
                "value": json_number(p.value),
                "date": _date(p.date),
            }
            for p in status.mix or ()
        ],
    }


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def declared_data(status: GoalStatus) -> dict[str, Any] | None:
    """A goal's declared state beside its computed status: the same in status --json, show
    --json, report --format json and export."""
    if status.declared is None:
        return None
    return {
        "state": status.declared,
        "date": _date(status.declared_date),
        "disagreement": status.disagreement,
    }


def goal_data(status: GoalStatus) -> dict[str, Any]:
    goal = status.goal
    return {
        "id": goal.id,
        "title": goal.title,
        "area": goal.area,
        "owner": goal.owner,
        "status": status.status,
        "score": status.score,
        "start": goal.start.isoformat() if goal.start else None,
        "due": goal.due.isoformat() if goal.due else None,
        "after": None
        if not goal.after
        else goal.after[0]
        if len(goal.after) == 1
        else list(goal.after),
        "waiting_for": list(status.waiting_for),
        "declared": declared_data(status),
        "weight": goal.weight,
        "file": goal.where.path,
        "line": goal.where.line,
        "targets": [target_data(t) for t in status.targets],
    }


def risk_data(status: RiskStatus) -> dict[str, Any]:
    risk = status.risk
    return {
        "id": risk.id,
        "title": risk.title,
        "owner": risk.owner,
        "area": risk.area,
        "when": risk.when,
        "triggered": status.triggered,
        "actions": list(risk.actions),
        "values": {
            k: json_number(v) if isinstance(v, float) else v for k, v in status.values.items()
        },
        "missing": list(status.missing),
        "file": risk.where.path,
        "line": risk.where.line,
    }


def evaluation_data(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "goals": [goal_data(g) for g in evaluation.goals],
        "areas": [{"area": a.area, "score": a.score, "counts": a.counts} for a in evaluation.areas],
        "risks": [risk_data(r) for r in evaluation.risks],
    }


def observations_data(
    metric: MetricDef, series: Series, limit: int | None = None, as_of: dt.date | None = None
) -> list[Any]:
    """Observations (the last `limit` of those on or before as_of) as JSON rows."""
    end = len(series.dates) if as_of is None else series.count_until(as_of)
    start = 0 if limit is None else max(end - limit, 0)
    return [
        {
            "date": series.dates[i].isoformat(),
            "value": metric_value(metric, series.values[i]),
            "note": series.notes[i] or None,
            "line": series.lines[i],
            "path": series.path_of(i) if series.lines[i] else None,
        }
        for i in range(start, end)
    ]


def goal_card_data(
    status: GoalStatus, ledger: Ledger, as_of: dt.date, recent: int
) -> dict[str, Any]:
    """`show --json`: the goal with its SMART texts and each target's recent values."""
    goal = status.goal
    data = goal_data(status)
    data["as_of"] = as_of.isoformat()
    data["smart"] = dict(goal.smart)
    data["review"] = dict(goal.review)
    data["tags"] = list(goal.tags)
    data["notes"] = goal.notes
    for target, target_json in zip(status.targets, data["targets"], strict=True):
        series = ledger.series.get(target.metric.id, Series())
        target_json["recent"] = observations_data(target.metric, series, recent, as_of)
        target_json["source"] = target.metric.source
    return data


def checkin_data(found: Any) -> dict[str, Any] | None:
    """A check-in (confidence.CheckinInfo) as JSON: {date, confidence, note, author}."""
    if found is None:
        return None
    return {
        "date": found.date.isoformat(),
        "confidence": found.confidence or None,
        "note": found.note or None,
        "author": found.author,
    }


def commit_data(commit: CommitInfo) -> dict[str, Any]:
    return {
        "commit": commit.sha,
        "date": commit.date.isoformat(),
        "author": commit.author,
        "message": commit.message,
    }


def observation_count(ledger: Ledger) -> int:
    """Journal rows read as observations (derived values are counted apart)."""
    return sum(len(s.dates) for m, s in ledger.series.items() if ledger.metrics[m].formula is None)


def derived_count(ledger: Ledger) -> int:
    return sum(len(s.dates) for m, s in ledger.series.items() if ledger.metrics[m].formula)


def committed_change_data(item: CommittedTargetChange) -> dict[str, Any]:
    """A target change with its commit, as `show` and `history` list them."""
    return {
        "commit": item.commit.sha,
        "author": item.commit.author,
        "date": item.commit.date.isoformat(),
        "message": item.commit.message,
        "goal": item.change.goal,
        "metric": item.change.metric.id,
        **target_change_fields(item.change),
    }


def _rate_data(rate: Rate | None) -> dict[str, Any] | None:
    if rate is None:
        return None
    return {
        "per_month": json_number(rate.per_month, 4),
        "percent_per_month": json_number(rate.percent_per_month, 4),
    }


def forecast_data(target: TargetStatus, forecast: Forecast) -> dict[str, Any]:
    """A target's forecast: `{model, actual_rate, required_rate, eta, slack_days, verdict,
    reason, points}` and more; null where a field does not apply."""
    metric = target.metric
    return {
        "model": forecast.model,
        "actual_rate": _rate_data(forecast.actual_rate),
        "required_rate": _rate_data(forecast.required_rate),
        "eta": _date(forecast.eta),
        "slack_days": forecast.slack_days,
        "verdict": forecast.verdict,
        "reason": forecast.reason,
        "points": [
            {"date": p.date.isoformat(), "value": metric_value(metric, p.value)}
            for p in forecast.points
        ],
        "model_note": forecast.model_note,
        "value_at_due": json_number(forecast.value_at_due, 4),
        "due": _date(forecast.due),
        "goal": json_number(forecast.goal),
        "held_out_errors": {model: json_number(error, 4) for model, error in forecast.errors}
        or None,
    }


# --- diffs and histories ----------------------------------------------------------------------


def rung_change_data(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    return {
        "text": rung_text(metric, rung, plain=True),
        "op": rung.op,
        "value": rung.value,
        "high": rung.high,
        "due": rung.due.isoformat() if rung.due else None,
    }


def target_change_fields(change: TargetChange) -> dict[str, Any]:
    metric = change.metric
    return {
        "change": change.change,
        "old": None if change.old is None else [rung_change_data(metric, r) for r in change.old],
        "new": None if change.new is None else [rung_change_data(metric, r) for r in change.new],
        "eased": change.eased,
        "reasons": list(change.reasons),
        **(
            {
                "old_mix": [{"part": p, "metric": m, "share": s} for p, m, s in change.old_mix],
                "new_mix": [{"part": p, "metric": m, "share": s} for p, m, s in change.new_mix],
            }
            if change.old_mix or change.new_mix
            else {}
        ),
    }
