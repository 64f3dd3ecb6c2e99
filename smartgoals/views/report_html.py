"""The report as one self-contained HTML page: no JavaScript, no external request, no web font
(a Content-Security-Policy meta tag forbids them), readable printed and on a phone, an inline
SVG chart per target; every user text escaped; the same report gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from smartgoals.rendering.cells import value_text
from smartgoals.rendering.report_chart import CHART_CSS, target_chart
from smartgoals.rendering.svg import escape
from smartgoals.views import report_common as common

if TYPE_CHECKING:
    from smartgoals.engine.reporting import Report

CSP = (
    "default-src 'none'; script-src 'none'; connect-src 'none'; font-src 'none'; "
    "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
PAGE_CSS = (
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
    "margin:0 auto;max-width:1100px;padding:1rem}"
    "h1{font-size:1.5rem}h2{font-size:1.2rem;border-bottom:1px solid #ddd;margin-top:2rem}"
    ".scroll{overflow-x:auto}"
    "table{border-collapse:collapse;font-size:.9rem}"
    "th,td{border-bottom:1px solid #e4e4e4;padding:.25rem .5rem;text-align:left;"
    "vertical-align:top}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".s-on_track,.s-achieved,.s-achieved_late{color:#1d6b2b}"
    ".s-at_risk{color:#8a5a00}.s-off_track,.s-missed,.s-breached{color:#a51d1d}"
    ".unexplained{color:#a51d1d}"
    ".goal{break-inside:avoid;page-break-inside:avoid;margin:1rem 0}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1rem}"
    "figure{margin:0}figcaption{font-size:.85rem}"
    "svg.chart{width:100%;height:auto;display:block}"
    "blockquote{border-left:3px solid #ccc;margin:0;padding-left:1rem;white-space:pre-wrap}"
    "footer{margin-top:2rem;font-size:.85rem;color:#555}"
    "@media print{body{max-width:none;font-size:11pt}.scroll{overflow:visible}"
    "h2{break-after:avoid}}"
    "@media (max-width:600px){body{padding:.5rem;font-size:14px}}"
)


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    status_column: int | None = None,
) -> str:
    head = "".join(
        f'<th{" class=n" if n else ""} scope="col">{escape(h)}</th>'
        for h, n in zip(header, numeric, strict=True)
    )
    body = []
    for row in rows:
        cells = []
        for i, (cell, n) in enumerate(zip(row, numeric, strict=True)):
            css = "n" if n else ""
            if i == status_column:
                css = "s-" + cell.replace(" ", "_")
            cells.append(f"<td{f' class={css}' if css else ''}>{escape(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _headline(report: Report) -> str:
    words = list(dict.fromkeys([*report.counts_now, *report.counts_before]))
    rows = [
        (common.word(w), str(report.counts_now.get(w, 0)), str(report.counts_before.get(w, 0)))
        for w in words
    ]
    html = "<h2>Headline</h2>" + _table(("Goals", "Now", "Baseline"), rows, (False, True, True), 0)
    if report.moves:
        items = []
        for move in report.moves:
            name = move.goal if move.metric is None else f"{move.goal} / {move.metric}"
            items.append(
                f"{escape(name)}: {escape(common.word(move.old))} -&gt; "
                f"<strong>{escape(common.word(move.new))}</strong>"
            )
        html += "<p>Changed since the baseline:</p>" + _list(items)
    else:
        html += "<p>No goal or target changed status since the baseline.</p>"
    return html


def _kpis(report: Report) -> str:
    rows = [common.kpi_cells(row) for row in report.rows]
    return "<h2>KPIs</h2>" + _table(common.KPI_HEADER, rows, common.KPI_NUMERIC, 8)


def _variances(report: Report) -> str:
    band = f"{report.band * 100:g}%"
    html = (
        "<h2>Variance explanations</h2><p>A variance is material when it is more than the "
        f"at-risk band ({band} of the distance from baseline to target) from plan.</p>"
    )
    items = []
    for row in report.rows:
        if not row.explanations:
            continue
        head = escape(row.key)
        if row.variance is not None:
            head += ": " + escape(common.variance_line(row))
        inner = [
            f"{e.date.isoformat() + ' ' if e.date else ''}{escape(e.source)}: {escape(e.text)}"
            for e in row.explanations
        ]
        items.append(f"<strong>{head}</strong>{_list(inner)}")
    if items:
        html += _list(items)
    missing = [row for row in report.rows if row.material and not row.explanations]
    if missing:
        html += (
            f'<p class="unexplained"><strong>Unexplained</strong> (write about these in '
            f"<code>{escape(report.notes_path)}</code>):</p>"
        )
        html += _list(
            [f"unexplained: {escape(r.key)}: {escape(common.variance_line(r))}" for r in missing]
        )
    elif not items:
        html += "<p>No material variance.</p>"
    if report.notes:
        html += f"<h3>From <code>{escape(report.notes_path)}</code></h3>"
        html += f"<blockquote>{escape(report.notes)}</blockquote>"
    return html


def _forecasts(report: Report) -> str:
    rows = []
    for row in report.rows:
        cells = common.forecast_cells(row)
        if cells is not None:
            rows.append((row.key, *cells))
    if not rows:
        return "<h2>Forecasts</h2><p>No dated target has a forecast.</p>"
    header = ("Goal / target", "Due", "ETA", "Slack", "Verdict")
    return "<h2>Forecasts</h2>" + _table(header, rows, (False, False, False, True, False))


def _risks(report: Report) -> str:
    html = "<h2>Risks</h2>"
    if not report.risks:
        return html + "<p>No risk triggered now or at the baseline.</p>"
    for state, heading in common.RISK_STATES:
        moves = [m for m in report.risks if m.state == state]
        if not moves:
            continue
        items = []
        for move in moves:
            actions = [] if state == "cleared" else list(move.risk.risk.actions)
            inner = _list([f"action: {escape(a)}" for a in actions]) if actions else ""
            items.append(f"<strong>{escape(common.risk_line(move))}</strong>{inner}")
        html += f"<h3>{escape(heading)}</h3>" + _list(items)
    return html


def _calibration(report: Report) -> str:
    html = "<h2>Calibration</h2>"
    if report.calibration_note and not report.calibration:
        return html + f"<p>Not available: {escape(report.calibration_note)}.</p>"
    if not report.calibration:
        return html + "<p>No target was eased or tightened since the baseline.</p>"
    rows = [common.calibration_cells(c) for c in report.calibration]
    header = ("Goal / target", "Change", "Was", "Now", "Who", "Commit")
    return html + _table(header, rows, (False,) * 6)


def _hygiene(report: Report) -> str:
    html = "<h2>Hygiene</h2>"
    if not report.stale and not report.reviews:
        return html + "<p>No stale metric and no overdue review.</p>"
    items = []
    for due in report.stale:
        last = "never recorded"
        if due.last_date is not None:
            last = f"last {value_text(due.metric, due.last_value)} on {due.last_date.isoformat()}"
        items.append(
            "stale metric: "
            + escape(f"{due.metric.name} ({due.metric.id}, {due.metric.cadence}): {last}")
        )
    for review in report.reviews:
        last = (
            f"last check-in {review.last_checkin.isoformat()}"
            if review.last_checkin
            else "no check-in yet"
        )
        items.append(
            "overdue review: "
            + escape(f"{review.goal.id}: {review.cadence} review ({review.what}), {last}")
        )
    return html + _list(items)


def _rungs(report: Report) -> str:
    if report.rungs is None:
        return ""
    html = f"<h2>Rungs due in {escape(report.period.label)}</h2>"
    if not report.rungs:
        return html + "<p>No rung is due in the quarter.</p>"
    rows = [common.rung_cells(r) for r in report.rungs]
    header = ("Goal / target", "Target", "Due", "Actual at due", "Verdict")
    return html + _table(header, rows, (False, False, False, True, False), 4)


def _goals(report: Report) -> str:
    html = [
        "<h2>Goals and charts</h2><p>In each chart: the solid blue line is the observed values, "
        "the green steps the target (each rung of a ladder up to its due), the dashed line the "
        "expected pace, the dotted line the forecast.</p>"
    ]
    goals = list(dict.fromkeys(row.goal.goal.id for row in report.rows))
    number = 0
    for goal_id in goals:
        rows = [row for row in report.rows if row.goal.goal.id == goal_id]
        goal = rows[0].goal
        status = str(goal.status)
        html.append(
            f'<section class="goal" id="goal-{escape(goal_id)}"><h3>{escape(goal.goal.title)} '
            f'<small>({escape(goal_id)})</small>: <span class="s-{status}">'
            f"{escape(common.word(status))}</span></h3>"
        )
        if goal.goal.owner:
            html.append(f"<p>Owner: {escape(goal.goal.owner)}. Area: {escape(goal.goal.area)}.</p>")
        html.append('<div class="charts">')
        for row in rows:
            number += 1
            target = row.target
            title = f"{goal.goal.title}: {target.metric.name}"
            svg = target_chart(
                target,
                report.series.get(target.metric.id),
                row.forecast,
                report.period.as_of,
                f"c{number}",
                title,
            )
            caption = (
                f"{escape(target.metric.name)} ({escape(target.metric.id)}): "
                f'<span class="s-{target.status}">{escape(common.word(target.status))}</span>; '
                f"{escape(common.forecast_detail(row))}"
            )
            html.append(f"<figure>{svg}<figcaption>{caption}</figcaption></figure>")
        html.append("</div></section>")
    return "".join(html)


def report_html(report: Report, version: str) -> str:
    title = escape(common.title(report))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{PAGE_CSS}{CHART_CSS}</style>",
        f"</head><body><h1>{title}</h1>",
        _headline(report),
        _kpis(report),
        _variances(report),
        _forecasts(report),
        _risks(report),
        _calibration(report),
        _hygiene(report),
        _rungs(report),
        _goals(report),
        f"<footer>{escape(common.footer(report))}</footer>",
        "</body></html>",
        "",
    ]
    return "\n".join(part for part in parts if part)
