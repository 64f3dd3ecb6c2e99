"""The report drawn for a terminal from its Markdown: headings, folded text, tables that fit
or become `Header: value` rows, no HTML, entities or Markdown escapes."""

from __future__ import annotations

import textwrap

from smartgoals.rendering import Display
from smartgoals.views.report_terminal import report_plain

MARKDOWN = textwrap.dedent(
    """\
    # Monthly report 2026-11

    Revenue **grew** &gt;= plan, a\\_b.

    | Goal | Actual | Plan | Status |
    |:--|--:|--:|:--|
    | Grow revenue | $300 | $159 | on track |
    | Fewer tickets | 48 | 10 | off track |

    <details><summary>Goals in detail</summary>

    - one
    - two

    </details>
    """
)


def test_wide_enough_a_table_is_drawn_whole_and_nothing_is_escaped() -> None:
    lines = report_plain(MARKDOWN, Display(width=120))
    text = "\n".join(lines)
    assert lines[0].startswith("Monthly report 2026-11")
    assert ">= plan, a_b" in text
    for raw in ("&gt;", "\\_", "<details>", "<summary>", "| ---", "**"):
        assert raw not in text
    assert any("Grow revenue" in line and "$300" in line and "$159" in line for line in lines)
    assert "Goals in detail" in text and "one" in text


def test_narrow_a_table_row_becomes_header_value_pairs_and_no_line_is_too_wide() -> None:
    lines = report_plain(MARKDOWN, Display(width=30))
    assert all(len(line) <= 30 for line in lines)
    text = "\n".join(lines)
    assert "Actual: $300" in text and "Plan: $159" in text and "Status: off track" in text
