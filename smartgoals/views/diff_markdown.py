"""`diff --format md`: a reviewer's summary of what a change to the plan does, read from the
diff's JSON: goals and targets added, removed, eased (with their reason, or "no reason") and
tightened; the verdicts and forecasts the change moves; rows appended to or corrected in the
journal. GitHub-flavoured Markdown that fits a pull request comment and a job summary."""

from __future__ import annotations

import re
from typing import Any

from smartgoals.ledger.model import MetricDef
from smartgoals.rendering.changes import change_value
from smartgoals.safetext import clean

MARKER = "<!-- smartgoals diff -->"  # finds the one pull-request comment to keep up to date
CORRECTION = "correction: "
SHOWN = 50  # rows per table; the rest counted


_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape(text: str) -> str:
    """User text safe in a table cell or list item: control characters shown, Markdown
    punctuation and `|` backslash-escaped, `<` and `&` as entities (no HTML gets through).
    `>` stays: no line of the summary starts with user text, so it never opens a quote."""
    text = clean(text).replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text)


def status_words(word: str | None) -> str:
    return "-" if word is None else word.replace("_", " ")


def eta_text(day: str | None) -> str:
    """An ETA to the month, as a reviewer reads it (`2027-05`); `none` when there is none."""
    return "none" if day is None else day[:7]


def moved_text(item: dict[str, Any]) -> str:
    """`mrr: on track -> at risk; ETA 2027-02 -> 2027-05`: the parts that moved."""
    parts = []
    if item["old"] != item["new"]:
        parts.append(f"{status_words(item['old'])} -> {status_words(item['new'])}")
    if eta_text(item["old_eta"]) != eta_text(item["new_eta"]):
        parts.append(f"ETA {eta_text(item['old_eta'])} -> {eta_text(item['new_eta'])}")
    if not parts:
        parts.append(f"{status_words(item['new'])} (unchanged)")
    return f"{item['metric']}: {'; '.join(parts)}"


def _rungs(rungs: list[dict[str, Any]] | None) -> str:
    return "; ".join(r["text"] for r in rungs) if rungs else "-"


def _kind(change: dict[str, Any]) -> str:
    if change["change"] != "changed":
        return str(change["change"])
    return {True: "eased", False: "tightened"}.get(change["eased"], "changed")


def _cell(text: str) -> str:
    return escape(text)


def _rows(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(":--" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows[:SHOWN]]
    if len(rows) > SHOWN:
        lines += ["", f"... and {len(rows) - SHOWN} more."]
    return lines


def _headline(data: dict[str, Any]) -> list[str]:
    counts = {"added": 0, "removed": 0, "eased": 0, "tightened": 0, "changed": 0}
    for change in data["targets"]:
        counts[_kind(change)] += 1
    said = [f"{n} target(s) {kind}" for kind, n in counts.items() if n]
    goals = data["goals"]
    said[:0] = [f"{len(goals[k])} goal(s) {k}" for k in ("added", "removed") if goals[k]]
    moved = [m for m in data["forecasts"] if m["old"] != m["new"]]
    if moved:
        said.append(f"{len(moved)} verdict(s) moved")
    appended = sum(len(o["added"]) for o in data["observations"])
    if appended:
        said.append(f"{appended} journal row(s) added")
    return [", ".join(said) + "." if said else "No differences."]


def _goals(data: dict[str, Any]) -> list[str]:
    goals = data["goals"]
    if not any(goals.values()):
        return []
    lines = ["", "### Goals", ""]
    lines += [f"- added `{escape(g['id'])}`: {escape(g['title'])}" for g in goals["added"]]
    lines += [f"- removed `{escape(g['id'])}`: {escape(g['title'])}" for g in goals["removed"]]
    lines += [f"- renamed `{escape(r['from'])}` -> `{escape(r['to'])}`" for r in goals["renamed"]]
    return lines


def _targets(data: dict[str, Any]) -> list[str]:
    if not data["targets"]:
        return []
    rows = []
    for change in data["targets"]:
        kind = _kind(change)
        reasons = "; ".join(change["reasons"])
        if kind == "eased" and not reasons:
            reasons = "**no reason**"
        where = change.get("where")
        place = f"{where['path']}:{where['line']}" if where else ""
        before, after = _rungs(change["old"]), _rungs(change["new"])
        rows.append([change["goal"], change["metric"], kind, before, after, reasons, place])
    lines = _rows(["Goal", "Metric", "Change", "Before", "After", "Reason", "Where"], rows)
    # "**no reason**" is our own emphasis, not user text: let it through the escaping
    lines = [line.replace(r"\*\*no reason\*\*", "**no reason**") for line in lines]
    return ["", "### Targets", "", *lines]


def _moves(data: dict[str, Any]) -> list[str]:
    moved = data["forecasts"]
    if not moved:
        return []
    lines = ["", f"### Verdicts and forecasts at {data['as_of']}", ""]
    for item in moved:
        lines.append(f"- `{escape(item['goal'])}` {escape(moved_text(item))}")
    return lines


def _journal(data: dict[str, Any], metrics: dict[str, MetricDef]) -> list[str]:
    rows = []
    for item in data["observations"]:
        if not (item["added"] or item["removed"]):
            continue
        metric = metrics.get(item["metric"])
        changed_dates = {r["date"] for r in item["removed"]}
        corrected = [
            r
            for r in item["added"]
            if r["date"] in changed_dates or str(r["note"] or "").startswith(CORRECTION)
        ]
        appended = len(item["added"]) - len(corrected)
        removed = len(
            [r for r in item["removed"] if r["date"] not in {c["date"] for c in corrected}]
        )
        old, new = item["current"]["old"], item["current"]["new"]
        current = f"{change_value(metric, old)} -> {change_value(metric, new)}"
        rows.append([item["metric"], str(appended), str(len(corrected)), str(removed), current])
    if not rows:
        return []
    table = _rows(["Metric", "Appended", "Corrected", "Removed", "Current"], rows)
    return ["", "### Journal", "", *table]


def diff_markdown_text(data: dict[str, Any], metrics: dict[str, MetricDef]) -> str:
    """The review summary, opened by the marker the Action finds its comment by."""
    head = f"## Goal changes: {escape(data['a']['label'])} -> {escape(data['b']['label'])}"
    lines = [MARKER, head, ""]
    unreasoned = [c for c in data["targets"] if _kind(c) == "eased" and not c["reasons"]]
    if unreasoned:
        lines += [f"> **{len(unreasoned)} target(s) eased without a reason.** Add `reason:` to"]
        lines += ["> the target or its rung, saying why the plan asks for less.", ""]
    lines += _headline(data)
    lines += _goals(data) + _targets(data) + _moves(data) + _journal(data, metrics)
    lines += ["", f"<sub>Both sides judged as of {data['as_of']} by smartgoals diff.</sub>"]
    return "\n".join(lines) + "\n"
