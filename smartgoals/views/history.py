"""The `history` view: every observation of a metric, who recorded it, and its target history,
as JSON or as plain lines read from that JSON."""

from __future__ import annotations

from typing import Any, NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.cells import difference_text
from smartgoals.rendering.changes import change_value, target_change_text
from smartgoals.rendering.data import committed_change_data, metric_value
from smartgoals.rendering.plain import align
from smartgoals.revisions.history import MetricHistory


class HistoryView(NamedTuple):
    history: MetricHistory

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def history_json(view: HistoryView, display: Display) -> dict[str, Any]:
    history = view.history
    metric = history.metric
    signatures = history.signatures or {}
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
                # as git verifies it: good, bad, unknown key, none (expired, revoked...)
                "signature": signatures.get(commit.sha) if commit else None,
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


def history_lines(data: dict[str, Any], metric: MetricDef) -> list[str]:
    unit = "" if metric.unit in ("", "count") else f", {metric.unit}"
    lines = [f"{metric.name} [{metric.id}{unit}]" + ("  (derived)" if data["derived"] else "")]
    rows: list[tuple[str, ...]] = [("date", "value", "change", "recorded", "signed", "note")]
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
        value = change_value(metric, item["value"])
        signed = item.get("signature") or ""
        rows.append((item["date"], value, shown_change, who, signed, _note(item)))
    if not any(item.get("signature") for item in data["observations"]):
        rows = [row[:4] + row[5:] for row in rows]  # outside git: nothing to say
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
            lines.append(f"      {item['goal']}: {target_change_text(item)}")
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
    text = change_value(metric, size) if metric.is_stage else difference_text(metric, size)
    return ("+" if change >= 0 else "-") + text


def history_plain(view: HistoryView, display: Display) -> list[str]:
    return history_lines(history_json(view, display), view.history.metric)


FORMS: dict[type, dict[Format, Form]] = {
    HistoryView: {Format.JSON: history_json, Format.PLAIN: history_plain}
}
