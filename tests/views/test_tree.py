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
