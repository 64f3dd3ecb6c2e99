"""The `tree` view (also `status --tree`): goals under the goals they contribute to, with each
goal's status and score, and the goals outside every tree; as text, JSON or Mermaid (Markdown)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from smartgoals.engine.alignment import Alignment, Node
from smartgoals.engine.judgement import GoalStatus
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Display, Form, Format
from smartgoals.safetext import clean


class TreeView(NamedTuple):
    as_of: dt.date
    roots: tuple[Node, ...]
    unsupported: tuple[GoalStatus, ...]  # roll up their children, but nothing serves them
    unaligned: tuple[GoalStatus, ...]  # contribute to nothing, and nothing to them
    problems: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


UNSUPPORTED = "Roll up their children, but nothing contributes to them"
UNALIGNED = "Contribute to nothing, and nothing contributes to them"


def tree_view(as_of: dt.date, found: Alignment) -> TreeView:
    """The tree as the report shows it (the report has its own problems)."""
    return TreeView(as_of, found.roots, found.unsupported, found.unaligned, ())


def _score(goal: GoalStatus) -> str:
    if goal.score is None:
        return "-"
    rolled = " rolled up" if goal.goal.rollup != "own" else ""
    return f"{goal.score * 100:.0f}%{rolled}"


def goal_label(goal: GoalStatus) -> str:
    """A goal in the tree: its title, id, status and score."""
    return f"{goal.goal.title} ({goal.goal.id}): {goal.status.replace('_', ' ')}, {_score(goal)}"


def tree_plain(view: TreeView, display: Display) -> list[str]:
    lines = [f"Alignment as of {view.as_of.isoformat()}", *tree_lines(view)]
    if view.unsupported:
        lines.append(f"{UNSUPPORTED}: {', '.join(g.goal.id for g in view.unsupported)}")
    if view.unaligned:
        lines.append(f"{UNALIGNED}: {', '.join(g.goal.id for g in view.unaligned)}")
    return lines


def tree_lines(view: TreeView) -> list[str]:
    """The tree drawn in text, a goal a line, its contributors indented under it."""
    lines: list[str] = []

    def walk(node: Node, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("`-- " if last else "|-- ")
        lines.append(prefix + branch + goal_label(node.goal))
        inner = prefix if top else prefix + ("    " if last else "|   ")
        for index, child in enumerate(node.children):
            walk(child, inner, index == len(node.children) - 1, False)

    for root in view.roots:
        walk(root, "", True, True)
    return lines


def tree_mermaid(view: TreeView, display: Display) -> str:
    """A Mermaid flowchart in a Markdown code block: GitHub draws it; a child points at the goal
    it contributes to."""
    lines = ["```mermaid", "flowchart BT"]
    seen: set[str] = set()

    def walk(node: Node) -> None:
        goal = node.goal
        key = _key(goal.goal.id)
        if key not in seen:
            seen.add(key)
            text = clean(goal_label(goal)).replace('"', "'")  # one line, in its quotes
            lines.append(f'  {key}["{text}"]')
        for child in node.children:
            walk(child)
            lines.append(f"  {_key(child.goal.goal.id)} --> {key}")

    for root in view.roots:
        walk(root)
    lines.append("```")
    return "\n".join(lines) + "\n"


def tree_html(view: TreeView, escape: Callable[[str], str]) -> str:
    """The tree as nested lists for the HTML report (no script: it works offline), short: the
    contributors that have none of their own share one line under their goal; each status in
    its class (s-achieved, ...)."""

    def label(goal: GoalStatus) -> str:
        status = str(goal.status)
        return (
            f"{escape(goal.goal.title)} ({escape(goal.goal.id)}): "
            f'<span class="s-{status}">{escape(status.replace("_", " "))}</span>, '
            f"{escape(_score(goal))}"
        )

    def item(node: Node) -> str:
        leaves = [child for child in node.children if not child.children]
        inner = "".join(item(child) for child in node.children if child.children)
        if leaves:
            inner += f"<li>{'; '.join(label(leaf.goal) for leaf in leaves)}</li>"
        return f"<li>{label(node.goal)}{f'<ul>{inner}</ul>' if inner else ''}</li>"

    return f'<ul class="tree">{"".join(item(root) for root in view.roots)}</ul>'


def _key(goal_id: str) -> str:
    return "g_" + goal_id.replace("-", "_")


def tree_json(view: TreeView, display: Display) -> dict[str, Any]:
    def node(item: Node) -> dict[str, Any]:
        goal = item.goal
        return {
            "id": goal.goal.id,
            "title": goal.goal.title,
            "status": goal.status,
            "score": goal.score,
            "own_score": goal.own_score,
            "rollup": goal.goal.rollup,
            "children": [node(child) for child in item.children],
        }

    return {
        "as_of": view.as_of.isoformat(),
        "tree": [node(root) for root in view.roots],
        "unsupported": [g.goal.id for g in view.unsupported],
        "unaligned": [g.goal.id for g in view.unaligned],
    }


FORMS: dict[type, dict[Format, Form]] = {
    TreeView: {Format.JSON: tree_json, Format.PLAIN: tree_plain, Format.MARKDOWN: tree_mermaid}
}
