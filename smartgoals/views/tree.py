"""The `tree` view (also `status --tree`): goals under the goals they contribute to, with each
goal's status and score, and the goals outside every tree; as text, JSON or Mermaid (Markdown)."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.engine.alignment import Node
from smartgoals.engine.judgement import GoalStatus
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Display, Form, Format


class TreeView(NamedTuple):
    as_of: dt.date
    roots: tuple[Node, ...]
    unsupported: tuple[GoalStatus, ...]  # roll up their children, but nothing serves them
    unaligned: tuple[GoalStatus, ...]  # contribute to nothing, and nothing to them
    problems: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def _score(goal: GoalStatus) -> str:
    if goal.score is None:
        return "-"
    rolled = " rolled up" if goal.goal.rollup != "own" else ""
    return f"{goal.score * 100:.0f}%{rolled}"


def _label(goal: GoalStatus) -> str:
    return f"{goal.goal.title} ({goal.goal.id}): {goal.status.replace('_', ' ')}, {_score(goal)}"


def tree_plain(view: TreeView, display: Display) -> list[str]:
    lines = [f"Alignment as of {view.as_of.isoformat()}"]

    def walk(node: Node, prefix: str, last: bool, top: bool) -> None:
        branch = "" if top else ("`-- " if last else "|-- ")
        lines.append(prefix + branch + _label(node.goal))
        inner = prefix if top else prefix + ("    " if last else "|   ")
        for index, child in enumerate(node.children):
            walk(child, inner, index == len(node.children) - 1, False)

    for root in view.roots:
        walk(root, "", True, True)
    if view.unsupported:
        ids = ", ".join(g.goal.id for g in view.unsupported)
        lines.append(f"Roll up their children, but nothing contributes to them: {ids}")
    if view.unaligned:
        ids = ", ".join(g.goal.id for g in view.unaligned)
        lines.append(f"Contribute to nothing, and nothing contributes to them: {ids}")
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
            text = _label(goal).replace('"', "'")
            lines.append(f'  {key}["{text}"]')
        for child in node.children:
            walk(child)
            lines.append(f"  {_key(child.goal.goal.id)} --> {key}")

    for root in view.roots:
        walk(root)
    lines.append("```")
    return "\n".join(lines) + "\n"


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
