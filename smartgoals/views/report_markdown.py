"""The report as GitHub-flavoured Markdown: the one-page summary, the exceptions, every target
grouped by goal; GFM tables with numbers right-aligned, `|` and HTML escaped in every cell, the
status as a word in every row, `<details>` per goal; under 1 MB."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from smartgoals.rendering import Display
from smartgoals.rendering.cells import value_text
from smartgoals.safetext import clean
from smartgoals.views import report_common as common
from smartgoals.views.tree import UNALIGNED, UNSUPPORTED, goal_label, tree_mermaid, tree_view

if TYPE_CHECKING:
    from smartgoals.engine.alignment import Node
    from smartgoals.engine.reporting import Report

MAX_BYTES = 1_000_000
RECENT = 5  # observations listed per target in a goal's details
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")


def escape(text: str) -> str:
    """User text safe in a Markdown table cell or list item: control characters shown, never
    obeyed; Markdown punctuation and `|` backslash-escaped; HTML written as entities."""
    text = clean(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool]
) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("--:" if n else ":--" for n in numeric) + "|")
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return lines


def _summary(report: Report, headline: Sequence[str]) -> list[str]:
    """The first page: the period and its basis, the headline metrics, goals by status, what
    changed and why, the risks that fire with their actions, what needs a decision."""
    period = report.period
    lines = [
        f"From {period.first.isoformat()} to {period.as_of.isoformat()}, compared with "
        f"{escape(report.baseline.note)}.",
        "",
        "## Headline metrics",
        "",
    ]
    rows = [common.headline_cells(row) for row in common.headline_rows(report, headline)]
    lines += table(common.HEADLINE_HEADER, rows, common.HEADLINE_NUMERIC) if rows else ["-"]
    lines += ["", "## Goals by status", ""]
    for status, goals in common.goals_by_status(report):
        titles = ", ".join(escape(g.goal.title) for g in goals)
        lines.append(f"- **{common.word(status)}** ({len(goals)}): {titles}")
    lines += ["", "## What changed since the last period", ""]
    changes = common.changes(report)
    lines += [f"- {escape(what)}" + (f": *{escape(why)}*" if why else "") for what, why in changes]
    if not changes:
        lines.append("No goal or target changed status.")
    lines += ["", "## Risks that fire", ""]
    firing = [m for m in report.risks if m.state != "cleared"]
    for move in firing:
        detail = escape(common.risk_detail(report, move))
        lines.append(f"- **{escape(common.risk_line(move))}** {detail}")
    if not firing:
        lines.append("None.")
    lines += ["", "## Needs a decision", ""]
    decisions = common.decisions(report)
    lines += [f"- {escape(d)}" for d in decisions]
    if not decisions:
        lines.append("Nothing: every material variance is explained and no target was eased.")
    return lines


def _exceptions(report: Report) -> list[str]:
    lines = ["## Exceptions", ""]
    rows = [common.exception_cells(row) for row in common.exception_rows(report)]
    if not rows:
        return [*lines, "No target is off track, at risk, breached, missed or about to miss."]
    return lines + table(common.EXCEPTION_HEADER, rows, common.EXCEPTION_NUMERIC)


def _kpis(report: Report) -> list[str]:
    """Every target, grouped by goal: the goal (and its status) in a heading row."""
    lines = ["## All targets by goal", ""]
    if not report.rows:
        return [*lines, "No targets."]
    header = common.KPI_HEADER
    lines += table(header, [], common.KPI_NUMERIC)
    for goal_id in dict.fromkeys(row.goal.goal.id for row in report.rows):
        rows = [row for row in report.rows if row.goal.goal.id == goal_id]
        goal = rows[0].goal
        heading = f"{goal.goal.title}: {common.word(goal.status)}"
        lines.append(f"| **{escape(heading)}** |" + " |" * (len(header) - 1))
        lines += table(header, [common.kpi_cells(row) for row in rows], common.KPI_NUMERIC)[2:]
    return lines


def _mixes(report: Report) -> list[str]:
    """The mixes in one small table: a row per mix, its parts' actual and planned shares."""
    rows = common.mix_rows(report)
    if not rows:
        return []
    cells = [common.mix_cells(row) for row in rows]
    return ["## Mixes", "", *table(common.MIX_HEADER, cells, common.MIX_NUMERIC)]


def _variances(report: Report) -> list[str]:
    band = f"{report.band * 100:g}%"
    lines = [
        "## Variance explanations",
        "",
        f"A variance is material when it is more than the at-risk band ({band} of the "
        "distance from baseline to target) from plan.",
        "",
    ]
    explained = [row for row in report.rows if row.explanations]
    for row in explained:
        head = escape(common.name(row))
        if row.variance is not None:
            head += f": {escape(common.variance_line(row))}"
        lines.append(f"- **{head}**")
        for one in row.explanations:
            when = f"{one.date.isoformat()} " if one.date else ""
            text = " ".join(one.text.split())
            lines.append(f"  - {when}{one.source}: {escape(text)}")
    unexplained = [row for row in report.rows if row.material and not row.explanations]
    if unexplained:
        lines += ["", f"**Unexplained** (write about these in `{report.notes_path}`):", ""]
        for row in unexplained:
            lines.append(
                f"- unexplained: {escape(common.name(row))}: {escape(common.variance_line(row))}"
            )
    elif not explained:
        lines.append("No material variance.")
    if report.notes:
        lines += ["", f"### From `{report.notes_path}`", ""]
        lines += [
            f"> {escape(line)}" if line.strip() else ">" for line in report.notes.splitlines()
        ]
    return lines


def _risks(report: Report) -> list[str]:
    lines = ["## Risks", ""]
    if not report.risks:
        return [*lines, "No risk triggered now or at the baseline."]
    for state, heading in common.RISK_STATES:
        moves = [m for m in report.risks if m.state == state]
        if not moves:
            continue
        lines += [f"### {heading}", ""]
        for move in moves:
            lines.append(f"- **{escape(common.risk_line(move))}**")
            values = common.risk_values(report, move)
            if values:
                lines.append(f"  - read: {escape(values)}")
            if state != "cleared":
                lines += [f"  - action: {escape(action)}" for action in move.risk.risk.actions]
        lines.append("")
    return lines[:-1]


def _calibration(report: Report) -> list[str]:
    lines = ["## Calibration", ""]
    if report.calibration_note and not report.calibration:
        return [*lines, f"Not available: {escape(report.calibration_note)}."]
    if not report.calibration:
        return [*lines, "No target was eased or tightened since the baseline."]
    rows = [common.calibration_cells(report, c) for c in report.calibration]
    return lines + table(
        ("Goal / target", "Change", "Was", "Now", "Who", "Commit"), rows, (False,) * 6
    )


def _grades(report: Report) -> list[str]:
    if not report.grades:
        return []
    lines = ["## Grades", "", f"The period was closed: {escape(report.grades_path)}.", ""]
    rows = [common.grade_cells(review) for review in report.grades]
    return lines + table(common.GRADE_HEADER, rows, (False, False, True, *(False,) * 4))


def _hygiene(report: Report) -> list[str]:
    lines = ["## Hygiene", ""]
    if not report.stale and not report.reviews:
        return [*lines, "No stale metric and no overdue review."]
    lines += [f"- stale metric: {escape(common.stale_line(due))}" for due in report.stale]
    lines += [f"- overdue review: {escape(common.review_line(r))}" for r in report.reviews]
    return lines


def _declared(report: Report) -> list[str]:
    """The goals whose state is declared (`state:`), beside their computed status."""
    goals = common.declared_goals(report)
    if not goals:
        return []
    rows = [common.declared_cells(goal) for goal in goals]
    lines = ["## Declared and computed", ""]
    return [*lines, *table(common.DECLARED_HEADER, rows, (False,) * 5), ""]


def _alignment(report: Report, text: bool = False) -> list[str]:
    """The goals' tree: a Mermaid flowchart (GitHub draws it), or for a terminal nested lists
    (folded to its width); then the goals outside it."""
    if report.alignment is None:
        return []
    view = tree_view(report.period.as_of, report.alignment)
    lines = ["## Alignment", "", common.ALIGNMENT_INTRO, ""]
    if text:

        def walk(node: Node, depth: int) -> None:
            lines.append(f"{'  ' * depth}- {escape(goal_label(node.goal))}")
            for child in node.children:
                walk(child, depth + 1)

        for root in view.roots:
            walk(root, 0)
    else:
        lines += tree_mermaid(view, Display()).rstrip("\n").split("\n")
    lines.append("")
    for label, goals in ((UNSUPPORTED, view.unsupported), (UNALIGNED, view.unaligned)):
        if goals:
            titles = ", ".join(f"{g.goal.title} ({g.goal.id})" for g in goals)
            lines.append(f"- **{escape(label)}**: {escape(titles)}")
    return [*lines, ""] if lines[-1] else lines


def _rungs(report: Report) -> list[str]:
    if report.rungs is None:
        return []
    lines = [f"## Rungs due in {report.period.label}", ""]
    if not report.rungs:
        return [*lines, "No rung is due in the quarter.", ""]
    rows = [common.rung_cells(report, r) for r in report.rungs]
    header = ("Goal / target", "Target", "Due", "Actual at due", "Verdict")
    return [*lines, *table(header, rows, (False, False, False, True, False)), ""]


def _details(report: Report) -> list[str]:
    lines = ["## Goals in detail", ""]
    goals = list(dict.fromkeys(row.goal.goal.id for row in report.rows))
    for goal_id in goals:
        rows = [row for row in report.rows if row.goal.goal.id == goal_id]
        goal = rows[0].goal
        summary = f"{goal.goal.title}: {common.word(goal.status)}"
        lines += ["<details>", f"<summary>{escape(summary)}</summary>", ""]
        if goal.goal.owner:
            lines.append(f"Owner: {escape(goal.goal.owner)}. Area: {escape(goal.goal.area)}.")
            lines.append("")
        for row in rows:
            target = row.target
            metric = target.metric
            lines.append(f"- **{escape(metric.name)}** ({escape(common.word(target.status))})")
            if target.progress is not None:
                expected = "" if target.expected is None else f", expected {target.expected:.0%}"
                lines.append(f"  - progress {target.progress:.0%}{expected}")
            lines.append(f"  - forecast: {escape(common.forecast_detail(row))}")
            series = report.series.get(metric.id)
            if series is not None:
                end = series.count_until(report.period.as_of)
                for i in range(max(end - RECENT, 0), end):
                    note = f": {' '.join(series.notes[i].split())}" if series.notes[i] else ""
                    text = f"{series.dates[i].isoformat()} {value_text(metric, series.values[i])}"
                    lines.append(f"  - {escape(text + note)}")
        lines += ["", "</details>", ""]
    return lines


def report_markdown(
    report: Report,
    version: str,
    headline: Sequence[str] = (),
    details: bool = True,
    text_tree: bool = False,
) -> str:
    """text_tree: the alignment tree in text (a terminal), not Mermaid."""
    lines = [f"# {escape(common.title(report))}", "", *_summary(report, headline), ""]
    for section in (_exceptions, _kpis, _variances, _risks, _calibration, _grades, _hygiene):
        lines += [*section(report), ""] if section(report) else []
        if section is _kpis and (mixes := _mixes(report)):
            lines += [*mixes, ""]
    lines += _declared(report)
    lines += _alignment(report, text_tree)
    lines += _rungs(report)
    if details:
        lines += _details(report)
    lines += ["---", "", escape(common.footer(report)), ""]
    text = "\n".join(lines)
    if details and len(text.encode("utf-8")) > MAX_BYTES:
        return report_markdown(report, version, headline, False, text_tree)
    if len(text.encode("utf-8")) > MAX_BYTES:  # a ledger of many thousand targets
        cut = text.encode("utf-8")[: MAX_BYTES - 200].decode("utf-8", "ignore")
        text = cut[: cut.rfind("\n")] + "\n\n(truncated at 1 MB: see --format json)\n"
    return text
