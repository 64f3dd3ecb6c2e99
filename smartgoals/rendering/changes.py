"""Diffs and histories -> lines of text for people (the data itself is the --json output)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from smartgoals.ledger.model import MetricDef
from smartgoals.rendering.cells import difference_text, value_text

if TYPE_CHECKING:
    from smartgoals.commands.diff import DiffView
    from smartgoals.commands.history import HistoryView


def _value(metric: MetricDef | None, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str) or metric is None:
        return str(value)
    return value_text(metric, float(value))


def _rungs(rungs: list[dict[str, Any]] | None) -> str:
    return "; ".join(r["text"] for r in rungs) if rungs else "-"


def _target_change(change: dict[str, Any]) -> str:
    eased = change.get("eased")
    flag = "  (eased)" if eased is True else "  (tightened)" if eased is False else ""
    flag += "".join(f"  reason: {text}" for text in change.get("reasons") or ())
    if change["change"] == "added":
        return f"+ {_rungs(change['new'])}"
    if change["change"] == "removed":
        return f"- {_rungs(change['old'])}"
    return f"{_rungs(change['old'])} -> {_rungs(change['new'])}{flag}"


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
            lines.append(f"  {change['goal']}  {change['metric']}: {_target_change(change)}")
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
                f"{_value(metric, old)} -> {_value(metric, new)}"
            )
            for row in item["added"][-3:]:
                note = f"  {row['note']}" if row["note"] else ""
                lines.append(f"      + {row['date']}  {_value(metric, row['value'])}{note}")
            for row in item["removed"][-3:]:
                lines.append(f"      - {row['date']}  {_value(metric, row['value'])}")
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


def history_lines(data: dict[str, Any], metric: MetricDef) -> list[str]:
    unit = "" if metric.unit in ("", "count") else f", {metric.unit}"
    lines = [f"{metric.name} [{metric.id}{unit}]" + ("  (derived)" if data["derived"] else "")]
    rows = [("date", "value", "change", "recorded", "note")]
    for item in data["observations"]:
        change = item["change"]
        shown_change = "" if change is None else _signed(metric, change)
        if item["committed"] is None:
            who = ""
        elif item["committed"]:
            when = item["recorded_at"][:10]
            who = f"{item['author']} {item['commit'][:10]} {when}"
        else:
            who = "not committed yet"
        rows.append((item["date"], _value(metric, item["value"]), shown_change, who, _note(item)))
    from smartgoals.rendering.plain import align

    lines += ["  " + line for line in align(rows, right={1, 2})]
    if not data["observations"]:
        lines.append("  no observations")
    if data["reason"]:
        lines += ["", f"Authors and target history are missing: {data['reason']}"]
    elif data["targets"]:
        lines += ["", "Target history"]
        last = None
        for item in data["targets"]:
            if item["commit"] != last:
                last = item["commit"]
                head = f"{item['commit'][:10]}  {item['date'][:10]}  {item['author']}"
                lines.append(f"  {head}  {item['message']}")
            lines.append(f"      {item['goal']}: {_target_change(item)}")
    else:
        lines += ["", "Target history: no commit changed a target of this metric."]
    return lines


def _note(item: dict[str, Any]) -> str:
    """An observation's note; a correction's as "corrected $7,400 -> $7,450 by Ada; refund"."""
    note = str(item["note"] or "")
    if not note.startswith("correction: "):
        return note
    change, sep, rest = note.removeprefix("correction: ").partition("; ")
    by = f" by {item['author']}" if item.get("committed") and item.get("author") else ""
    return f"corrected {change}{by}{sep}{rest}"


def _signed(metric: MetricDef, change: float) -> str:
    """A change in the metric's unit: percentage points for a percent (`+0.6 pp`)."""
    size = abs(change)
    text = _value(metric, size) if metric.is_stage else difference_text(metric, size)
    return ("+" if change >= 0 else "-") + text


def goal_history_lines(history: list[dict[str, Any]], missing: str | None) -> list[str]:
    """`show`: each commit that changed the goal's targets."""
    if missing:
        return ["", f"Target history is missing: {missing}"]
    if not history:
        return ["", "Target history: no commit changed this goal's targets."]
    lines = ["", "Target history"]
    last = None
    for item in history:
        if item["commit"] != last:
            last = item["commit"]
            head = f"{item['commit'][:10]}  {item['date'][:10]}  {item['author']}"
            lines.append(f"  {head}  {item['message']}")
        lines.append(f"      {item['goal']} {item['metric']}: {_target_change(item)}")
    return lines


def diff_view_lines(view: DiffView) -> list[str]:
    from smartgoals.rendering.data import diff_view_data

    return diff_lines(diff_view_data(view), view.metrics)


def history_view_lines(view: HistoryView) -> list[str]:
    from smartgoals.rendering.data import history_view_data

    return history_lines(history_view_data(view), view.history.metric)
