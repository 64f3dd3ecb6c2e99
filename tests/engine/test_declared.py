"""engine/declared.py: a goal's declared state beside its computed status (issue 30, item 2)."""

from __future__ import annotations

import pytest

from tests.conftest import evaluate_strings, ledger_from_strings

# Launch: 0 -> 100 users by 2026-12-31; its state is declared through the journal (stage metric)
GOALS = """
metrics:
  users: {name: Users}
  launch_state: {name: Launch state, type: stage, stages: [not_started, in_progress, done]}
goals:
  - id: launch
    title: Launch
    start: 2026-01-01
    due: 2026-12-31
    state: launch_state
    targets:
      - {metric: users, target: 100, baseline: 0}
"""


@pytest.mark.parametrize(
    ("journal", "as_of", "computed", "declared", "disagreement"),
    [
        # nothing logged at all: not started (the studio's word), nothing declared
        ("", "2026-03-01", "not_started", None, None),
        # declared not started, nothing measured: they agree
        (
            "2026-01-05,launch_state,not_started,\n",
            "2026-03-01",
            "not_started",
            "not_started",
            None,
        ),
        # declared not started, yet users are counted: under way
        (
            "2026-01-05,launch_state,not_started,\n2026-02-01,users,20,\n",
            "2026-03-01",
            "on_track",  # 20% at 2026-02-01, when 31/364 = 8.5% of the window has passed
            "not_started",
            "declared not_started, computed on_track",
        ),
        # declared done, but the due passed with 60 of 100: missed
        (
            "2026-06-01,users,60,\n2026-12-01,launch_state,done,\n",
            "2027-01-15",
            "missed",
            "done",
            "declared done, computed missed",
        ),
        # reached, but still declared in progress
        (
            "2026-03-01,launch_state,in_progress,\n2026-06-01,users,120,\n",
            "2026-07-01",
            "achieved",
            "in_progress",
            "computed achieved, declared in_progress",
        ),
        # reached and declared done: they agree
        (
            "2026-06-01,users,120,\n2026-06-02,launch_state,done,\n",
            "2026-07-01",
            "achieved",
            "done",
            None,
        ),
        # a later declaration does not count before its date
        # (30% at 2026-06-01, when 151/364 = 41.5% of the window has passed: off track)
        (
            "2026-06-01,users,30,\n2026-08-01,launch_state,done,\n",
            "2026-07-01",
            "off_track",
            None,
            None,
        ),
    ],
)
def test_declared_beside_computed(
    journal: str, as_of: str, computed: str, declared: str | None, disagreement: str | None
) -> None:
    goal = evaluate_strings(GOALS, journal, as_of).goals[0]
    assert (goal.status, goal.declared, goal.disagreement) == (computed, declared, disagreement)


def test_the_declared_state_keeps_its_date() -> None:
    journal = "2026-01-05,launch_state,not_started,\n2026-02-10,launch_state,in_progress,\n"
    goal = evaluate_strings(GOALS, journal, "2026-03-01").goals[0]
    assert (goal.declared, str(goal.declared_date)) == ("in_progress", "2026-02-10")


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("launch_stat", "unknown metric 'launch_stat' (did you mean 'launch_state'?)"),
        ("users", "state: users is not a stage metric (type: stage, with stages: [...])"),
    ],
)
def test_a_state_must_name_a_stage_metric(state: str, message: str) -> None:
    text = GOALS.replace("state: launch_state", f"state: {state}")
    assert [str(p) for p in ledger_from_strings(text).problems] == [
        f"goals/goals.yaml:10:5: launch.state: {message}"
    ]
