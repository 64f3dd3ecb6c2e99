"""engine/alignment.py: scores rolled up a three-level tree, the tree, and the goals outside it
(issue 30, item 3)."""

from __future__ import annotations

import pytest

from smartgoals.engine.alignment import tree, unaligned, unsupported
from tests.conftest import evaluate_strings, ledger_from_strings

# vision <- (product, weight 1; revenue, weight 3); revenue <- (sales, weight 1; partners, 1)
# Own scores at 2026-07-01 (each target 0 -> 100, so the score is the value / 100):
#   vision 0.2, product 0.5, sales 0.8, partners 0.4, revenue 0.1, lone 0.9
TREE = """
metrics:
  v: {name: V}
  p: {name: P}
  r: {name: R}
  s: {name: S}
  q: {name: Q}
  l: {name: L}
goals:
  - {id: vision, title: Vision, rollup: children, targets: [{metric: v, target: 100, baseline: 0}]}
  - {id: product, title: Product, contributes_to: vision, targets: [{metric: p, target: 100, baseline: 0}]}
  - id: revenue
    title: Revenue
    contributes_to: [vision]
    weight: 3
    rollup: both
    targets: [{metric: r, target: 100, baseline: 0}]
  - {id: sales, title: Sales, contributes_to: revenue, targets: [{metric: s, target: 100, baseline: 0}]}
  - {id: partners, title: Partners, contributes_to: revenue, targets: [{metric: q, target: 100, baseline: 0}]}
  - {id: lone, title: Lone, targets: [{metric: l, target: 100, baseline: 0}]}
"""
ROWS = "".join(
    f"2026-07-01,{m},{v},\n"
    for m, v in [("v", 20), ("p", 50), ("r", 10), ("s", 80), ("q", 40), ("l", 90)]
)


def test_scores_roll_up_three_levels_by_weight() -> None:
    goals = {g.goal.id: g for g in evaluate_strings(TREE, ROWS, "2026-07-01").goals}
    # revenue, both: its own 0.1 at weight 1, sales 0.8 and partners 0.4 at weight 1 each
    assert goals["revenue"].score == round((0.1 + 0.8 + 0.4) / 3, 3) == 0.433
    assert goals["revenue"].own_score == 0.1
    # vision, children: product 0.5 at weight 1, revenue's rolled 0.433 at weight 3
    assert goals["vision"].score == round((0.5 + 3 * 0.433) / 4, 3) == 0.45
    assert goals["vision"].own_score == 0.2
    # own (the default): nothing changes
    assert (goals["sales"].score, goals["sales"].own_score) == (0.8, None)


def test_the_tree_and_the_goals_outside_it() -> None:
    evaluation = evaluate_strings(TREE, ROWS, "2026-07-01")

    def shape(nodes):  # type: ignore[no-untyped-def]
        return [(n.goal.goal.id, shape(n.children)) for n in nodes]

    assert shape(tree(evaluation.goals)) == [
        ("vision", [("product", []), ("revenue", [("sales", []), ("partners", [])])]),
        ("lone", []),
    ]
    assert [g.goal.id for g in unaligned(evaluation.goals)] == ["lone"]
    childless = TREE.replace("{id: lone, title: Lone,", "{id: lone, title: Lone, rollup: children,")
    found = evaluate_strings(childless, ROWS, "2026-07-01").goals
    assert [g.goal.id for g in unsupported(found)] == ["lone"]
    assert found[-1].score == 0.9  # nothing to roll up: its own score


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("{id: vision, title: Vision,", "{id: vision, title: Vision, contributes_to: sales,"),
            "goals/goals.yaml:14:5: revenue.contributes_to: goals contribute to each other: "
            "vision -> sales -> revenue -> vision",
        ),
        (
            ("contributes_to: [vision]", "contributes_to: [visoin]"),
            "goals/goals.yaml:14:5: revenue.contributes_to: unknown goal 'visoin' "
            "(did you mean 'vision'?)",
        ),
        (
            ("contributes_to: [vision]", "contributes_to: [revenue]"),
            "goals/goals.yaml:14:5: revenue.contributes_to: goal 'revenue' cannot contribute to itself",
        ),
        (
            ("rollup: both", "rollup: all"),
            "goals/goals.yaml:16:5: revenue.rollup: Input should be 'own', 'children' or 'both'",
        ),
    ],
)
def test_alignment_problems(change: tuple[str, str], expected: str) -> None:
    problems = [str(p) for p in ledger_from_strings(TREE.replace(*change)).problems]
    assert problems == [expected]


def test_a_cycle_is_broken_and_the_rest_still_rolls_up() -> None:
    text = TREE.replace(
        "{id: vision, title: Vision,", "{id: vision, title: Vision, contributes_to: sales,"
    )
    ledger = ledger_from_strings(text, ROWS)
    import datetime as dt

    from smartgoals.engine.evaluation import evaluate

    goals = {g.goal.id: g for g in evaluate(ledger, dt.date(2026, 7, 1)).goals}
    # the link that closes the cycle (revenue -> vision, found walking from vision) is dropped
    assert goals["revenue"].goal.contributes_to == ()
    assert goals["vision"].goal.contributes_to == ("sales",)
    assert goals["vision"].score == 0.5  # product alone now
    assert goals["revenue"].score == 0.433  # its own subtree is unchanged


def test_alignment_is_the_tree_and_the_goals_outside_it_or_none() -> None:
    from smartgoals.engine.alignment import alignment

    goals = evaluate_strings(TREE, ROWS, "2026-07-01").goals
    found = alignment(goals)
    assert found is not None
    assert [n.goal.goal.id for n in found.roots] == ["vision", "lone"]
    assert [g.goal.id for g in found.unaligned] == ["lone"]
    flat = "metrics:\n  l: {name: L}\ngoals:\n  - {id: lone, title: Lone, targets: [{metric: l, target: 1}]}\n"
    assert alignment(evaluate_strings(flat, "", "2026-07-01").goals) is None


def test_a_goal_whose_parents_are_left_out_is_a_root() -> None:
    goals = evaluate_strings(TREE, ROWS, "2026-07-01").goals
    some = tuple(g for g in goals if g.goal.id in ("sales", "revenue", "partners"))
    assert [(n.goal.goal.id, len(n.children)) for n in tree(some)] == [("revenue", 2)]
    assert [n.goal.goal.id for n in tree(tuple(g for g in goals if g.goal.id == "sales"))] == [
        "sales"
    ]
