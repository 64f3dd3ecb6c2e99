"""The report as plain data for --format json (and the one place its numbers are rounded for
every format). Field names are a contract: extend, never rename."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartgoals.rendering.data import _number, forecast_data, metric_value, risk_data, rung_data

if TYPE_CHECKING:
    from smartgoals.commands.report import ReportView
    from smartgoals.engine.reporting import Report, Row
    from smartgoals.vcs.objects import CommitInfo


def commit_data(commit: CommitInfo | None) -> dict[str, Any] | None:
    if commit is None:
        return None
    return {
        "commit": commit.sha,
        "date": commit.date.isoformat(),
        "author": commit.author,
        "message": commit.message,
    }


def row_data(row: Row) -> dict[str, Any]:
    target = row.target
    metric = target.metric
    return {
        "goal": row.goal.goal.id,
        "goal_title": row.goal.goal.title,
        "area": row.goal.goal.area,
        "index": row.position,
        "metric": metric.id,
        "metric_name": metric.name,
        "unit": metric.unit,
        "value": metric_value(metric, target.current),
        "value_date": target.current_date.isoformat() if target.current_date else None,
        "previous": metric_value(metric, row.previous.current) if row.previous else None,
        "previous_status": row.previous.status if row.previous else None,
        "change": _number(row.change),
        **rung_data(metric, target.rung),
        "plan": _number(target.plan),
        "variance": _number(row.variance),
        "variance_pct": _number(row.variance_pct, 2),
        "material": row.material,
        "status": target.status,
        "trend": row.trend or None,
        "explanations": [
            {"source": e.source, "date": e.date.isoformat() if e.date else None, "text": e.text}
            for e in row.explanations
        ],
        "unexplained": row.material and not row.explanations,
        "forecast": forecast_data(target, row.forecast) if row.forecast is not None else None,
    }


def report_dict(report: Report, version: str) -> dict[str, Any]:
    period = report.period
    base = report.baseline
    return {
        "kind": period.kind,
        "period": period.label,
        "first": period.first.isoformat(),
        "as_of": period.as_of.isoformat(),
        "baseline": {
            "date": base.date.isoformat(),
            "rev": base.rev,
            "commit": commit_data(base.commit),
            "note": base.note,
        },
        "headline": {
            "now": report.counts_now,
            "baseline": report.counts_before,
            "changes": [
                {"goal": m.goal, "target": m.metric, "old": m.old, "new": m.new}
                for m in report.moves
            ],
        },
        "at_risk_band": _number(report.band),
        "targets": [row_data(row) for row in report.rows],
        "notes": {"path": report.notes_path, "text": report.notes},
        "risks": [{"state": move.state, **risk_data(move.risk)} for move in report.risks],
        "calibration": {
            "reason": report.calibration_note,
            "changes": [
                {
                    "goal": c.change.goal,
                    "metric": c.change.metric.id,
                    "change": c.change.change,
                    "old": [rung_data(c.change.metric, r) for r in c.change.old or ()] or None,
                    "new": [rung_data(c.change.metric, r) for r in c.change.new or ()] or None,
                    "eased": c.change.eased,
                    "reasons": list(c.change.reasons),
                    "commit": commit_data(c.commit),
                }
                for c in report.calibration
            ],
        },
        "hygiene": {
            "stale_metrics": [
                {
                    "id": s.metric.id,
                    "name": s.metric.name,
                    "cadence": s.metric.cadence,
                    "last_value": metric_value(s.metric, s.last_value),
                    "last_date": s.last_date.isoformat() if s.last_date else None,
                }
                for s in report.stale
            ],
            "overdue_reviews": [
                {
                    "goal": r.goal.id,
                    "cadence": r.cadence,
                    "what": r.what,
                    "last_checkin": r.last_checkin.isoformat() if r.last_checkin else None,
                }
                for r in report.reviews
            ],
        },
        "rungs": None
        if report.rungs is None
        else [
            {
                "goal": r.goal,
                "metric": r.metric.id,
                **rung_data(r.metric, r.rung),
                "actual": metric_value(r.metric, r.actual),
                "actual_date": r.actual_date.isoformat() if r.actual_date else None,
                "verdict": r.verdict,
            }
            for r in report.rungs
        ],
        "version": version,
    }


def report_data(view: ReportView) -> dict[str, Any]:
    return report_dict(view.report, view.version)
