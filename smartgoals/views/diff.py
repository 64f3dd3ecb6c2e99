"""The `diff` view: what a change did between two revisions (or a revision and the working
tree), as JSON, as plain lines read from that JSON, as a reviewer's Markdown summary
(diff_markdown.py), or as GitHub workflow commands on the lines of eased targets."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.engine.compare import Diff, ObservationChange, TargetChange
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef, Where
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.annotations import workflow_command
from smartgoals.rendering.changes import change_value, target_change_text
from smartgoals.rendering.data import metric_value, target_change_fields
from smartgoals.vcs.objects import CommitInfo


class Side(NamedTuple):
    rev: str | None  # None: the working tree
    commit: CommitInfo | None

    @property
    def label(self) -> str:
        if self.commit is None:
            return "working tree"
        return f"{self.rev} ({self.commit.short})"


class Moved(NamedTuple):
    """A target on both sides whose verdict or forecast the change moves."""

    goal: str
    metric: str
    old: str  # status words
    new: str
    old_eta: dt.date | None
    new_eta: dt.date | None
    old_verdict: str  # the forecast's: will_make, wont_make, reached or unknown
    new_verdict: str


class DiffView(NamedTuple):
    a: Side
    b: Side
    as_of: dt.date
    diff: Diff
    metrics: dict[str, MetricDef]  # both sides' metrics, for formatting values
    exit_on_change: bool = False
    require_reason: bool = False  # --require-reason: an eased target needs a new reason:
    moved: tuple[Moved, ...] = ()  # verdicts and forecasts moved (md and json only)
    places: tuple[Where | None, ...] = ()  # where each of diff.targets is, on side b
    github: bool = False  # --format github: eased targets as workflow commands first
    prefix: str = ""  # the ledger root inside the repository, for annotations

    @property
    def unreasoned(self) -> tuple[TargetChange, ...]:
        """Targets eased without a `reason:` added or changed on them or their rungs."""
        return tuple(t for t in self.diff.targets if t.eased is True and not t.reasons)

    @property
    def exit_code(self) -> int:
        if self.require_reason and self.unreasoned:
            return EXIT_INVALID
        return EXIT_INVALID if self.exit_on_change and self.diff.changed else EXIT_OK


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


def _place(view: DiffView, index: int) -> dict[str, Any] | None:
    where = view.places[index] if index < len(view.places) else None
    if where is None or not where.path:
        return None
    return {"path": where.path, "line": where.line or None}


def _moved_data(item: Moved) -> dict[str, Any]:
    return {
        **item._asdict(),
        "old_eta": item.old_eta.isoformat() if item.old_eta else None,
        "new_eta": item.new_eta.isoformat() if item.new_eta else None,
    }


def diff_json(view: DiffView, display: Display) -> dict[str, Any]:
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
            {
                "goal": t.goal,
                "metric": t.metric.id,
                **target_change_fields(t),
                "where": _place(view, index),
            }
            for index, t in enumerate(d.targets)
        ],
        "observations": [_observation_change_data(o) for o in d.observations],
        "statuses": [
            {"goal": s.goal, "target": s.target, "old": s.old, "new": s.new} for s in d.statuses
        ],
        "forecasts": [_moved_data(m) for m in view.moved],
        "changed": d.changed,
    }


def diff_lines(data: dict[str, Any], metrics: dict[str, MetricDef]) -> list[str]:
    head = f"diff {data['a']['label']} -> {data['b']['label']}, both judged as of {data['as_of']}"
    lines = [head]
    goals, metric_changes = data["goals"], data["metrics"]
    if any(goals.values()):
        lines += ["", "Goals"]
        lines += [f"  + {g['id']}  {g['title']}" for g in goals["added"]]
        lines += [f"  - {g['id']}  {g['title']}" for g in goals["removed"]]
        lines += [f"  ~ {r['from']} -> {r['to']}  (renamed)" for r in goals["renamed"]]
    if any(metric_changes.values()):
        lines += ["", "Metrics"]
        lines += [f"  + {m}" for m in metric_changes["added"]]
        lines += [f"  - {m}" for m in metric_changes["removed"]]
        lines += [f"  ~ {r['from']} -> {r['to']}  (renamed)" for r in metric_changes["renamed"]]
    if data["targets"]:
        lines += ["", "Targets"]
        for change in data["targets"]:
            lines.append(f"  {change['goal']}  {change['metric']}: {target_change_text(change)}")
    observations = [o for o in data["observations"] if o["added"] or o["removed"]]
    if observations:
        lines += ["", "Observations"]
        for item in observations:
            metric = metrics.get(item["metric"])
            old, new = item["current"]["old"], item["current"]["new"]
            counts = []
            if item["added"]:
                counts.append(f"+{len(item['added'])}")
            if item["removed"]:
                counts.append(f"-{len(item['removed'])}")
            lines.append(
                f"  {item['metric']}  {' '.join(counts)} row(s); current "
                f"{change_value(metric, old)} -> {change_value(metric, new)}"
            )
            for row in item["added"][-3:]:
                note = f"  {row['note']}" if row["note"] else ""
                lines.append(f"      + {row['date']}  {change_value(metric, row['value'])}{note}")
            for row in item["removed"][-3:]:
                lines.append(f"      - {row['date']}  {change_value(metric, row['value'])}")
    if data["statuses"]:
        lines += ["", "Status"]
        width = max(len(_who(s)) for s in data["statuses"])
        for item in data["statuses"]:
            old, new = item["old"], item["new"]
            arrow = f"{old} -> {new}" if old != new else f"{old} (unchanged)"
            lines.append(f"  {_who(item).ljust(width)}  {arrow}")
    if not data["changed"]:
        lines += ["", "No differences."]
    return lines


def _who(item: dict[str, Any]) -> str:
    return item["goal"] if item["target"] is None else f"{item['goal']} / {item['target']}"


def eased_annotations(view: DiffView) -> list[str]:
    """`::error file=...,line=...::` on each target eased without a reason (a warning when
    --require-reason is off), at its line on side b."""
    kind = "error" if view.require_reason else "warning"
    found = []
    for index, change in enumerate(view.diff.targets):
        if change.eased is not True or change.reasons:
            continue
        where = view.places[index] if index < len(view.places) else None
        message = (
            f"{change.goal} / {change.metric.id} was eased without a reason "
            "(add reason: to the target or the rung)"
        )
        problem = Problem(where.path if where else "", where.line if where else 0, 0, message)
        found.append(workflow_command(kind, problem, view.prefix, "smartgoals diff"))
    return found


def diff_plain(view: DiffView, display: Display) -> list[str]:
    lines = diff_lines(diff_json(view, display), view.metrics)
    return [*eased_annotations(view), *lines] if view.github else lines


def diff_markdown(view: DiffView, display: Display) -> str:
    from smartgoals.views.diff_markdown import diff_markdown_text

    return diff_markdown_text(diff_json(view, display), view.metrics)


FORMS: dict[type, dict[Format, Form]] = {
    DiffView: {Format.JSON: diff_json, Format.PLAIN: diff_plain, Format.MARKDOWN: diff_markdown}
}
