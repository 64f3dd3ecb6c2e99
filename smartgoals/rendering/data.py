"""Views -> plain data for --json: every dictionary that becomes JSON is built here. The field
names are a contract: extend, never rename."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from smartgoals.engine.evaluation import Evaluation, GoalStatus, RiskStatus, TargetStatus
from smartgoals.ledger.model import Ledger, MetricDef, Rung, Series

if TYPE_CHECKING:
    from smartgoals.commands.check import CheckView
    from smartgoals.commands.diff import DiffView
    from smartgoals.commands.due import DueView
    from smartgoals.commands.explain import ExplainView
    from smartgoals.commands.history import HistoryView
    from smartgoals.commands.metrics import MetricsView
    from smartgoals.commands.risks import RisksView
    from smartgoals.commands.show import ShowView
    from smartgoals.commands.status import StatusView
    from smartgoals.engine.compare import ObservationChange, TargetChange
    from smartgoals.engine.explanation import Step
    from smartgoals.engine.forecast import Forecast, Rate
    from smartgoals.revisions.history import CommittedTargetChange
    from smartgoals.vcs.objects import CommitInfo


def _number(value: float | None, digits: int = 6) -> float | int | None:
    if value is None:
        return None
    rounded = round(value, digits)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 2**53 else rounded


def metric_value(metric: MetricDef, value: float | None) -> float | int | str | None:
    """A value as JSON: a stage's name, or a number."""
    if metric.is_stage:
        return metric.stage_name(value)
    return _number(value)


def rung_data(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    return {
        "target": metric_value(metric, rung.value),
        "target_high": _number(rung.high),
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
        "progress": _number(status.progress, 4),
        "expected": _number(status.expected, 4),
        "left": _number(status.left),
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
    }


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


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
        "values": {k: _number(v) if isinstance(v, float) else v for k, v in status.values.items()},
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


def status_data(view: StatusView) -> dict[str, Any]:
    data = evaluation_data(view.evaluation)
    for goal, goal_json in zip(view.evaluation.goals, data["goals"], strict=True):
        for index, (target, target_json) in enumerate(
            zip(goal.targets, goal_json["targets"], strict=True)
        ):
            found = view.forecasts.get((goal.goal.id, index))
            target_json["forecast"] = None if found is None else forecast_data(target, found)
    for goal in data["goals"]:
        goal["checkin"] = checkin_data(view.checkins.get(goal["id"]))
    if view.commit is not None:
        data["rev"] = {"rev": view.rev, **commit_data(view.commit)}
    return data


def commit_data(commit: CommitInfo) -> dict[str, Any]:
    return {
        "commit": commit.sha,
        "date": commit.date.isoformat(),
        "author": commit.author,
        "message": commit.message,
    }


def risks_data(view: RisksView) -> dict[str, Any]:
    return {"as_of": view.as_of.isoformat(), "risks": [risk_data(r) for r in view.risks]}


def check_data(view: CheckView) -> dict[str, Any]:
    ledger = view.ledger
    return {
        "ok": not ledger.problems,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "field": p.field or None,
                "message": p.message,
            }
            for p in ledger.problems
        ],
        "goals": len(ledger.goals),
        "metrics": len(ledger.metrics),
        "observations": observation_count(ledger),
        "derived_values": derived_count(ledger),
        "warnings": list(view.warnings),
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
        "per_month": _number(rate.per_month, 4),
        "percent_per_month": _number(rate.percent_per_month, 4),
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
        "value_at_due": _number(forecast.value_at_due, 4),
        "due": _date(forecast.due),
        "goal": _number(forecast.goal),
        "held_out_errors": {model: _number(error, 4) for model, error in forecast.errors} or None,
    }


def show_data(view: ShowView) -> dict[str, Any]:
    data = goal_card_data(view.goal, view.ledger, view.as_of, view.recent)
    for target, found, target_json in zip(
        view.goal.targets, view.forecasts, data["targets"], strict=True
    ):
        target_json["forecast"] = forecast_data(target, found)
    data["history"] = [committed_change_data(c) for c in view.history]
    data["history_missing"] = view.history_missing
    data["checkins"] = [checkin_data(one) for one in view.checkins]
    return data


# --- diffs and histories ----------------------------------------------------------------------


def rung_change_data(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    from smartgoals.rendering.cells import rung_text

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
    }


def _row_data(metric: MetricDef, row: tuple[dt.date, float, str]) -> dict[str, Any]:
    return {
        "date": row[0].isoformat(),
        "value": metric_value(metric, row[1]),
        "note": row[2] or None,
    }


def _observation_change_data(item: ObservationChange) -> dict[str, Any]:
    metric = item.metric
    return {
        "metric": metric.id,
        "added": [_row_data(metric, r) for r in item.added],
        "removed": [_row_data(metric, r) for r in item.removed],
        "current": {
            "old": metric_value(metric, item.current_old),
            "new": metric_value(metric, item.current_new),
        },
    }


def diff_view_data(view: DiffView) -> dict[str, Any]:
    d = view.diff
    return {
        "a": {
            "rev": view.a.rev,
            "commit": view.a.commit.sha if view.a.commit else None,
            "label": view.a.label,
        },
        "b": {
            "rev": view.b.rev,
            "commit": view.b.commit.sha if view.b.commit else None,
            "label": view.b.label,
        },
        "as_of": view.as_of.isoformat(),
        "goals": {
            "added": [{"id": g.id, "title": g.title} for g in d.goals_added],
            "removed": [{"id": g.id, "title": g.title} for g in d.goals_removed],
            "renamed": [{"from": r.old, "to": r.new} for r in d.goals_renamed],
        },
        "metrics": {
            "added": list(d.metrics_added),
            "removed": list(d.metrics_removed),
            "renamed": [{"from": r.old, "to": r.new} for r in d.metrics_renamed],
        },
        "targets": [
            {"goal": t.goal, "metric": t.metric.id, **target_change_fields(t)} for t in d.targets
        ],
        "observations": [_observation_change_data(o) for o in d.observations],
        "statuses": [
            {"goal": s.goal, "target": s.target, "old": s.old, "new": s.new} for s in d.statuses
        ],
        "changed": d.changed,
    }


def history_view_data(view: HistoryView) -> dict[str, Any]:
    history = view.history
    metric = history.metric
    observations = []
    for row in history.rows:
        commit = row.commit
        observations.append(
            {
                "date": row.date.isoformat(),
                "value": metric_value(metric, row.value),
                "change": None if row.change is None else metric_value(metric, row.change),
                "note": row.note or None,
                "line": row.line or None,
                "path": row.path if row.line else None,
                "committed": row.committed,
                "commit": commit.sha if commit else None,
                "author": commit.author if commit else None,
                "recorded_at": commit.date.isoformat() if commit else None,
            }
        )
    return {
        "metric": metric.id,
        "name": metric.name,
        "unit": metric.unit,
        "derived": metric.formula is not None,
        "observations": observations,
        "targets": [
            {k: v for k, v in committed_change_data(c).items() if k != "metric"}
            for c in history.targets
        ],
        "git": history.reason is None,
        "reason": history.reason,
    }


def metrics_data(view: MetricsView) -> dict[str, Any]:
    """`metrics --json`: {"metrics": [{id, name, unit, type, cadence, direction, derived,
    latest, date}]}; a stage metric's latest value is its stage name."""
    items = []
    for item in view.metrics:
        metric = item.metric
        latest: float | str | None = item.latest
        if metric.is_stage and item.latest is not None:
            latest = metric.stage_name(item.latest)
        items.append(
            {
                "id": metric.id,
                "name": metric.name,
                "unit": metric.unit,
                "type": "stage" if metric.is_stage else "number",
                "cadence": metric.cadence,
                "direction": metric.direction,
                "derived": metric.formula is not None,
                "latest": latest,
                "date": item.date.isoformat() if item.date else None,
                "source": metric.source,
            }
        )
    return {"metrics": items}


def _steps_data(steps: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [{"step": s.name, "text": s.text, "data": s.data} for s in steps]


def explain_data(view: ExplainView) -> dict[str, Any]:
    """`explain --json`: the same steps as data, in the same order."""
    return {
        "as_of": view.as_of.isoformat(),
        "goal": view.goal,
        "title": view.title,
        "status": view.status,
        "steps": _steps_data(view.steps),
        "targets": [
            {
                "metric": t.metric,
                "metric_name": t.metric_name,
                "index": t.position,
                "status": t.status,
                "steps": _steps_data(t.steps),
            }
            for t in view.targets
        ],
    }


def due_data(view: DueView) -> dict[str, Any]:
    found = view.due
    return {
        "as_of": view.as_of.isoformat(),
        "within": view.within,
        "due": view.anything,
        "last_checkin": _date(found.last_checkin),
        "metrics": [
            {
                "id": item.metric.id,
                "name": item.metric.name,
                "cadence": item.metric.cadence,
                "last_value": metric_value(item.metric, item.last_value),
                "last_date": _date(item.last_date),
                "due": _date(item.due),
                "overdue": item.overdue,
            }
            for item in found.metrics
        ],
        "reviews": [
            {
                "goal": item.goal.id,
                "title": item.goal.title,
                "cadence": item.cadence,
                "what": item.what,
                "due": _date(item.due),
                "last_checkin": _date(item.last_checkin),
                "overdue": item.overdue,
            }
            for item in found.reviews
        ],
        "risks": [risk_data(risk) for risk in found.risks],
    }
