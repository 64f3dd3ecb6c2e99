"""views/tree.py: the alignment tree as text, Mermaid and JSON."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.alignment import tree, unaligned, unsupported
from smartgoals.rendering import Format, render
from smartgoals.views.tree import TreeView
from tests.conftest import evaluate_strings
from tests.engine.test_alignment import ROWS, TREE


def view() -> TreeView:
    goals = evaluate_strings(TREE, ROWS, "2026-07-01").goals
    return TreeView(dt.date(2026, 7, 1), tree(goals), unsupported(goals), unaligned(goals), ())


def test_plain_draws_the_tree_with_rolled_up_scores() -> None:
    assert render(view(), Format.PLAIN) == [
        "Alignment as of 2026-07-01",
        "Vision (vision): in progress, 45% rolled up",
        "|-- Product (product): in progress, 50%",
        "`-- Revenue (revenue): in progress, 43% rolled up",
        "    |-- Sales (sales): in progress, 80%",
        "    `-- Partners (partners): in progress, 40%",
        "Lone (lone): in progress, 90%",
        "Contribute to nothing, and nothing contributes to them: lone",
    ]


def test_mermaid_points_each_child_at_its_parent() -> None:
    text = render(view(), Format.MARKDOWN)
    assert text.startswith("```mermaid\nflowchart BT\n")
    assert '  g_vision["Vision (vision): in progress, 45% rolled up"]' in text
    for edge in ("g_product --> g_vision", "g_revenue --> g_vision", "g_sales --> g_revenue"):
        assert f"  {edge}\n" in text
    assert text.endswith("```\n")


def test_json_nests_children_with_own_and_rolled_scores() -> None:
    found = render(view(), Format.JSON)
    vision = found["tree"][0]
    assert (vision["id"], vision["score"], vision["own_score"], vision["rollup"]) == (
        "vision",
        0.45,
        0.2,
        "children",
    )
    assert [c["id"] for c in vision["children"][1]["children"]] == ["sales", "partners"]
    assert (found["unsupported"], found["unaligned"]) == ([], ["lone"])


def test_mermaid_keeps_a_title_on_its_line_inside_the_block() -> None:
    hostile = TREE.replace("title: Lone,", 'title: "Lone\\n```\\n<script>x</script> \\"q\\"",')
    goals = evaluate_strings(hostile, ROWS, "2026-07-01").goals
    found = TreeView(dt.date(2026, 7, 1), tree(goals), unsupported(goals), unaligned(goals), ())
    lines = render(found, Format.MARKDOWN).splitlines()
    assert [line for line in lines if line.startswith("```")] == ["```mermaid", "```"]
    assert "  g_lone[\"Lone\\n```\\n<script>x</script> 'q' (lone): in progress, 90%\"]" in lines


def test_html_nests_lists_and_leaves_share_a_line() -> None:
    from smartgoals.rendering.svg import escape
    from smartgoals.views.tree import tree_html

    html = tree_html(view(), escape)
    assert html.startswith('<ul class="tree"><li>Vision (vision): <span class="s-in_progress">')
    assert "<ul><li>Revenue (revenue): " in html
    assert "Sales (sales): " in html and "; Partners (partners): " in html
