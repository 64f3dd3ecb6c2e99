"""The report as one self-contained HTML page: a one-page summary, then the exceptions, then
the detail; no JavaScript, no external request, no web font (a Content-Security-Policy meta tag
forbids them); printed on A4 or Letter with no column cut, stacked rows on a phone; inline SVG
charts; every user text escaped; the same report gives the same bytes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from smartgoals.rendering.cells import rung_text, value_text
from smartgoals.rendering.report_chart import CHART_CSS, target_chart
from smartgoals.rendering.svg import escape
from smartgoals.views import report_common as common

if TYPE_CHECKING:
    from smartgoals.engine.reporting import Report, Row

CSP = (
    "default-src 'none'; script-src 'none'; connect-src 'none'; font-src 'none'; "
    "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
PAGE_CSS = (
    "body{font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
    "margin:0 auto;max-width:1240px;padding:1rem}"
    "h1{font-size:1.45rem;margin:.2rem 0}h2{font-size:1.15rem;border-bottom:1px solid #ddd;"
    "margin:1.4rem 0 .4rem}h3{font-size:1rem;margin:.8rem 0 .3rem}"
    ".basis{color:#444;margin:.2rem 0 .6rem}"
    "table{border-collapse:collapse;font-size:.8rem;line-height:1.25;width:100%}"
    "th,td{border-bottom:1px solid #e4e4e4;padding:.08rem .4rem;text-align:left;"
    "vertical-align:top}"
    "thead th{border-bottom:2px solid #bbb}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tbody th.group{background:#f3f3f3;font-weight:600}"
    "td.why{color:#444;font-size:.85rem}"
    ".s-on_track,.s-achieved,.s-achieved_late{color:#1d6b2b}"
    ".s-at_risk{color:#8a5a00}.s-off_track,.s-missed,.s-breached{color:#a51d1d}"
    "td[class^=s-]{font-weight:600;white-space:nowrap}td.t{white-space:nowrap}"
    "ul{margin:.2rem 0;padding-left:1.3rem}li{margin:.1rem 0}"
    ".statuses{list-style:none;padding:0}.statuses li{margin:.15rem 0}"
    ".unexplained{color:#a51d1d}"
    ".goal{break-inside:avoid;page-break-inside:avoid;margin:1rem 0}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));"
    "gap:.8rem 1rem}"
    "figure{margin:0;break-inside:avoid}figcaption{font-size:.8rem;color:#333}"
    "svg.chart{width:100%;height:auto;display:block}"
    ".legend{font-size:.85rem;color:#444}"
    ".k-obs{color:#0072b2}.k-goal{color:#009e73}.k-pace{color:#e69f00}.k-fc{color:#cc79a7}"
    "blockquote{border-left:3px solid #ccc;margin:0;padding-left:1rem;white-space:pre-wrap}"
    "footer{margin-top:1.5rem;font-size:.85rem;color:#555}"
    "@page{size:A4;margin:11mm 11mm 12mm}"
    "@media print{body{max-width:none;padding:0;font-size:9pt;line-height:1.3}"
    "h1{font-size:14pt}h2{font-size:11pt;margin:.7rem 0 .25rem;break-after:avoid}"
    "table{font-size:7.5pt}th,td{padding:.05rem .25rem}td.why{font-size:7pt}"
    "td.n,th.n,td.t{white-space:normal}td{overflow-wrap:anywhere}"
    "thead{display:table-header-group}tr{break-inside:avoid}tbody th.group{break-after:avoid}"
    ".summary{break-after:page}.charts{grid-template-columns:repeat(4,1fr);gap:.3rem .5rem}"
    "figcaption{font-size:7pt}.legend{font-size:8pt}footer{font-size:8pt}}"
    "@media (max-width:600px){body{padding:.5rem;font-size:14px}"
    "table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;"
    "width:auto}"
    "table.stack thead{display:none}table.stack tr{border-bottom:1px solid #ccc;padding:.3rem 0}"
    "table.stack td{border:0;padding:.05rem 0;text-align:left;white-space:normal}"
    "table.stack td[data-label]::before{content:attr(data-label) ': ';color:#666;"
    "font-weight:normal}"
    "table.stack td:first-child{font-weight:600}"
    "table.stack tbody th.group{margin-top:.6rem;padding:.3rem}}"
)


def _cell(cell: str, label: str, numeric: bool, status: bool, first: bool) -> str:
    css = "n" if numeric else ""
    if status:
        css = "s-" + cell.replace(" ", "_").replace("'", "")
    elif label == "Trend":
        css = "t"
    attributes = f' class="{css}"' if css else ""
    if not first:  # on a phone each cell says what it is (the first names the row)
        attributes += f' data-label="{escape(label)}"'
    return f"<td{attributes}>{escape(cell)}</td>"


def _rows(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    status_column: int | None,
) -> str:
    body = []
    for row in rows:
        cells = [
            _cell(cell, label, n, i == status_column, i == 0)
            for i, (cell, label, n) in enumerate(zip(row, header, numeric, strict=True))
        ]
        body.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(body)


def _head(header: Sequence[str], numeric: Sequence[bool]) -> str:
    cells = "".join(
        f'<th{" class=n" if n else ""} scope="col">{escape(h)}</th>'
        for h, n in zip(header, numeric, strict=True)
    )
    return f"<thead><tr>{cells}</tr></thead>"


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    numeric: Sequence[bool],
    status_column: int | None = None,
) -> str:
    """A table that prints whole and, on a phone, stacks each row as a card."""
    body = _rows(header, rows, numeric, status_column)
    return f'<table class="stack">{_head(header, numeric)}<tbody>{body}</tbody></table>'


def _list(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _basis(report: Report) -> str:
    period = report.period
    unit = {"weekly": "week", "monthly": "month", "quarterly": "quarter"}[period.kind]
    return (
        f'<p class="basis">The {unit} from {period.first.isoformat()} to '
        f"{period.as_of.isoformat()}, compared with {escape(report.baseline.note)}. "
        f"Plan: where the expected pace puts each target today; a variance is material beyond "
        f"the at-risk band ({report.band * 100:g}% of the distance to the target).</p>"
    )


def _summary(report: Report, headline: Sequence[Row]) -> str:
    """The first page: the headline metrics, goals by status, what changed and why, the risks
    that fire with their actions, and what needs a decision."""
    html = ['<section class="summary" id="summary">', _basis(report), "<h2>Headline metrics</h2>"]
    if headline:
        rows = [common.headline_cells(row) for row in headline]
        html.append(
            _table(
                common.HEADLINE_HEADER, rows, common.HEADLINE_NUMERIC, common.HEADLINE_STATUS
            ).replace('<td data-label="Why">', '<td class="why" data-label="Why">')
        )
    else:
        html.append("<p>No targets.</p>")
    html.append('<h2>Goals by status</h2><ul class="statuses">')
    for status, goals in common.goals_by_status(report):
        titles = ", ".join(escape(g.goal.title) for g in goals)
        html.append(
            f'<li><strong class="s-{status}">{escape(common.word(status))}</strong> '
            f"({len(goals)}): {titles}</li>"
        )
    html.append("</ul><h2>What changed since the last period</h2>")
    changes = common.changes(report)
    if changes:
        html.append(
            _list(
                [
                    escape(what) + (f": <em>{escape(why)}</em>" if why else "")
                    for what, why in changes
                ]
            )
        )
    else:
        html.append("<p>No goal or target changed status.</p>")
    html.append("<h2>Risks that fire</h2>")
    firing = [m for m in report.risks if m.state != "cleared"]
    if firing:
        items = []
        for move in firing:
            actions = "; ".join(move.risk.risk.actions)
            items.append(
                f"<strong>{escape(common.risk_line(move))}</strong>"
                + f" ({escape(move.state)})"
                + (f": {escape(actions)}" if actions else "")
            )
        html.append(_list(items))
    else:
        html.append("<p>None.</p>")
    html.append("<h2>Needs a decision</h2>")
    decisions = common.decisions(report)
    if decisions:
        html.append(_list([escape(d) for d in decisions]))
        if any(r.material and not r.explanations for r in report.rows):
            html.append(
                f"<p>Explain a variance in <code>{escape(report.notes_path)}</code> (a paragraph "
                "naming the metric), a journal note or a check-in.</p>"
            )
    else:
        html.append("<p>Nothing: every material variance is explained and no target was eased.</p>")
    html.append("</section>")
    return "".join(html)


LEGEND = (
    '<p class="legend">In each chart: <span class="k-obs">solid line</span> observed, '
    '<span class="k-goal">steps</span> the target (each rung to its due; both bounds of a '
    'range), <span class="k-pace">dashed</span> the expected pace, <span class="k-fc">dotted'
    "</span> the forecast, thin dashes the as-of date.</p>"
)


def _figure(report: Report, row: Row, ident: str) -> str:
    target = row.target
    title = common.name(row)
    svg = target_chart(
        target,
        report.series.get(target.metric.id),
        row.forecast,
        report.period.as_of,
        ident,
        title,
    )
    status = str(target.status)
    now = value_text(target.metric, target.current)
    goal = rung_text(target.metric, target.rung, plain=True)
    caption = (
        f"<strong>{escape(title)}</strong>: "
        f'<span class="s-{status}">{escape(common.word(status))}</span>, {escape(now)} '
        f"against {escape(goal)}; {escape(common.forecast_detail(row))}"
    )
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _exceptions(report: Report, charts: bool) -> str:
    """The targets off track, at risk, breached or missed, and those missed next: a chart each
    (its caption says the status and the outlook), or a table without charts."""
    rows = common.exception_rows(report)
    html = '<h2 id="exceptions">Exceptions</h2>'
    if not rows:
        return html + "<p>No target is off track, at risk, breached, missed or about to miss.</p>"
    if not charts:
        cells = [common.exception_cells(row) for row in rows]
        return html + _table(common.EXCEPTION_HEADER, cells, common.EXCEPTION_NUMERIC, 3)
    distinct = common.distinct_targets(rows)
    figures = "".join(_figure(report, row, f"e{i}") for i, row in enumerate(distinct, 1))
    return html + LEGEND + f'<div class="charts">{figures}</div>'


def _headline_charts(report: Report, headline: Sequence[Row]) -> str:
    shown = {(r.target.metric.id, r.target.target.rungs) for r in common.exception_rows(report)}
    rows = [r for r in headline if (r.target.metric.id, r.target.target.rungs) not in shown]
    if not rows:
        return ""
    figures = "".join(_figure(report, row, f"h{i}") for i, row in enumerate(rows, 1))
    return (
        '<h2>The headline metrics over time</h2><p class="legend">Those among the exceptions '
        f'are charted above.</p><div class="charts">{figures}</div>'
    )


def _kpis(report: Report) -> str:
    """Every target, grouped by goal: the goal (its status) heads its rows."""
    header, numeric = common.KPI_HEADER, common.KPI_NUMERIC
    groups = []
    for goal_id in dict.fromkeys(row.goal.goal.id for row in report.rows):
        rows = [row for row in report.rows if row.goal.goal.id == goal_id]
        goal = rows[0].goal
        status = str(goal.status)
        heading = (
            f'<tr><th class="group" colspan="{len(header)}" scope="rowgroup">'
            f"{escape(goal.goal.title)}: "
            f'<span class="s-{status}">{escape(common.word(status))}</span></th></tr>'
        )
        cells = [common.kpi_cells(row) for row in rows]
        groups.append(
            f'<tbody class="goal-rows">{heading}'
            f"{_rows(header, cells, numeric, common.KPI_STATUS)}</tbody>"
        )
    if not groups:
        return "<h2>All targets by goal</h2><p>No targets.</p>"
    return (
        f'<h2 id="targets">All targets by goal</h2><table class="stack">'
        f"{_head(header, numeric)}{''.join(groups)}</table>"
    )


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
        head = escape(common.name(row))
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
            [
                f"unexplained: {escape(common.name(r))}: {escape(common.variance_line(r))}"
                for r in missing
            ]
        )
    elif not items:
        html += "<p>No material variance.</p>"
    if report.notes:
        html += f"<h3>From <code>{escape(report.notes_path)}</code></h3>"
        html += f"<blockquote>{escape(report.notes)}</blockquote>"
    return html


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
    rows = [common.calibration_cells(report, c) for c in report.calibration]
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
    rows = [common.rung_cells(report, r) for r in report.rungs]
    header = ("Goal / target", "Target", "Due", "Actual at due", "Verdict")
    return html + _table(header, rows, (False, False, False, True, False), 4)


def _goals(report: Report) -> str:
    """Every target's chart, goal by goal (--charts all)."""
    html = ["<h2>Charts by goal</h2>", LEGEND]
    number = 0
    for goal_id in dict.fromkeys(row.goal.goal.id for row in report.rows):
        rows = [row for row in report.rows if row.goal.goal.id == goal_id]
        goal = rows[0].goal
        status = str(goal.status)
        html.append(
            f'<section class="goal" id="goal-{escape(goal_id)}"><h3>{escape(goal.goal.title)}: '
            f'<span class="s-{status}">{escape(common.word(status))}</span></h3>'
        )
        if goal.goal.owner:
            html.append(f"<p>Owner: {escape(goal.goal.owner)}. Area: {escape(goal.goal.area)}.</p>")
        figures = []
        for row in rows:
            number += 1
            figures.append(_figure(report, row, f"c{number}"))
        html.append(f'<div class="charts">{"".join(figures)}</div></section>')
    return "".join(html)


def report_html(
    report: Report, version: str, headline: Sequence[str] = (), charts: str = "default"
) -> str:
    title = escape(common.title(report))
    chosen = common.headline_rows(report, headline)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{PAGE_CSS}{CHART_CSS}</style>",
        f"</head><body><h1>{title}</h1>",
        _summary(report, chosen),
        _exceptions(report, charts != "none"),
        _headline_charts(report, chosen) if charts == "default" else "",
        _kpis(report),
        _variances(report),
        _risks(report),
        _calibration(report),
        _hygiene(report),
        _rungs(report),
        _goals(report) if charts == "all" else "",
        f"<footer>{escape(common.footer(report))}</footer>",
        "</body></html>",
        "",
    ]
    return "\n".join(part for part in parts if part)
