"""engine/grading.py: the goals active in a period, graded at its last day; what rolls over."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.grading import active_in, grade_period
from tests.conftest import evaluate_strings, ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-Q3, baseline: 0}
      - {metric: users, target: ">= 100", due: 2026-Q3, baseline: 0}
      - {metric: users, target: ">= 1000", due: 2027-Q4, baseline: 0}
  - id: old
    title: Old
    due: 2026-Q2
    targets:
      - {metric: mrr, target: ">= 10", due: 2026-Q2}
  - id: waiting
    title: Waiting
    after: [revenue]
    targets:
      - {metric: users, target: ">= 5000", due: 2027-Q4}
"""
JOURNAL = """\
2026-09-30,mrr,1100,
2026-09-30,users,50,
"""
FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 9, 30)


def test_goals_active_in_the_period_graded_by_their_clamped_score() -> None:
    graded = grade_period(evaluate_strings(GOALS, JOURNAL, "2026-09-30"), FIRST, LAST)
    assert [g.id for g in graded] == ["revenue", "waiting"]  # `old` was due before the quarter
    revenue, waiting = graded
    assert [(t.metric, t.grade, t.due_in_period, t.unfinished) for t in revenue.targets] == [
        ("mrr", "A", True, False),  # reached
        ("users", "C", True, True),  # due in the quarter, not reached: it rolls over
        ("users", "D", False, False),  # due later: it goes on in its own goal
    ]
    assert [t.metric for t in revenue.unfinished] == ["users"]
    assert waiting.grade == "n/a"  # not started: waiting on revenue


def test_active_in_a_period() -> None:
    ledger = ledger_from_strings(GOALS, JOURNAL)
    goals = {goal.id: goal for goal in ledger.goals}
    assert active_in(goals["revenue"], FIRST, LAST)
    assert not active_in(goals["old"], FIRST, LAST)
    later = goals["revenue"]._replace(start=dt.date(2026, 10, 1))
    assert not active_in(later, FIRST, LAST)
