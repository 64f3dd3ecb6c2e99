"""A width-aware table layout: which columns to show, how wide, and each cell's text fitted.

Pure Python, no Rich: the plain writer calls :func:`render_lines`; a Rich caller takes the
decisions and draws them with its own styles.

The rules
---------

- **A cell never wraps** and a word or number is never split across lines: every row is one
  line. Control characters in a cell (newline, tab, ...) are shown as spaces.
- **Widths are display widths**: East Asian wide and full-width characters count 2 columns,
  combining marks and other zero-width characters 0 (:func:`display_width`, stdlib only).
- **Natural width** of a column is the widest of its header and its cells. With
  ``width=None`` (a pipe or a file) or ``wide=True`` every column is shown at its natural
  width: one line per row, columns two spaces apart, no trailing spaces.
- **Floor** of a column is the narrowest it can be drawn: a truncatable column can narrow to
  its ``min_width`` (never below the ellipsis); any other column only as far as its widest
  cell, or its abbreviated header when that is shorter than the header. A floor is never
  above the natural width.
- **Dropping**: when the shown columns at their floors, two spaces apart, are still wider than
  ``width``, droppable columns are dropped, the least important (highest ``priority``
  number; among equals the rightmost) first, until the rest fits. A more important column
  is never dropped while a less important one is shown. Columns that are not droppable stay
  even if the table cannot fit (then :attr:`Layout.fits` is False and lines may be longer
  than ``width``); :func:`minimum_width` tells the narrowest width that fits.
- **Narrowing**: the space left over the floors goes to the shown columns in priority order
  (most important first), each up to its ``ideal_width`` (when it has one), then again in
  priority order up to the natural width. So as the width shrinks the least important
  columns narrow first, and only when every shown column is at its floor does the least
  important droppable column go.
- **Truncation**: a cell wider than its column (only in a truncatable column) is cut at a
  character boundary and ends in ``…`` (``...`` with ``ascii=True``, for an output encoding
  that is not UTF-8; see :func:`ellipsis_for`). The cut moves back to the previous space
  when that loses at most a quarter of the room, and always when it would fall inside a
  number (a cut number reads as another number); spaces before the ellipsis are dropped. A
  header that does not fit uses the abbreviated header, else it is truncated the same way.
- **Shorter forms**: a cell may be a tuple of forms, longest first, each whole (``("11,800
  now 81,000", "11,800")``, ``("≥ 50k every month (3/3 met)", "≥ 50k every month")``). Its
  natural width is its first form's; its floor (in a column that is not truncatable) its
  last form's. A column narrower than a cell's first form shows the longest form that
  fits (:attr:`Fitted.form` tells which); only a truncatable column cuts, and only the last
  form. So a number is never cut: a column gives a shorter whole form, then gives way.
- **Headings** (:class:`Heading`, an area title) span the table: they do not widen any
  column, and are truncated to ``width`` when one is given.

Drawing with Rich
-----------------

Lay out with the console's width (``ascii=True`` unless the console writes UTF-8). Rich has
no cell that spans columns, so draw each heading as a line of its own between tables that all
have the same fixed columns: they line up exactly. Each table is
``Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1))`` (columns two spaces
apart, like ``gap=2``; a box with vertical lines between columns needs ``gap=3``), with::

    for column in layout.columns:
        table.add_column(column.header.text, justify=column.justify, width=column.width,
                         min_width=column.width, max_width=column.width,
                         no_wrap=True, overflow="ellipsis")

and ``show_header`` on the first table only. For each input row and its ``LaidRow``:
a heading is ``Text(row.heading.text, style=...)``; any other row is::

    cells = layout.pick(styled_cells)      # the caller's own Text cells, shown columns only
    table.add_row(*(cell[: fitted.kept] + layout.ellipsis if fitted.truncated else cell
                    for cell, fitted in zip(cells, row.cells)))

``Fitted.kept`` is the number of characters of the source cell that were kept, so a styled
``rich.text.Text`` sliced to it keeps its styles and is cut exactly where the plain text is;
Rich's own ``overflow="ellipsis"`` is only a safety net. ``tests/rendering/test_layout.py``
draws the status table this way and checks that Rich prints the same lines as :func:`render_lines`.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal, TextIO, TypeVar

from smartgoals.record import Record

ELLIPSIS = "…"
ASCII_ELLIPSIS = "..."
GAP = 2

T = TypeVar("T")
Align = Literal["left", "right"]


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Columns one character takes: 2 for East Asian wide/full-width, 0 for combining marks,
    format characters (zero-width joiner, ...) and controls, 1 otherwise."""
    import unicodedata  # only for text that is not printable ASCII

    if unicodedata.combining(char):
        return 0
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf", "Cc") or "\u1160" <= char <= "\u11ff":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (see :func:`char_width`)."""
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(char_width(char) for char in text)


def clean(text: str) -> str:
    """``text`` on one line: control characters and line/paragraph separators become spaces,
    character for character (so indexes into the cleaned text are indexes into ``text``)."""
    if text.isprintable():
        return text
    import unicodedata

    return "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)


def ellipsis_for(stream: TextIO | None) -> str:
    """``…`` when ``stream``'s encoding is UTF-8, else ``...``."""
    encoding = getattr(stream, "encoding", None) or ""
    try:
        name = codecs.lookup(encoding).name if encoding else ""
    except LookupError:
        name = ""
    return ELLIPSIS if name.startswith("utf-8") else ASCII_ELLIPSIS


class Fitted(Record):
    """A cell's text as shown. ``kept`` characters of the (cleaned) source form ``form`` (0
    for a cell of one form) come first; when ``truncated`` the text is those characters,
    trailing spaces dropped, plus the ellipsis."""

    text: str
    kept: int
    truncated: bool = False
    form: int = 0


def fit(text: str, width: int, ellipsis: str = ELLIPSIS) -> Fitted:
    """``text`` in at most ``width`` columns: whole when it fits, else a prefix + ellipsis.

    The cut is at a character boundary (a combining mark stays with its base character), and
    moves back to the previous space when that loses at most a quarter of the room, or
    whatever it loses when the cut would fall inside a number (``$100,0…`` would read as a
    different amount: ``>= $100,000`` becomes ``>=…``). When even the ellipsis does not fit,
    the result is as much of the ellipsis as fits.
    """
    text = clean(text)
    if display_width(text) <= width:
        return Fitted(text, len(text))
    room = width - display_width(ellipsis)
    if room < 0:
        return Fitted(ellipsis[: max(width, 0)], 0, True)
    used = 0
    end = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > room:
            break
        end = index + 1
    if end < len(text) and text[end] != " ":
        space = text.rfind(" ", 0, end)
        if _inside_number(text, end) or (space > 0 and display_width(text[space:end]) <= room // 4):
            end = max(space, 0)
    end = len(text[:end].rstrip(" "))
    return Fitted(text[:end] + ellipsis, end, True)


def _inside_number(text: str, end: int) -> bool:
    """Whether cutting ``text`` at ``end`` would cut a number (``100,000``, ``2026-10-31``)."""
    if not 0 < end < len(text):
        return False
    before, after = text[end - 1], text[end]
    if before.isdigit():
        return after.isdigit() or (after in ".,:-/" and text[end + 1 : end + 2].isdigit())
    return after.isdigit() and before in ".,:-/" and text[end - 2 : end - 1].isdigit()


class Column(Record):
    """What a column is and how it may give way.

    ``priority``: lower is more important. ``min_width``: how narrow a ``truncate`` column may
    get (ignored otherwise); below it, less important columns are dropped instead, so choose
    the width under which the column stops being useful. ``short_header``: shown when the
    header does not fit. ``droppable``: whether the column may be left out when the table
    does not fit. ``ideal_width``: how wide the column grows before less important columns
    get their room (None: its natural width), so that one very long name does not squeeze
    the values next to it.
    """

    header: str
    align: Align = "left"
    priority: int = 0
    min_width: int = 1
    truncate: bool = False
    short_header: str | None = None
    droppable: bool = True
    ideal_width: int | None = None


class Heading:
    """A row that spans the table (an area title). Not a tuple, so that it is never taken for
    a row of cells."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Heading) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("Heading", self.text))

    def __repr__(self) -> str:
        return f"Heading({self.text!r})"


Cell = str | tuple[str, ...]  # one text, or its forms, longest first
Row = Sequence[Cell] | Heading


class ShownColumn:
    """A column that is shown: its position in the specs, the spec, its width, its header."""

    __slots__ = ("header", "index", "spec", "width")

    def __init__(self, index: int, spec: Column, width: int, header: Fitted) -> None:
        self.index = index
        self.spec = spec
        self.width = width
        self.header = header

    def _key(self) -> tuple[int, Column, int, Fitted]:
        return (self.index, self.spec, self.width, self.header)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ShownColumn) and other._key() == self._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "ShownColumn(index={!r}, spec={!r}, width={!r}, header={!r})".format(*self._key())

    @property
    def justify(self) -> Align:
        return self.spec.align


class LaidRow(Record):
    """A row as shown: ``heading`` for a heading row, else ``cells`` for the shown columns."""

    cells: tuple[Fitted, ...] = ()
    heading: Fitted | None = None


class Layout(Record):
    """The decisions: shown columns (in the specs' order), rows (one per input row, in order),
    the indexes of dropped columns, the gap between columns, the ellipsis, and whether the
    table fits the width it was given."""

    columns: tuple[ShownColumn, ...]
    rows: tuple[LaidRow, ...]
    dropped: tuple[int, ...]
    gap: int
    ellipsis: str
    fits: bool

    @property
    def width(self) -> int:
        """Width of the table's columns with the gaps between them (headings not counted)."""
        widths = [column.width for column in self.columns]
        return sum(widths) + self.gap * max(len(widths) - 1, 0)

    def pick(self, cells: Sequence[T]) -> list[T]:
        """The caller's own cells of a row (e.g. styled Rich Text; one per column spec), shown
        columns only."""
        return [cells[c.index] for c in self.columns]


Forms = tuple[str, ...]


def _forms(cell: Cell) -> Forms:
    return tuple(clean(form) for form in cell) if isinstance(cell, tuple) else (clean(cell),)


def _grid(columns: Sequence[Column], rows: Sequence[Row]) -> list[list[Forms] | None]:
    """Rows cleaned and padded (or cut) to one cell (its forms) per column; None for a
    heading."""
    count = len(columns)
    grid: list[list[Forms] | None] = []
    for row in rows:
        if isinstance(row, Heading):
            grid.append(None)
            continue
        cells = [_forms(cell) for cell in row[:count]]
        grid.append(cells + [("",)] * (count - len(cells)))
    return grid


def _natural(columns: Sequence[Column], grid: Sequence[list[Forms] | None]) -> list[int]:
    widths = [display_width(clean(column.header)) for column in columns]
    for cells in grid:
        for index, cell in enumerate(cells or ()):
            widths[index] = max(widths[index], display_width(cell[0]))
    return widths


def _floors(
    columns: Sequence[Column],
    grid: Sequence[list[Forms] | None],
    natural: Sequence[int],
    ellipsis: str,
) -> list[int]:
    floors = []
    for index, column in enumerate(columns):
        if column.truncate:
            floor = max(column.min_width, display_width(ellipsis))
        else:
            headers = [display_width(clean(column.header))]
            if column.short_header is not None:
                headers.append(display_width(clean(column.short_header)))
            cells = [display_width(cells[index][-1]) for cells in grid if cells is not None]
            floor = max([*cells, min(headers)])
        floors.append(min(floor, natural[index]))
    return floors


def _total(widths: Sequence[int], gap: int) -> int:
    return sum(widths) + gap * max(len(widths) - 1, 0)


def _drop_order(columns: Sequence[Column]) -> list[int]:
    """Droppable columns, the first to go first: least important, then rightmost."""
    droppable = [i for i, column in enumerate(columns) if column.droppable]
    return sorted(droppable, key=lambda i: (-columns[i].priority, -i))


def minimum_width(
    columns: Sequence[Column], rows: Sequence[Row], *, ascii: bool = False, gap: int = GAP
) -> int:
    """The narrowest ``width`` at which the table fits: the columns that cannot be dropped at
    their floors, ``gap`` apart (0 when every column can be dropped)."""
    ellipsis = ASCII_ELLIPSIS if ascii else ELLIPSIS
    grid = _grid(columns, rows)
    floors = _floors(columns, grid, _natural(columns, grid), ellipsis)
    return _total([floors[i] for i, c in enumerate(columns) if not c.droppable], gap)


def _header(column: Column, width: int, ellipsis: str) -> Fitted:
    for header in (column.header, column.short_header):
        if header is not None and display_width(clean(header)) <= width:
            return fit(header, width, ellipsis)
    return fit(column.short_header or column.header, width, ellipsis)


def layout_table(
    columns: Sequence[Column],
    rows: Sequence[Row],
    width: int | None,
    *,
    wide: bool = False,
    ascii: bool = False,
    gap: int = GAP,
) -> Layout:
    """Lay out ``rows`` (each a sequence of cells, one per column, or a :class:`Heading`) in
    ``width`` columns by the rules in the module docstring. ``width=None`` or ``wide=True``:
    every column at its natural width. Rows shorter than ``columns`` get empty cells; extra
    cells are ignored. ``ascii``: use ``...`` as the ellipsis."""
    ellipsis = ASCII_ELLIPSIS if ascii else ELLIPSIS
    grid = _grid(columns, rows)
    natural = _natural(columns, grid)
    shown = list(range(len(columns)))
    widths = list(natural)
    fits = True
    if width is not None and not wide and _total(natural, gap) > width:
        floors = _floors(columns, grid, natural, ellipsis)
        for index in _drop_order(columns):
            if _total([floors[i] for i in shown], gap) <= width:
                break
            shown.remove(index)
        widths = list(floors)
        spare = width - _total([floors[i] for i in shown], gap)
        fits = spare >= 0
        ideal = [min(n, c.ideal_width or n) for n, c in zip(natural, columns, strict=True)]
        for caps in (ideal, natural):
            for index in sorted(shown, key=lambda i: (columns[i].priority, i)):
                grow = min(max(spare, 0), caps[index] - widths[index])
                if grow > 0:
                    widths[index] += grow
                    spare -= grow
    laid_columns = tuple(
        ShownColumn(i, columns[i], widths[i], _header(columns[i], widths[i], ellipsis))
        for i in shown
    )
    laid_rows: list[LaidRow] = []
    limit = None if wide or width is None else width
    for row, cells in zip(rows, grid, strict=True):
        if cells is None:
            text = clean(row.text) if isinstance(row, Heading) else ""
            heading = Fitted(text, len(text)) if limit is None else fit(text, limit, ellipsis)
            laid_rows.append(LaidRow(heading=heading))
        else:  # a column at its natural width fits each of its (cleaned) cells whole
            fitted = tuple(_fitted(cells[c.index], c.width, ellipsis) for c in laid_columns)
            laid_rows.append(LaidRow(fitted))
    dropped = tuple(i for i in range(len(columns)) if i not in shown)
    return Layout(laid_columns, tuple(laid_rows), dropped, gap, ellipsis, fits)


def _fitted(forms: Forms, width: int, ellipsis: str) -> Fitted:
    """The longest form that fits whole, else the last one cut."""
    for index, text in enumerate(forms):
        if display_width(text) <= width:
            return Fitted(text, len(text), False, index)  # positional: the hottest call of a table
    return fit(forms[-1], width, ellipsis)._replace(form=len(forms) - 1)


def _pad(text: str, width: int, align: Align) -> str:
    space = " " * max(width - display_width(text), 0)
    return space + text if align == "right" else text + space


def render_lines(layout: Layout, *, header: bool = True) -> list[str]:
    """The table as plain text lines: the header line (unless ``header=False``), then a line
    per row; cells padded to their column's width and aligned, ``gap`` spaces apart, no
    trailing spaces. Headings are written as they are fitted."""
    between = " " * layout.gap
    lines = []
    if header:
        lines.append(
            between.join(_pad(c.header.text, c.width, c.justify) for c in layout.columns).rstrip(
                " "
            )
        )
    for row in layout.rows:
        if row.heading is not None:
            lines.append(row.heading.text.rstrip(" "))
            continue
        cells = [
            _pad(cell.text, column.width, column.justify)
            for cell, column in zip(row.cells, layout.columns, strict=True)
        ]
        lines.append(between.join(cells).rstrip(" "))
    return lines


__all__ = [
    "ASCII_ELLIPSIS",
    "ELLIPSIS",
    "Cell",
    "Column",
    "Fitted",
    "Heading",
    "LaidRow",
    "Layout",
    "ShownColumn",
    "char_width",
    "clean",
    "display_width",
    "ellipsis_for",
    "fit",
    "layout_table",
    "minimum_width",
    "render_lines",
]
