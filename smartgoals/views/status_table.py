"""The `status` view's table laid out to the output's width, as plain lines or painted.

Which columns a status table has, the text of each cell, and how each may give way when the
terminal is narrow (rendering/layout.py decides: a cell never wraps, a word or number is never
split). Shared by the plain writer (pipes, files, NO_COLOR) and the Rich one (a colour
terminal), so both show the same columns cut at the same places.

- **Piped** (not a terminal: Display.width is None): one line per row at its natural width,
  the observation date inside Current, no Trend column unless --wide; scripts and grep keep
  working.
- **A terminal**: the columns fit the width. Most important first: Status, Goal / metric
  (cut with an ellipsis), Current, Target, Progress, Left, Expected, As of, Trend; the least
  important narrow, then drop. The observation date has a column of its own (As of).
- **--wide**: every column at its natural width, Trend included, whatever the width.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

from smartgoals.engine.evaluation import Evaluation, GoalStatus, TargetStatus
from smartgoals.engine.mix import points, share_text
from smartgoals.engine.words import forecast_cell
from smartgoals.record import Record
from smartgoals.rendering import Display
from smartgoals.rendering.ansi import Painted, Span, cut, paint
from smartgoals.rendering.cells import (
    STYLES,
    area_heading,
    bar_parts,
    better_or_worse,
    current_parts,
    due_short,
    goal_note,
    left_text,
    now_text,
    pace_text,
    rev_line,
    risk_lines,
    risks_heading,
    status_word,
    summary_line,
    target_cell,
    target_forms,
)
from smartgoals.rendering.layout import (
    Cell,
    Column,
    Heading,
    Layout,
    ShownColumn,
    display_width,
    layout_table,
    render_lines,
)
from smartgoals.rendering.sparkline import sparkline

if TYPE_CHECKING:
    from smartgoals.engine.forecast import Forecast
    from smartgoals.ledger.model import MetricDef
    from smartgoals.vcs.objects import CommitInfo


class StatusFields(Protocol):
    """What the table reads of views/status.py's StatusView. That module imports this one only
    for text output (the layout machinery stays out of --json), so this one cannot import it."""

    @property
    def evaluation(self) -> Evaluation: ...
    @property
    def rev(self) -> str | None: ...
    @property
    def commit(self) -> CommitInfo | None: ...
    @property
    def sort(self) -> str: ...
    @property
    def compact(self) -> bool: ...
    @property
    def metrics(self) -> Mapping[str, MetricDef]: ...
    @property
    def trends(self) -> Mapping[str, tuple[float, ...]]: ...
    @property
    def forecasts(self) -> Mapping[tuple[str, int], Forecast]: ...
    @property
    def show_forecast(self) -> bool: ...


TREND_POINTS = 12
CURRENT_MAX_FLOOR = 16
# Names are cut (to Goal / metric's min_width) only after the columns less important than
# Due (priority 5) gave way: Left, Expected, As of, Trend, the bar.
NAMES_BEFORE = 5  # a current value is cut only past this (4.2 messages/day fits)

# Each column: its spec (layout.py's rules). Priority: lower is more important; in a terminal
# the columns give way in the order of docs/status-engine.md: Trend, As of, Expected, Left, the
# bar (and ETA / slack), Due (to its goal's line or a line of its own), the percentage; then
# the names move to lines of their own.
SPECS: dict[str, Column] = {
    "goal": Column(
        "Goal / metric", priority=1, min_width=20, ideal_width=36, truncate=True, droppable=False
    ),
    "current": Column("Current", priority=2, min_width=8, truncate=True, droppable=False),
    "as_of": Column("As of", priority=9),
    "target": Column("Target", priority=3, min_width=12, ideal_width=24, truncate=True),
    "aim": Column("Target", priority=3, droppable=False),
    "due": Column("Due", priority=5),
    "left": Column("Left", "right", priority=7),
    "progress": Column("Progress", priority=4),
    "percent": Column("", "right", priority=4),
    "bar": Column("Progress", priority=6),
    "expected": Column("Expected", "right", priority=8, short_header="Exp."),
    "trend": Column("Trend", priority=10),
    "status": Column("Status", priority=0, droppable=False),
    "targets": Column("Targets", priority=5),
    "forecast": Column("ETA / slack", priority=6, short_header="ETA"),  # gives way with the bar
}
PIPED = ("goal", "current", "target", "left", "progress", "expected", "status")
PIPED_WIDE = ("goal", "current", "target", "left", "progress", "expected", "trend", "status")
# In a terminal the progress bar and its percentage are two columns, so that the bar can go
# and the number stay; the target's condition (aim) and its due too.
TERMINAL = (
    "goal",
    "current",
    "as_of",
    "aim",
    "due",
    "left",
    "bar",
    "percent",
    "expected",
    "trend",
    "status",
)
COMPACT = ("goal", "progress", "targets", "status")


class Line(Record):
    """A row of the table: an area heading (or the gap before one), a goal, a target, a
    target's due on a line of its own ("due"), or a name above its values ("name")."""

    kind: str  # "gap", "area", "goal", "target", "due" or "name"
    cells: dict[str, Cell]
    goal: GoalStatus | None = None
    target: TargetStatus | None = None


def column_keys(display: Display, compact: bool = False) -> tuple[str, ...]:
    if compact:
        return COMPACT
    if display.width is None:
        return PIPED_WIDE if display.wide else PIPED
    return TERMINAL


def view_keys(view: StatusFields, display: Display) -> tuple[str, ...]:
    """The columns of this view: column_keys, with ETA / slack before Status for --forecast."""
    keys = column_keys(display, view.compact)
    if view.show_forecast and not view.compact:
        at = keys.index("status")
        keys = (*keys[:at], "forecast", *keys[at:])
    return keys


def _progress_cells(fraction: float | None, plain: bool) -> dict[str, str]:
    filled, empty, percent = bar_parts(fraction, plain)
    return {
        "progress": filled + empty + percent,
        "bar": filled + empty,
        "percent": percent.strip(),
    }


def _goal_cells(goal: GoalStatus, plain: bool, terminal: bool, ascii: bool) -> dict[str, Cell]:
    achieved = sum(t.status == "achieved" for t in goal.targets)
    note = goal_note(goal, ascii)  # why it has not started; its declared state
    return {
        # a terminal names goals by their titles (the id is in --json, show and explain)
        "goal": goal.goal.title if terminal else f"{goal.goal.title}  {goal.goal.id}",
        "target": note,
        # in a terminal a goal's row has no value: the note (no number in it) may be cut there
        "current": note if terminal else "",
        **_progress_cells(goal.score, plain),
        "status": status_word(goal.status, plain),
        "targets": f"{achieved}/{len(goal.targets)} achieved",
    }


def _target_cells(
    target: TargetStatus, plain: bool, split_date: bool, trend: Sequence[float], ascii: bool
) -> dict[str, Cell]:
    value, date, stale = current_parts(target, plain)
    now = now_text(target)
    if split_date and stale and not now:  # the date has its own column: a short marker
        stale = " *" if plain else " ⚠"
    shown_date = target.judged_date if now else target.current_date
    # in a terminal the value judged at the due may stand without the current one beside it
    current: Cell = (value + stale, value) if split_date and now else value + stale
    return {
        "goal": f"  {target.metric.name}",
        "current": current if split_date else value + date + stale,
        "as_of": shown_date.isoformat() if shown_date else "",
        "target": target_cell(target, plain),
        "aim": target_forms(target, plain),
        "due": due_short(target.rung.due_text),
        "left": left_text(target),
        **_progress_cells(target.progress, plain),
        "expected": pace_text(target),
        "trend": _trend_forms(target, trend, ascii),
        "status": status_word(target.status, plain),
    }


def mix_lines(target: TargetStatus) -> Iterator[Line]:
    """A mix's parts below its row: the actual share, the planned one, the deviation."""
    for part in target.mix or ():
        # the deviation beside the plan, so that no number goes with a dropped Left column
        deviation = "" if part.deviation is None else f", {points(part.deviation)}"
        planned = f"plan {share_text(part.planned)}{deviation}"
        cells: dict[str, Cell] = {
            "goal": f"    {part.part}",
            "current": share_text(part.actual),
            "target": planned,
            "aim": planned,
        }
        yield Line("part", cells)


def _trend_forms(target: TargetStatus, trend: Sequence[float], ascii: bool) -> Cell:
    """The sparkline, and whether its last move is better or worse for the metric (churn up
    is worse, revenue up better)."""
    if not trend:
        return ""
    line = sparkline(trend, TREND_POINTS, ascii=ascii)
    word = better_or_worse(target.metric, trend)
    return (f"{line} {word}", line) if word else line


def status_table_lines(
    view: StatusFields, display: Display, plain: bool, keys: Sequence[str]
) -> Iterator[Line]:
    """The table's rows: grouped under area headings (--sort area), else one list."""
    evaluation = view.evaluation
    grouped = view.sort == "area"
    split_date = "as_of" in keys
    last_area = None
    rollups = {a.area: a for a in evaluation.areas}
    for goal in evaluation.goals:
        area = goal.goal.area
        if grouped and area != last_area:
            if last_area is not None:
                yield Line("gap", {})
            yield Line("area", {"goal": area_heading(rollups[area], plain)})
            last_area = area
        yield Line("goal", _goal_cells(goal, plain, split_date, display.ascii), goal=goal)
        if view.compact:
            continue
        for index, target in enumerate(goal.targets):
            # a sparkline is drawn only where the Trend column is shown
            trend = view.trends.get(target.metric.id, ()) if "trend" in keys else ()
            cells = _target_cells(target, plain, split_date, trend, display.ascii)
            forecast = view.forecasts.get((goal.goal.id, index))
            if "forecast" in keys and forecast is not None:
                cells["forecast"] = forecast_cell(forecast, target.metric)
            yield Line("target", cells, target=target)
            yield from mix_lines(target)


class Table(Record):
    """The table as laid out: the lines (with any moved dues and names), the keys shown."""

    layout: Layout
    lines: list[Line]
    keys: tuple[str, ...]


def lay_out(lines: Sequence[Line], keys: Sequence[str], display: Display) -> Table:
    """The lines laid out to the display's width. When the Due column gives way, the dues move
    to their goal's line (or a line of their own); when the table still does not fit, the names
    move to lines of their own above their values."""
    table = _laid(list(lines), tuple(keys), display, whole_names=True)
    if display.width is None or display.wide:
        return table
    shown = [keys[c.index] for c in table.layout.columns]
    if not table.layout.fits or any(
        SPECS[key].priority <= NAMES_BEFORE for key in _gone(keys, shown)
    ):
        table = _laid(list(lines), tuple(keys), display)
    if "due" in keys and keys.index("due") in table.layout.dropped:
        table = _laid(list(_dues_moved(table.lines)), table.keys, display)
    if not table.layout.fits and "goal" in table.keys:
        narrow = tuple(key for key in table.keys if key != "goal")
        table = _laid(list(_names_above(table.lines)), narrow, display)
    return table


def _gone(keys: Sequence[str], shown: Sequence[str]) -> list[str]:
    return [key for key in keys if key not in shown]


def _laid(
    lines: list[Line], keys: tuple[str, ...], display: Display, whole_names: bool = False
) -> Table:
    """One layout. whole_names: the names narrow no further than their ideal width, so that
    the less important columns give way before a name is cut."""
    rows: list[Sequence[Cell] | Heading] = [
        Heading(_first(line.cells.get("goal", "")))
        if line.kind in ("gap", "area", "name")
        else [line.cells.get(key, "") for key in keys]
        for line in lines
    ]
    columns = _specs(lines, keys, whole_names)
    layout = layout_table(columns, rows, display.width, wide=display.wide, ascii=display.ascii)
    if "bar" in keys and "percent" in keys and keys.index("bar") in layout.dropped:
        # the bar went and its number stayed: the number takes the header
        at = keys.index("percent")
        columns[at] = columns[at]._replace(header="Progress", short_header="%")
        layout = layout_table(columns, rows, display.width, wide=display.wide, ascii=display.ascii)
    return Table(layout, lines, keys)


def _dues_moved(lines: Sequence[Line]) -> Iterator[Line]:
    """The dues without their column: a goal whose targets share one due says it on its own
    line; a target with another due gets a line of its own below it."""
    common = ""
    for line in lines:
        if line.kind == "goal" and line.goal is not None:
            dues = {due_short(t.rung.due_text) for t in line.goal.targets}
            common = dues.pop() if len(dues) == 1 else ""
            if common:
                line = line._replace(cells={**line.cells, "aim": f"due {common}"})
        yield line
        due = line.cells.get("due", "")
        if line.kind == "target" and due and due != common:
            yield Line("due", {"aim": f"due {_first(due)}"}, target=line.target)


def _names_above(lines: Sequence[Line]) -> Iterator[Line]:
    """Each goal's and target's name on a line of its own, its values on the next."""
    for line in lines:
        if line.kind in ("goal", "target", "part"):
            yield Line("name", {"goal": line.cells.get("goal", "")}, line.goal, line.target)
        yield line


def _first(cell: Cell) -> str:
    return cell[0] if isinstance(cell, tuple) else cell


def _last(cell: Cell) -> str:
    return cell[-1] if isinstance(cell, tuple) else cell


def _specs(lines: Sequence[Line], keys: Sequence[str], whole_names: bool = False) -> list[Column]:
    """The columns, sized from the data: Current narrows no further than its widest value (a
    reason why a value is missing may be cut), and Target grows to its widest text before the
    goal names take the rest of the room."""

    def widest(key: str, rows: Sequence[Line], form: Callable[[Cell], str]) -> int:
        return max((display_width(form(line.cells.get(key, ""))) for line in rows), default=0)

    valued = [
        line
        for line in lines
        if line.kind == "target" and line.target is not None and line.target.current is not None
    ]
    columns = []
    for key in keys:
        spec = SPECS[key]
        if key == "current":
            least = min(max(spec.min_width, widest(key, valued, _last)), CURRENT_MAX_FLOOR)
            spec = spec._replace(min_width=least)
        elif key == "target":
            spec = spec._replace(ideal_width=max(spec.ideal_width or 0, widest(key, lines, _first)))
        elif key == "goal" and whole_names:
            names = widest(key, [line for line in lines if line.kind != "name"], _first)
            spec = spec._replace(min_width=max(spec.min_width, min(spec.ideal_width or 0, names)))
        columns.append(spec)
    return columns


def _risk_section(view: StatusFields, plain: bool = True) -> list[str]:
    shown = [r for r in view.evaluation.risks if r.triggered]
    lines = [risks_heading(shown, only_triggered=True)]
    for risk in shown:
        lines += [text for _kind, text in risk_lines(risk, plain, view.metrics)] + [""]
    return lines


def status_lines(view: StatusFields, display: Display | None = None) -> list[str]:
    """`status` as plain text: no escape codes, no Rich."""
    display = display or Display()
    evaluation = view.evaluation
    lines: list[str] = []
    if evaluation.goals:
        keys = view_keys(view, display)
        table = lay_out(list(status_table_lines(view, display, True, keys)), keys, display)
        lines = render_lines(table.layout)
    if any(r.triggered for r in evaluation.risks):
        lines += ["", *_risk_section(view)]
    if view.commit is not None:
        lines.insert(0, rev_line(view.rev, view.commit))
    return [*lines, summary_line(evaluation)]


# -- colour -------------------------------------------------------------------------------

HEADING_STYLES = {"gap": "", "area": "bold underline", "name": ""}


def _spans(line: Line, key: str, text: str) -> list[Span]:
    """A cell's text in styled spans (the same text, cut into pieces)."""
    target, goal = line.target, line.goal
    status = target.status if target is not None else goal.status if goal is not None else ""
    style = STYLES.get(status, "")
    if key == "status":
        return [(text, style)]
    if key == "bar":
        full = len(text) - len(text.lstrip("█#"))
        return [(text[:full], style or "green"), (text[full:], "dim")]
    if key == "progress":
        fraction = target.progress if target is not None else goal.score if goal else None
        filled, empty, percent = bar_parts(fraction, plain=False)
        if filled + empty + percent == text:  # the bar's colour follows the status
            return [(filled, style or "green"), (empty, "dim"), (percent, "")]
        return [(text, "")]
    if key == "goal" and line.kind == "goal" and goal is not None:
        title = goal.goal.title
        if text.startswith(title):
            return [(title, "bold"), (text[len(title) :], "bold dim")]
        return [(text, "")]
    if line.kind == "due":
        return [(text, "dim")]
    if key == "current" and target is not None:
        return _current_spans(target, text)
    if key in ("as_of", "trend"):
        return [(text, "dim" if key == "as_of" else "cyan")]
    return [(text, "")]


def _current_spans(target: TargetStatus, text: str) -> list[Span]:
    """A value, its date dim (piped with colour), a stale marker yellow, a current value beside
    the one judged at the due dim."""
    for mark in (" ⚠ stale", " ⚠"):
        if text.endswith(mark):
            return [(text.removesuffix(mark), ""), (mark, "yellow")]
    _value, date, _stale = current_parts(target, plain=False)
    body, now, rest = text.partition(" now ")
    if date and body.endswith(date):
        body, rest_date = body[: -len(date)], date
        return [(body, ""), (rest_date, "dim"), (now + rest, "dim")]
    return [(body, ""), (now + rest, "dim")]


def _padded(spans: list[Span], shown: int, column: ShownColumn) -> list[Span]:
    space = " " * max(column.width - shown, 0)
    return [(space, ""), *spans] if column.justify == "right" else [*spans, (space, "")]


def _folded(spans: list[Span], width: int | None) -> list[str]:
    """A line of text drawn in spans, folded between words to the width (as Rich wraps a
    Text): the first span's style stays with the first piece's start, the last span's style
    goes to the rest."""
    text = "".join(piece for piece, _style in spans)
    if width is None or display_width(text) <= width:
        return [paint(spans)]
    from smartgoals.rendering import fold

    pieces = fold(text, width)
    first, rest = spans[0], spans[-1][1]
    lines = []
    for number, piece in enumerate(pieces):
        if number == 0 and first[0] and piece.startswith(first[0]):
            lines.append(paint([first, (piece[len(first[0]) :], rest)]))
        else:
            lines.append(paint([(piece, rest)]))
    return lines


def _risk_spans(view: StatusFields) -> list[list[Span]]:
    """The triggered risks, styled as rendering/text.py's risks_view draws them."""
    shown = [r for r in view.evaluation.risks if r.triggered]
    lines: list[list[Span]] = [[(risks_heading(shown, only_triggered=True), "bold underline")]]
    for risk in shown:
        word_style = "bold red" if risk.triggered else "yellow" if risk.missing else "green"
        for kind, text in risk_lines(risk, False, view.metrics):
            if kind == "head":
                word, _, rest = text.partition("  ")
                lines.append([(word, word_style), ("  ", ""), (rest, "bold")])
            else:
                lines.append([(text, {"when": "dim", "missing": "yellow"}.get(kind, ""))])
        lines.append([])
    return lines


def status_rich(view: StatusFields, display: Display | None = None) -> Painted:
    """`status` for a colour terminal: the same layout as the plain table (same columns, same
    cuts), cells styled, written as escape codes directly (rendering/ansi.py): Rich measuring
    every cell again cost more than the whole piped run."""
    display = display or Display(color=True)
    evaluation = view.evaluation
    width = display.width
    out: list[str] = []
    if view.commit is not None:
        out += _folded([(rev_line(view.rev, view.commit), "")], width)
    if evaluation.goals:
        keys = view_keys(view, display)
        table = lay_out(list(status_table_lines(view, display, False, keys)), keys, display)
        layout = table.layout
        between = " " * layout.gap
        header = [
            paint(_padded([(c.header.text, "bold")], display_width(c.header.text), c))
            for c in layout.columns
        ]
        out.append(between.join(header).rstrip(" "))
        for line, laid in zip(table.lines, layout.rows, strict=True):
            if laid.heading is not None:
                bold = line.kind == "name" and line.target is None  # a goal's name
                style = "bold" if bold else HEADING_STYLES[line.kind]
                out.append(paint([(laid.heading.text.rstrip(" "), style)]))
                continue
            cells = []
            for column, fitted in zip(layout.columns, laid.cells, strict=True):
                key = table.keys[column.index]
                cell = line.cells.get(key, "")
                text = cell[fitted.form] if isinstance(cell, tuple) else cell
                spans = _spans(line, key, text)
                if fitted.truncated:
                    spans = cut(spans, fitted.kept)
                    spans.append((layout.ellipsis, spans[-1][1] if spans else ""))
                cells.append(paint(_padded(spans, display_width(fitted.text), column)))
            out.append(between.join(cells).rstrip(" "))
    if any(r.triggered for r in evaluation.risks):
        out.append("")
        for spans in _risk_spans(view):
            out += _folded(spans, width) if spans else [""]
    out += _folded([(summary_line(evaluation), "")], width)
    return Painted(out)
