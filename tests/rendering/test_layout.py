"""The width-aware table layout: fitting cells, narrowing, dropping, natural width, Rich."""

from __future__ import annotations

import io
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.rendering.layout import (
    ASCII_ELLIPSIS,
    ELLIPSIS,
    Column,
    Heading,
    Layout,
    clean,
    display_width,
    ellipsis_for,
    fit,
    layout_table,
    minimum_width,
    render_lines,
)

STATUS_COLUMNS = [
    Column("Goal / metric", priority=1, min_width=16, truncate=True, droppable=False),
    Column("Current", priority=2, min_width=8, truncate=True),
    Column("Target", priority=3, min_width=10, truncate=True),
    Column("Left", "right", priority=5, short_header="L"),
    Column("Progress", priority=4),
    Column("Pace", "right", priority=6),
    Column("Status", priority=0, droppable=False),
]
STATUS_ROWS: list[Sequence[str] | Heading] = [
    Heading("REVENUE"),
    ["Lightning Network revenue  lightning-revenue", "", "", "", "#########.  88%", "", "on track"],
    [
        "  Monthly recurring revenue",
        "$77,000",
        ">= $100,000 by 2026-Q4 (rung 4/4)",
        "$23,000",
        "#######...  69%",
        "67%",
        "on track",
    ],
    ["  顧客獲得コスト", "$8.4", "< $10 by 2026-Q4", "$0", "########## 100%", "-", "achieved"],
]


def align(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    """The plain writer's aligner as it is today (rendering/plain.py): the reference for
    natural width."""
    width = max((len(r) for r in rows), default=0)
    sizes = [
        max((len(r[i]) for r in rows if len(r) > i and len(r) > 1), default=0) for i in range(width)
    ]
    lines = []
    for row in rows:
        if len(row) == 1:
            lines.append(row[0])
            continue
        cells = [
            cell.rjust(sizes[i]) if i in right else cell.ljust(sizes[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


# -- display width and fitting -------------------------------------------------------------


def test_display_width_counts_wide_characters_twice_and_marks_as_nothing() -> None:
    assert display_width("abc") == 3
    assert display_width("日本") == 4
    assert display_width("ＡＢ") == 4  # full-width
    assert display_width("cafe\u0301") == 4  # combining acute accent
    assert display_width("a\u200db") == 2  # zero-width joiner
    assert display_width("✔ achieved") == 10


def test_a_cell_that_fits_is_whole() -> None:
    assert fit("on track", 8).text == "on track"
    assert not fit("on track", 8).truncated


def test_a_cut_moves_back_to_a_word_boundary_when_that_loses_little() -> None:
    assert fit("Monthly recurring revenue", 20).text == "Monthly recurring…"
    # "Monthly…" would lose 4 of 11 columns: cut mid-word instead
    assert fit("Monthly recurring revenue", 12).text == "Monthly rec…"
    assert fit("Monthly recurring revenue", 12).kept == len("Monthly rec")


def test_a_cut_at_a_space_drops_the_space() -> None:
    assert fit("Lightning Network revenue  lightning-revenue", 26).text == (
        "Lightning Network revenue…"
    )


def test_a_number_is_never_cut() -> None:
    # "$100,0…" would read as another amount: the whole number goes
    assert fit(">= $100,000 by 2026-Q4 (rung 4/4)", 10).text == ">=…"
    assert fit("$77,000 (2026-10-31)", 16).text == "$77,000…"
    assert fit("12.5% of 40", 4).text == "…"
    assert fit("12.5% of 40", 8).text == "12.5% o…"


def test_ascii_ellipsis() -> None:
    fitted = fit("Monthly recurring revenue", 12, ASCII_ELLIPSIS)
    assert fitted.text == "Monthly..."  # loses " r", 2 of 9 columns
    assert display_width(fitted.text) <= 12


def test_a_wide_character_is_never_split() -> None:
    fitted = fit("日本語テキスト", 6)
    assert fitted.text == "日本…"
    assert display_width(fitted.text) == 5


def test_a_combining_mark_stays_with_its_letter() -> None:
    assert fit("cafe\u0301 au lait", 6).text == "cafe\u0301…"
    assert fit("cafe\u0301st", 5).text == "cafe\u0301…"
    assert fit("xcafe\u0301y", 5).text == "xcaf…"


def test_control_characters_become_spaces_so_a_cell_never_wraps() -> None:
    assert fit("two\nlines", 20).text == "two lines"
    assert clean("a\tb\u2028c") == "a b c"


def test_ellipsis_for_the_stream_encoding() -> None:
    assert ellipsis_for(io.TextIOWrapper(io.BytesIO(), encoding="utf-8")) == ELLIPSIS
    assert ellipsis_for(io.TextIOWrapper(io.BytesIO(), encoding="UTF8")) == ELLIPSIS
    assert ellipsis_for(io.TextIOWrapper(io.BytesIO(), encoding="ascii")) == ASCII_ELLIPSIS
    assert ellipsis_for(io.TextIOWrapper(io.BytesIO(), encoding="latin-1")) == ASCII_ELLIPSIS
    assert ellipsis_for(None) == ASCII_ELLIPSIS


# -- the table -----------------------------------------------------------------------------


def test_natural_width_is_the_plain_aligned_text() -> None:
    layout = layout_table(STATUS_COLUMNS, STATUS_ROWS, None)
    lines = render_lines(layout)
    assert lines[1] == "REVENUE"
    assert lines[3].startswith("  Monthly recurring revenue  ")
    assert "(rung 4/4)" in lines[3]
    assert all(line == line.rstrip() for line in lines)
    assert layout.dropped == ()


def test_wide_shows_every_column_whatever_the_width() -> None:
    assert render_lines(layout_table(STATUS_COLUMNS, STATUS_ROWS, 30, wide=True)) == (
        render_lines(layout_table(STATUS_COLUMNS, STATUS_ROWS, None))
    )


def test_the_least_important_columns_narrow_first_then_drop() -> None:
    natural = layout_table(STATUS_COLUMNS, STATUS_ROWS, None).width
    narrower = layout_table(STATUS_COLUMNS, STATUS_ROWS, natural - 5)
    widths = {c.spec.header: c.width for c in narrower.columns}
    assert narrower.dropped == ()
    assert widths["Target"] == len(">= $100,000 by 2026-Q4 (rung 4/4)") - 5
    assert widths["Goal / metric"] == len("Lightning Network revenue  lightning-revenue")
    assert narrower.rows[2].cells[2].text.endswith(ELLIPSIS)

    at_75 = layout_table(STATUS_COLUMNS, STATUS_ROWS, 75)
    assert at_75.fits
    assert [STATUS_COLUMNS[i].header for i in at_75.dropped] == ["Pace"]
    at_70 = layout_table(STATUS_COLUMNS, STATUS_ROWS, 70)
    assert [STATUS_COLUMNS[i].header for i in at_70.dropped] == ["Left", "Pace"]
    at_40 = layout_table(STATUS_COLUMNS, STATUS_ROWS, 40)
    assert [c.spec.header for c in at_40.columns] == ["Goal / metric", "Current", "Status"]
    assert all(display_width(line) <= 40 for line in render_lines(at_40))


def test_an_ideal_width_leaves_room_for_the_values_before_a_long_name_grows() -> None:
    name = "A metric with a very long name indeed, longer than anyone would want"
    rows = [[name, "$240,000", ">= $100,000 by 2026-Q4"]]
    greedy = [
        Column("Metric", priority=1, min_width=10, truncate=True),
        Column("Current", priority=2, min_width=4, truncate=True),
        Column("Target", priority=3, min_width=6, truncate=True),
    ]
    assert render_lines(layout_table(greedy, rows, 60), header=False) == [
        "A metric with a very long name indeed, longer…  …     >=…"
    ]
    polite = [
        Column("Metric", priority=1, min_width=10, truncate=True, ideal_width=24),
        *greedy[1:],
    ]
    assert render_lines(layout_table(polite, rows, 60), header=False) == [
        "A metric with a very long…  $240,000  >= $100,000 by 2026-Q4"
    ]


def test_a_short_header_is_used_when_the_header_does_not_fit() -> None:
    columns = [Column("Status"), Column("Remaining", "right", short_header="Left")]
    layout = layout_table(columns, [["on track", "$5"]], 14)
    assert layout.columns[1].header.text == "Left"
    assert render_lines(layout) == ["Status    Left", "on track    $5"]


def test_a_heading_spans_the_table_and_is_cut_to_the_width() -> None:
    columns = [Column("A"), Column("B")]
    rows: list[Sequence[str] | Heading] = [Heading("A very long area heading"), ["x", "y"]]
    assert render_lines(layout_table(columns, rows, 10)) == ["A  B", "A very lo…", "x  y"]
    assert render_lines(layout_table(columns, rows, None))[1] == "A very long area heading"


def test_below_the_minimum_width_the_table_does_not_fit_and_says_so() -> None:
    columns = [Column("Name", truncate=True, min_width=6, droppable=False), Column("Status")]
    rows = [["Monthly recurring revenue", "on track"]]
    assert minimum_width(columns, rows) == 6
    layout = layout_table(columns, rows, 4)
    assert not layout.fits
    assert [c.width for c in layout.columns] == [6]


def test_pick_selects_the_callers_own_cells() -> None:
    layout = layout_table(STATUS_COLUMNS, STATUS_ROWS, 40)
    assert layout.pick(list("abcdefg")) == ["a", "b", "g"]


# -- properties ----------------------------------------------------------------------------

cells = st.text(
    alphabet=st.one_of(
        st.sampled_from("abc 12,$.%-日本ＡＢ…\u0301\u200d\n\t"),
        st.characters(codec="utf-8"),
    ),
    max_size=30,
)
columns_strategy = st.lists(
    st.builds(
        Column,
        header=st.text(alphabet="abcdef ", max_size=10),
        align=st.sampled_from(["left", "right"]),
        priority=st.integers(0, 5),
        min_width=st.integers(0, 12),
        truncate=st.booleans(),
        short_header=st.none() | st.text(alphabet="ab", max_size=3),
        droppable=st.booleans(),
        ideal_width=st.none() | st.integers(0, 20),
    ),
    min_size=1,
    max_size=6,
)


@given(cells, st.integers(1, 40), st.booleans())
def test_a_fitted_cell_is_within_its_width_and_whole_or_a_prefix(
    text: str, width: int, ascii: bool
) -> None:
    ellipsis = ASCII_ELLIPSIS if ascii else ELLIPSIS
    fitted = fit(text, max(width, len(ellipsis)), ellipsis)
    assert display_width(fitted.text) <= max(width, len(ellipsis))
    if fitted.truncated:
        assert clean(text).startswith(fitted.text[: -len(ellipsis)])
        assert fitted.text.endswith(ellipsis)
    else:
        assert fitted.text == clean(text)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[Column], list[Sequence[str] | Heading], bool]:
    columns = draw(columns_strategy)
    rows: list[Sequence[str] | Heading] = draw(
        st.lists(
            st.one_of(
                st.lists(cells, max_size=len(columns) + 1),
                st.builds(Heading, cells),
            ),
            max_size=6,
        )
    )
    return columns, rows, draw(st.booleans())


def check_cells(layout: Layout, rows: Sequence[Sequence[str] | Heading]) -> None:
    for row, laid in zip(rows, layout.rows, strict=True):
        if isinstance(row, Heading):
            assert laid.heading is not None
            pairs = [(clean(row.text), laid.heading)]
        else:
            padded = [*row, *[""] * (len(layout.columns) + len(layout.dropped))]
            pairs = [
                (clean(padded[c.index]), cell)
                for c, cell in zip(layout.columns, laid.cells, strict=True)
            ]
        for source, cell in pairs:
            if cell.truncated and len(cell.text) < len(layout.ellipsis):
                # narrower than the ellipsis (only a heading, at a width below 3): what fits of it
                assert layout.ellipsis.startswith(cell.text)
                assert cell.kept == 0
            elif cell.truncated:
                assert cell.text.endswith(layout.ellipsis)
                prefix = cell.text[: -len(layout.ellipsis)]
                assert source.startswith(prefix)
                assert prefix == source[: cell.kept].rstrip(" ")
                cut = source[max(cell.kept - 1, 0) : cell.kept + 1]
                assert cell.kept == 0 or len(cut) < 2 or not cut.isdigit()
            else:
                assert cell.text == source


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(0, 120))
def test_no_line_exceeds_a_width_the_table_can_fit(
    table: tuple[list[Column], list[Sequence[str] | Heading], bool], extra: int
) -> None:
    columns, rows, ascii = table
    width = minimum_width(columns, rows, ascii=ascii) + extra
    layout = layout_table(columns, rows, width, ascii=ascii)
    assert layout.fits
    assert layout.width <= width
    for line in render_lines(layout):
        assert display_width(line) <= width
        assert "\n" not in line
    check_cells(layout, rows)


@settings(max_examples=300, deadline=None)
@given(tables(), st.integers(0, 120))
def test_columns_drop_in_priority_order_and_stay_dropped_as_the_width_shrinks(
    table: tuple[list[Column], list[Sequence[str] | Heading], bool], width: int
) -> None:
    columns, rows, ascii = table
    layout = layout_table(columns, rows, width, ascii=ascii)
    shown = {c.index for c in layout.columns}
    assert set(layout.dropped) | shown == set(range(len(columns)))
    for dropped in layout.dropped:
        assert columns[dropped].droppable
        for kept in shown:
            if columns[kept].droppable:
                assert columns[kept].priority <= columns[dropped].priority
    wider = layout_table(columns, rows, width + 1, ascii=ascii)
    assert shown <= {c.index for c in wider.columns}
    check_cells(layout, rows)


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.lists(st.text(alphabet="abc XYZ09-", max_size=8), min_size=n, max_size=n),
            st.lists(
                st.one_of(
                    st.lists(st.text(alphabet="abc XYZ09-.", max_size=12), min_size=n, max_size=n),
                    st.text(alphabet="ABC ", max_size=20).map(str.rstrip),
                ),
                max_size=8,
            ),
            st.sets(st.integers(0, n - 1)),
        )
    )
)
def test_natural_width_is_exactly_the_plain_aligner(
    table: tuple[list[str], list[list[str] | str], set[int]],
) -> None:
    headers, rows, right = table
    columns = [
        Column(h, "right" if i in right else "left", truncate=True) for i, h in enumerate(headers)
    ]
    laid: list[Sequence[str] | Heading] = [Heading(r) if isinstance(r, str) else r for r in rows]
    expected = align(
        [tuple(headers), *((r,) if isinstance(r, str) else tuple(r) for r in rows)], right
    )
    if len(headers) == 1:  # the aligner takes a one-cell row for a heading
        return
    assert render_lines(layout_table(columns, laid, None)) == expected


# -- drawing with Rich, as the module docstring says ---------------------------------------


def rich_lines(layout: Layout, rows: Sequence[Sequence[str] | Heading], width: int) -> list[str]:
    from rich.console import Console, Group, RenderableType
    from rich.table import Table
    from rich.text import Text

    def table(header: bool) -> Table:
        table = Table(box=None, show_edge=False, pad_edge=False, padding=(0, 1), show_header=header)
        for column in layout.columns:
            table.add_column(
                column.header.text,
                justify=column.justify,
                width=column.width,
                min_width=column.width,
                max_width=column.width,
                no_wrap=True,
                overflow="ellipsis",
            )
        return table

    parts: list[RenderableType] = []
    current = table(header=True)
    for source, row in zip(rows, layout.rows, strict=True):
        if row.heading is not None:
            parts.append(current)
            parts.append(Text(row.heading.text, style="bold underline"))
            current = table(header=False)
            continue
        assert not isinstance(source, Heading)
        styled = [Text(cell, style="green") for cell in source]
        shown = layout.pick(styled)
        current.add_row(
            *(
                cell[: fitted.kept] + layout.ellipsis if fitted.truncated else cell
                for cell, fitted in zip(shown, row.cells, strict=True)
            )
        )
    parts.append(current)
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, force_terminal=False).print(Group(*parts))
    return [line.rstrip() for line in out.getvalue().splitlines() if line.strip()]


def test_rich_draws_the_same_lines_as_the_plain_writer() -> None:
    for width in (60, 80, 120):
        layout = layout_table(STATUS_COLUMNS, STATUS_ROWS, width)
        drawn = rich_lines(layout, STATUS_ROWS, width)
        assert drawn == render_lines(layout)
        assert all(display_width(line) <= width for line in drawn)
