"""The `report` view: the period against its baseline, as JSON (the one place its numbers are
rounded for every format; field names are a contract: extend, never rename), Markdown
(views/report_markdown.py), one self-contained HTML page (views/report_html.py), or for a
terminal (views/report_terminal.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.reporting import Report
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.data import (
    declared_data,
    forecast_data,
    json_number,
    judgement_data,
    metric_value,
    risk_data,
    rung_data,
)
from smartgoals.views.tree import tree_json, tree_view

if TYPE_CHECKING:
    from smartgoals.engine.reporting import Row
    from smartgoals.vcs.objects import CommitInfo


class ReportView(NamedTuple):
    report: Report
    problems: tuple[Problem, ...]
    version: str
    headline: tuple[str, ...] = ()  # the metric ids smartgoals.yaml's headline: names
    charts: str = "default"  # default (headline and exceptions), all or none

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def commit_data(commit: CommitInfo | None) -> dict[str, Any] | None:
    if commit is None:
        return None
    return {
        "commit": commit.sha,
        "date": commit.date.isoformat(),
        "author": commit.author,
        "message": commit.message,
    }


def grades_data(report: Report) -> dict[str, Any] | None:
    """A closed period's goal grades in force; None when the period is not closed."""
    if not report.grades:
        return None
    goals = [
        {
            "goal": g.goal,
            "status": g.status,
            "computed_score": g.computed_score,
            "computed_grade": g.computed_grade,
            "grade": g.grade,
            "note": g.note,
            "reason": g.reason,
            "closed_on": g.closed_on.isoformat(),
        }
        for g in report.grades
    ]
    return {"path": report.grades_path, "goals": goals}


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
        "change": json_number(row.change),
        **rung_data(metric, target.rung),
        "plan": metric_value(metric, target.plan),  # a stage plan by name, as status --json
        "variance": json_number(row.variance),
        "variance_pct": json_number(row.variance_pct, 2),
        "material": row.material,
        "status": target.status,
        "progress": json_number(target.progress, 4),
        **judgement_data(target),  # the record's own: the same in every view
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
        "at_risk_band": json_number(report.band),
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
        "grades": grades_data(report),
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
        **alignment_data(report),
        "version": version,
    }


def alignment_data(report: Report) -> dict[str, Any]:
    """The goals' declared states (as status --json has them, with the computed status) and
    their tree (as tree --json has it; None without contributes_to:)."""
    found = report.alignment
    return {
        "declared": [
            {"goal": goal.goal.id, "status": goal.status, **(declared_data(goal) or {})}
            for goal in report.now.goals
            if goal.declared is not None
        ],
        "alignment": None
        if found is None
        else tree_json(tree_view(report.period.as_of, found), Display()),
    }


def report_json(view: ReportView, display: Display) -> dict[str, Any]:
    return report_dict(view.report, view.version)


def report_md(view: ReportView, display: Display) -> str:
    # each format's module loads only when that format is asked for
    from smartgoals.views.report_markdown import report_markdown

    return report_markdown(view.report, view.version, view.headline)


def report_html(view: ReportView, display: Display) -> str:
    from smartgoals.views.report_html import report_html

    return report_html(view.report, view.version, view.headline, view.charts)


def report_plain(view: ReportView, display: Display) -> list[str]:
    """In a terminal without colour: the Markdown read back for the terminal (report_terminal)."""
    from smartgoals.views.report_markdown import report_markdown
    from smartgoals.views.report_terminal import report_plain

    markdown = report_markdown(view.report, view.version, view.headline, text_tree=True)
    return report_plain(markdown, display)


def report_painted(view: ReportView, display: Display) -> Any:
    from smartgoals.views.report_markdown import report_markdown
    from smartgoals.views.report_terminal import report_painted

    markdown = report_markdown(view.report, view.version, view.headline, text_tree=True)
    return report_painted(markdown, display)


FORMS: dict[type, dict[Format, Form]] = {
    ReportView: {
        Format.JSON: report_json,
        Format.MARKDOWN: report_md,
        Format.HTML: report_html,
        Format.PLAIN: report_plain,
        Format.RICH: report_painted,
    }
}
