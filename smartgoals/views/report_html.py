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
from smartgoals.views.tree import UNALIGNED, UNSUPPORTED, tree_html, tree_view

if TYPE_CHECKING:
    from smartgoals.engine.evaluation import GoalStatus
    from smartgoals.engine.reporting import Report, Row

# the detail table's column widths in percent, on screen (the folded rows line up with the
# rest) and in print (narrower numbers, a wider name)
KPI_WIDTHS = (22, 8, 10, 17, 7, 12, 8, 16)
KPI_PRINT_WIDTHS = (20, 9, 10, 16, 9, 14, 8, 14)
WIDTH_CSS = "".join(f"col.k{i}{{width:{w}%}}" for i, w in enumerate(KPI_WIDTHS))
PRINT_WIDTHS = "".join(f"col.k{i}{{width:{w}%}}" for i, w in enumerate(KPI_PRINT_WIDTHS))
CSP = (
    "default-src 'none'; script-src 'none'; connect-src 'none'; font-src 'none'; "
    "img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)
PAGE_CSS = (
    "body{font:15px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;"
    "margin:0 auto;max-width:1240px;padding:1rem}"
    "h1{font-size:1.45rem;margin:.2rem 0}h2{font-size:1.15rem;border-bottom:1px solid #ddd;"
    "margin:1rem 0 .35rem}h3{font-size:1rem;margin:.6rem 0 .25rem}"
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
    "ul.tree{font-size:.85rem}.declared{font-weight:normal;color:#444}"
    ".declared.disagrees{color:#a51d1d}details.alignment{display:inline;margin-left:.6rem}"
    "details.alignment summary{display:inline}details.alignment[open]{display:block;margin:0}"
    ".statuses{list-style:none;padding:0}.statuses li{margin:.15rem 0}"
    ".unexplained{color:#a51d1d}"
    ".goal{break-inside:avoid;page-break-inside:avoid;margin:.7rem 0}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));"
    "gap:.8rem 1rem}"
    "figure{margin:0;break-inside:avoid}figcaption{font-size:.8rem;color:#333}"
    "svg.chart{width:100%;height:auto;display:block}"
    ".legend{font-size:.85rem;color:#444}"
    ".k-obs{color:#0072b2}.k-goal{color:#009e73}.k-pace{color:#e69f00}.k-fc{color:#cc79a7}"
    "blockquote{border-left:3px solid #ccc;margin:0;padding-left:1rem;white-space:pre-wrap}"
    "footer{margin-top:1.5rem;font-size:.85rem;color:#555}"
    "table.kpi{table-layout:fixed}table.kpi td{overflow-wrap:anywhere}"
    "table.kpi td.n,table.kpi td.t{white-space:normal}"
    "details.done{display:inline;font-weight:normal}details.done summary{display:inline;"
    "color:#1d6b2b;margin-left:1rem;cursor:pointer}details.done[open] summary{display:list-item}"
    "details.done table{background:#fff;margin-top:.1rem}"
    ".cols{columns:3 16rem;column-gap:1.5rem;font-size:.85rem}.cols li{break-inside:avoid}"
    "p.stale{font-size:.85rem;margin:.3rem 0}"
    ".cols.wide{columns:2 28rem;font-size:.8rem}"
    "@media screen and (min-width:1000px){table.exceptions td:first-child{white-space:nowrap}}"
    "@page{size:A4;margin:11mm 11mm 12mm}"
    "@media print{body{max-width:none;padding:0;font-size:9pt;line-height:1.3}"
    "h1{font-size:14pt}h2{font-size:11pt;margin:.7rem 0 .25rem;break-after:avoid}"
    "table{font-size:7.5pt}th,td{padding:.05rem .25rem}td.why{font-size:7pt}"
    "td{overflow-wrap:break-word}td.t{white-space:normal}"
    f"table.kpi{{font-size:7pt}}{PRINT_WIDTHS}"
    "thead{display:table-header-group}tr{break-inside:avoid}tbody th.group{break-after:avoid}"
    ".summary{break-after:page}.charts{grid-template-columns:repeat(3,1fr);gap:.3rem .6rem}"
    "summary{list-style:none}"
    "figcaption{font-size:7pt}.legend{font-size:8pt}footer{font-size:8pt}}"
    "@media (max-width:600px){body{padding:.5rem;font-size:14px}"
    "table.stack,table.stack tbody,table.stack tr,table.stack td,table.stack th{display:block;"
    "width:auto}"
    "table.stack thead{display:none}table.stack tr{border-bottom:1px solid #ccc;padding:.3rem 0}"
    "table.stack td{border:0;padding:.05rem 0;text-align:left;white-space:normal}"
    "table.stack td[data-label]::before{content:attr(data-label) ': ';color:#666;"
    "font-weight:normal}"
    "table.stack td:first-child{font-weight:600}"
    "table.stack tbody th.group{margin-top:.6rem;padding:.3rem}table.stack colgroup{display:none}"
    "details.done summary{margin-left:0}}"
)


def _cell(cell: str, label: str, numeric: bool, status: bool, first: bool) -> str:
    css = "n" if numeric else ""
    if status:
        css = "s-" + cell.replace(" ", "_").replace("'", "")
    elif label == common.KPI_HEADER[2]:
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
            items.append(
                f"<strong>{escape(common.risk_line(move))}</strong> "
                + escape(common.risk_detail(report, move))
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


def _figure(report: Report, row: Row, ident: str, long: bool = False) -> str:
    """A chart and its caption: the target, its status and the pace it needs (the chart labels
    the latest value and the target; the exceptions' table has every number), or now against
    the target and the whole forecast (`long`)."""
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
    caption = f'<strong>{escape(title)}</strong>: <span class="s-{status}">'
    caption += escape(common.word(status)) + "</span>"
    if long:
        caption += f", {escape(now)} against {escape(goal)}; "
        caption += escape(common.forecast_detail(row))
    elif common.needs(row):
        caption += f"; {escape(common.needs(row))}"
    return f"<figure>{svg}<figcaption>{caption}</figcaption></figure>"


def _exceptions(report: Report, charts: str, headline: Sequence[Row]) -> str:
    """The targets off track, at risk, breached or missed, and those missed next, in a table
    with every number; then one grid of charts: a chart for each metric among them whose due
    is still ahead, then (`charts` default) the headline metrics not among them."""
    rows = common.exception_rows(report)
    html = '<h2 id="exceptions">Exceptions</h2>'
    if not rows:
        html += "<p>No target is off track, at risk, breached, missed or about to miss.</p>"
    else:
        cells = [common.exception_cells(row) for row in rows]
        table = _table(common.EXCEPTION_HEADER, cells, common.EXCEPTION_NUMERIC, 5)
        html += table.replace('<table class="stack">', '<table class="stack exceptions">', 1)
    if charts == "none":
        return html
    charted = common.charted_exceptions(rows, report.period.as_of)
    shown = {row.target.metric.id for row in charted}
    extra = [r for r in headline if r.target.metric.id not in shown] if charts == "default" else []
    if not charted and not extra:
        return html
    figures = [_figure(report, row, f"e{i}") for i, row in enumerate(charted, 1)]
    figures += [_figure(report, row, f"h{i}") for i, row in enumerate(extra, 1)]
    what = "the exceptions whose due is ahead, one per metric"
    if extra:
        what += ", then the headline metrics not among them"
    return (
        html + f"<h3>Charts: {what}</h3>" + LEGEND + f'<div class="charts">{"".join(figures)}</div>'
    )


def _colgroup() -> str:
    return (
        "<colgroup>"
        + "".join(f'<col class="k{i}">' for i in range(len(KPI_WIDTHS)))
        + "</colgroup>"
    )


def _kpi_group(rows: Sequence[Row]) -> str:
    """A goal's rows: its heading (the goal, its status, and its achieved targets and those not
    started without a value, each folded into a count that opens to their rows; print shows
    the counts), then the targets in play."""
    header, numeric = common.KPI_HEADER, common.KPI_NUMERIC
    goal = rows[0].goal
    status = str(goal.status)
    folded, hidden = "", set[int]()
    for count, some in common.folded(rows):
        inner = _rows(header, [common.kpi_cells(r) for r in some], numeric, common.KPI_STATUS)
        folded += (
            f'<details class="done"><summary>{escape(count)}</summary>'
            f'<table class="stack kpi">{_colgroup()}<tbody>{inner}</tbody></table></details>'
        )
        hidden.update(id(row) for row in some)
    live = [row for row in rows if id(row) not in hidden]
    cells = [common.kpi_cells(row) for row in live]
    return (
        f'<tbody class="goal-rows"><tr><th class="group" colspan="{len(header)}" '
        f'scope="rowgroup">{escape(goal.goal.title)}: '
        f'<span class="s-{status}">{escape(common.word(status))}</span>{_declared_note(goal)}'
        f"{folded}</th></tr>"
        f"{_rows(header, cells, numeric, common.KPI_STATUS)}</tbody>"
    )


def _kpis(report: Report) -> str:
    """Every target, grouped by goal: the goal (its status) heads its rows."""
    goals = dict.fromkeys(row.goal.goal.id for row in report.rows)
    groups = [_kpi_group([r for r in report.rows if r.goal.goal.id == g]) for g in goals]
    if not groups:
        return "<h2>All targets by goal</h2><p>No targets.</p>"
    return (
        '<h2 id="targets">All targets by goal</h2><div class="legend">Beside each goal, its '
        "achieved targets and those not started without a value are counted: open a count for "
        f"their rows.{_mixes(report)}</div>"
        f'<table class="stack kpi">{_colgroup()}'
        f"{_head(common.KPI_HEADER, common.KPI_NUMERIC)}{''.join(groups)}</table>"
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
        html += '<ul class="cols wide">' + "".join(
            f"<li>{escape(common.name(r))}: {escape(common.variance_line(r))}</li>" for r in missing
        )
        html += "</ul>"
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
            values = common.risk_values(report, move)
            lines = ([f"read: {escape(values)}"] if values else []) + [
                f"action: {escape(a)}" for a in actions
            ]
            inner = _list(lines) if lines else ""
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


def _grades(report: Report) -> str:
    if not report.grades:
        return ""
    html = f"<h2>Grades</h2><p>The period was closed: {escape(report.grades_path)}.</p>"
    rows = [common.grade_cells(review) for review in report.grades]
    return html + _table(common.GRADE_HEADER, rows, (False, False, True, *(False,) * 4))


def _hygiene(report: Report) -> str:
    """Stale metrics grouped by the day each was last recorded, then the overdue reviews."""
    html = "<h2>Hygiene</h2>"
    if not report.stale and not report.reviews:
        return html + "<p>No stale metric and no overdue review.</p>"
    if report.stale:
        html += f"<h3>Stale metrics ({len(report.stale)})</h3>"
        for last, names in common.stale_groups(report.stale):
            html += f'<p class="stale"><strong>{escape(last)} ({len(names)}):</strong> '
            html += escape(", ".join(names)) + "</p>"
    if report.reviews:
        html += f"<h3>Overdue reviews ({len(report.reviews)})</h3>"
        html += _list([escape(common.review_line(review)) for review in report.reviews])
    return html


def _declared_note(goal: GoalStatus) -> str:
    """Beside a goal's computed status in its heading: its declared state, marked where the
    two disagree (no line of its own: the board report keeps its length)."""
    if goal.declared is None:
        return ""
    _title, declared, since, _computed, _disagreement = common.declared_cells(goal)
    text = f"declared {declared} ({since})"
    if goal.disagreement is None:
        return f' <span class="declared">· {escape(text)}</span>'
    return f' <span class="declared disagrees">≠ {escape(text)}</span>'


def _declared(report: Report) -> str:
    """The goals whose state is declared (`state:`), beside their computed status."""
    goals = common.declared_goals(report)
    if not goals:
        return ""
    rows = [common.declared_cells(goal) for goal in goals]
    table = _table(common.DECLARED_HEADER, rows, (False,) * 5, 3)
    return f"<h2>Declared and computed</h2>{table}"


def _alignment(report: Report, full: bool) -> str:
    """The goals' tree as nested lists (no script, no CDN: the page works offline), then the
    goals outside it. full: a section; else (the board report, whose length is kept) one line
    that opens to it, at the end of the footer's line (the board report's length is kept)."""
    if report.alignment is None:
        return ""
    view = tree_view(report.period.as_of, report.alignment)
    items = [
        f"<strong>{escape(label)}</strong>: "
        + escape(", ".join(f"{g.goal.title} ({g.goal.id})" for g in goals))
        for label, goals in ((UNSUPPORTED, view.unsupported), (UNALIGNED, view.unaligned))
        if goals
    ]
    body = tree_html(view, escape) + (_list(items) if items else "")
    if full:
        return f"<h2>Alignment</h2><p>{escape(common.ALIGNMENT_INTRO)}</p>{body}"
    outside = len(view.unsupported) + len(view.unaligned)
    summary = f"<strong>Alignment</strong>: {len(view.roots)} top goals, {outside} outside a tree"
    return f'<details class="alignment"><summary>{summary}</summary>{body}</details>'


def _mixes(report: Report) -> str:
    """The mixes in one small table (a row per mix: its parts' actual shares with the planned
    ones, the worst part, the tolerance, the status), folded under a count of their statuses
    at the end of the targets' legend, as the achieved targets are folded beside their goal."""
    rows = common.mix_rows(report)
    if not rows:
        return ""
    cells = [common.mix_cells(row) for row in rows]
    table = _table(common.MIX_HEADER, cells, common.MIX_NUMERIC, len(common.MIX_HEADER) - 1)
    summary = f"Mixes ({len(rows)}): {common.mix_counts(rows)}"
    return f'<details class="done" id="mixes"><summary>{escape(summary)}</summary>{table}</details>'


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
            figures.append(_figure(report, row, f"c{number}", long=True))
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
        f"<style>{PAGE_CSS}{WIDTH_CSS}{CHART_CSS}</style>",
        f"</head><body><h1>{title}</h1>",
        _summary(report, chosen),
        _exceptions(report, charts, chosen),
        _kpis(report),
        _variances(report),
        _risks(report),
        _calibration(report),
        _grades(report),
        _hygiene(report),
        _declared(report) if charts == "all" else "",
        _alignment(report, True) if charts == "all" else "",
        _rungs(report),
        _goals(report) if charts == "all" else "",
        f"<footer>{escape(common.footer(report))}"
        f"{_alignment(report, False) if charts != 'all' else ''}</footer>",
        "</body></html>",
        "",
    ]
    return "\n".join(part for part in parts if part)
