"""Alignment: `contributes_to:` links a goal to the goals (or vision goals) it serves; unknown ids
and cycles are problems, and the links that remain form a forest, parents above children."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from smartgoals.errors import Problem
from smartgoals.suggest import suggest

if TYPE_CHECKING:
    from smartgoals.ledger.gaps import Gaps
    from smartgoals.ledger.model import GoalDef


def listed_ids(written: str | list[str] | None) -> tuple[str, ...]:
    """`contributes_to:` or `after:` as written (one id or a list) -> its ids, once each."""
    if written is None:
        return ()
    return (written,) if isinstance(written, str) else tuple(dict.fromkeys(written))


def check_alignment(
    goals: list[GoalDef], problems: list[Problem], gaps: Gaps | None = None
) -> list[GoalDef]:
    """Report unknown ids, a goal contributing to itself and circular `contributes_to:`; the
    goals with only their usable links. Iterative and linear in goals and links."""
    by_id = {goal.id: goal for goal in goals}
    kept: dict[str, list[str]] = {}

    def report(goal: GoalDef, message: str, unknown: str | None = None) -> None:
        where = goal.contributes_where
        problem = Problem(
            where.path, where.line, where.column, message, f"{goal.id}.contributes_to"
        )
        if unknown is not None and gaps is not None:
            found = gaps.unknown("goal", unknown, problem)
            if found is None:
                return
        problems.append(problem)

    for goal in goals:
        kept[goal.id] = []
        for parent in goal.contributes_to:
            if parent == goal.id:
                report(goal, f"goal {goal.id!r} cannot contribute to itself")
            elif parent in by_id:
                kept[goal.id].append(parent)
            else:
                report(goal, f"unknown goal {parent!r}{suggest(parent, by_id)}", parent)
    break_cycles(kept, by_id, report, "goals contribute to each other")
    return [goal._replace(contributes_to=tuple(kept[goal.id])) for goal in goals]


def break_cycles(
    kept: dict[str, list[str]],
    by_id: dict[str, GoalDef],
    report: Callable[[GoalDef, str], None],
    words: str,
) -> None:
    """Depth first over the links (`after:`, `contributes_to:`); the link that closes a cycle is
    reported (`words: a -> b -> a`) and dropped. Iterative, and linear in goals and links."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for root in kept:
        if root in state:
            continue
        path: list[str] = [root]
        edges = [iter(list(kept[root]))]
        state[root] = 1
        while path:
            node = path[-1]
            nxt = next(edges[-1], None)
            if nxt is None:
                state[node] = 2
                path.pop()
                edges.pop()
            elif state.get(nxt) == 1:
                cycle = [*path[path.index(nxt) :], nxt]
                report(by_id[node], f"{words}: " + " -> ".join(cycle))
                kept[node].remove(nxt)
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                edges.append(iter(list(kept[nxt])))
