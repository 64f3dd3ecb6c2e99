"""Target changes as people read them, from their JSON (rendering/data.py): shared by the
`diff`, `history` and `show` views."""

from __future__ import annotations

from typing import Any

from smartgoals.ledger.model import MetricDef
from smartgoals.quantity import format_number
from smartgoals.rendering.cells import value_text


def change_value(metric: MetricDef | None, value: Any) -> str:
    """A value from a change's JSON in the metric's unit; "-" for none."""
    if value is None:
        return "-"
    if isinstance(value, str) or metric is None:
        return str(value)
    return value_text(metric, float(value))


def _rungs(rungs: list[dict[str, Any]] | None, mix: list[dict[str, Any]] | None = None) -> str:
    """The rungs' texts; a mix's planned shares after them (`<= 5pp: web 40%, mobile 55%`)."""
    text = "; ".join(r["text"] for r in rungs) if rungs else "-"
    if mix:
        text += ": " + ", ".join(f"{p['part']} {format_number(p['share'])}%" for p in mix)
    return text


def target_change_text(change: dict[str, Any]) -> str:
    """`+ >= 10`, `- >= 10` or `>= 10 -> >= 8  (eased)  reason: ...`."""
    eased = change.get("eased")
    flag = "  (eased)" if eased is True else "  (tightened)" if eased is False else ""
    flag += "".join(f"  reason: {text}" for text in change.get("reasons") or ())
    if change["change"] == "added":
        return f"+ {_rungs(change['new'], change.get('new_mix'))}"
    if change["change"] == "removed":
        return f"- {_rungs(change['old'], change.get('old_mix'))}"
    old = _rungs(change["old"], change.get("old_mix"))
    return f"{old} -> {_rungs(change['new'], change.get('new_mix'))}{flag}"


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
        lines.append(f"      {item['goal']} {item['metric']}: {target_change_text(item)}")
    return lines
