"""Alignment, judged: scores rolled up from the goals that contribute to a goal, the tree of
contributions, and the goals outside it. Pure."""

from __future__ import annotations

from smartgoals.engine.judgement import GoalStatus
from smartgoals.record import Record


class Node(Record):
    """One goal in the tree, with the goals that contribute to it (a goal that contributes to
    several parents appears under each)."""

    goal: GoalStatus
    children: tuple[Node, ...]


class Alignment(Record):
    """The tree and the goals outside it, as `tree` and the report show them."""

    roots: tuple[Node, ...]
    unsupported: tuple[GoalStatus, ...]  # roll up their children, but nothing serves them
    unaligned: tuple[GoalStatus, ...]  # contribute to nothing, and nothing to them


def contributors(goals: tuple[GoalStatus, ...]) -> dict[str, list[GoalStatus]]:
    """Parent id -> the goals that contribute to it, in file order."""
    found: dict[str, list[GoalStatus]] = {}
    for goal in goals:
        for parent in goal.goal.contributes_to:
            found.setdefault(parent, []).append(goal)
    return found


def roll_up(goals: tuple[GoalStatus, ...]) -> tuple[GoalStatus, ...]:
    """Each goal with `rollup: children|both` scored from its contributors' (rolled) scores,
    weighted by their `weight:`; `own` (the default) keeps its targets' score. Links are a
    forest once check_alignment has dropped the cycles, so every goal is rolled once."""
    children = contributors(goals)
    rolled: dict[str, float | None] = {}
    for goal in _children_first(goals, children):
        own = goal.score
        parts = [
            (score, child.goal.weight)
            for child in children.get(goal.goal.id, ())
            if (score := rolled[child.goal.id]) is not None
        ]
        if goal.goal.rollup == "both" and own is not None:
            parts.append((own, 1.0))
        weight = sum(w for _, w in parts)
        if goal.goal.rollup == "own" or weight <= 0:
            rolled[goal.goal.id] = own
        else:
            rolled[goal.goal.id] = round(sum(s * w for s, w in parts) / weight, 3)
    return tuple(
        goal
        if goal.goal.rollup == "own"
        else goal._replace(score=rolled[goal.goal.id], own_score=goal.score)
        for goal in goals
    )


def _children_first(
    goals: tuple[GoalStatus, ...], children: dict[str, list[GoalStatus]]
) -> list[GoalStatus]:
    """Post-order: every goal after the goals that contribute to it (iterative)."""
    done: set[str] = set()
    order: list[GoalStatus] = []
    for root in goals:
        stack = [(root, iter(children.get(root.goal.id, ())))]
        if root.goal.id in done:
            continue
        done.add(root.goal.id)
        while stack:
            goal, rest = stack[-1]
            child = next(rest, None)
            if child is None:
                stack.pop()
                order.append(goal)
            elif child.goal.id not in done:
                done.add(child.goal.id)
                stack.append((child, iter(children.get(child.goal.id, ()))))
    return order


def tree(goals: tuple[GoalStatus, ...]) -> tuple[Node, ...]:
    """The goals as a forest: roots are the goals that contribute to nothing among these (a
    report of some goals roots a goal whose parents it leaves out), in file order."""
    children = contributors(goals)
    present = {goal.goal.id for goal in goals}

    def node(goal: GoalStatus, depth: int) -> Node:
        kids = children.get(goal.goal.id, ()) if depth < len(goals) else ()
        return Node(goal, tuple(node(child, depth + 1) for child in kids))

    return tuple(
        node(goal, 0)
        for goal in goals
        if not any(parent in present for parent in goal.goal.contributes_to)
    )


def unsupported(goals: tuple[GoalStatus, ...]) -> tuple[GoalStatus, ...]:
    """Goals that roll up their children (rollup: children or both) but that nothing serves."""
    children = contributors(goals)
    return tuple(g for g in goals if g.goal.rollup != "own" and g.goal.id not in children)


def unaligned(goals: tuple[GoalStatus, ...]) -> tuple[GoalStatus, ...]:
    """Once a ledger uses contributes_to: at all, the goals outside every tree: contributing to
    nothing and served by nothing."""
    children = contributors(goals)
    if not children:
        return ()
    return tuple(g for g in goals if not g.goal.contributes_to and g.goal.id not in children)


def alignment(goals: tuple[GoalStatus, ...]) -> Alignment | None:
    """The tree and the goals outside it; None when no goal uses contributes_to: or rollup:
    (a ledger without alignment has no tree to show)."""
    if not any(g.goal.contributes_to or g.goal.rollup != "own" for g in goals):
        return None
    return Alignment(tree(goals), unsupported(goals), unaligned(goals))
