"""ledger/gaps.py: ids with their own problems, and files that cannot be read, reported once."""

from __future__ import annotations

from smartgoals.errors import Problem
from smartgoals.ledger.gaps import Gaps
from tests.conftest import ledger_from_strings


def problem(path: str, line: int, column: int = 1) -> Problem:
    return Problem(path, line, column, "unknown metric 'x'")


def test_empty_gaps_report_every_unknown_reference() -> None:
    gaps = Gaps()
    assert not gaps
    found = problem("goals/a.yaml", 3)
    assert gaps.unknown("metric", "x", found) is found
    assert gaps.summary() == []


def test_an_id_with_its_own_problem_is_not_reported_again() -> None:
    gaps = Gaps(metrics=["mrr"], goals=["grow"])
    assert gaps
    assert gaps.unknown("metric", "mrr", problem("goals/a.yaml", 3)) is None
    assert gaps.unknown("goal", "grow", problem("goals/a.yaml", 4)) is None
    # the kinds do not mix: a goal named like a broken metric is still unknown
    assert gaps.unknown("goal", "mrr", problem("goals/a.yaml", 5)) is not None
    assert gaps.summary() == []  # nothing counted, only skipped


def test_an_unreadable_file_turns_references_into_one_count_per_file() -> None:
    gaps = Gaps(unreadable=["goals/broken.yaml"])
    assert gaps
    for path, line, column in [
        ("goals/a.yaml", 9, 3),
        ("goals/a.yaml", 4, 7),
        ("goals/a.yaml", 4, 2),
        ("goals/log.csv", 12, 0),
    ]:
        assert gaps.unknown("metric", "x", problem(path, line, column)) is None
    assert gaps.summary("goals/log.csv") == [
        Problem(
            "goals/a.yaml",
            4,
            2,  # the first of the file's references
            "3 references to metrics or goals not checked: goals/broken.yaml cannot be read, "
            "and may define them",
        ),
        Problem(
            "goals/log.csv",
            12,
            0,
            "1 journal row not checked: goals/broken.yaml cannot be read, and may define their "
            "metrics",
        ),
    ]


def test_summary_with_several_journal_files_and_unreadable_files() -> None:
    gaps = Gaps(unreadable=["goals/b.yaml", "goals/c.yaml"])
    gaps.unknown("metric", "x", problem("goals/log.d/2026.csv", 2, 0))
    gaps.unknown("metric", "x", problem("goals/log.d/2026.csv", 3, 0))
    gaps.unknown("metric", "x", problem("goals/a.yaml", 5))
    messages = [p.message for p in gaps.summary(["goals/log.csv", "goals/log.d/2026.csv"])]
    assert messages == [
        "1 reference to metrics or goals not checked: goals/b.yaml and goals/c.yaml cannot "
        "be read, and may define them",
        "2 journal rows not checked: goals/b.yaml and goals/c.yaml cannot be read, and may "
        "define their metrics",
    ]


def test_a_metric_with_a_bad_field_is_reported_once_in_a_loaded_ledger() -> None:
    goals = """\
    metrics:
      mrr: {name: MRR, direction: lower}
    goals:
      - id: grow
        title: Grow
        targets:
          - {metric: mrr, target: 5}
    """
    ledger = ledger_from_strings(goals, "2026-01-01,mrr,1,\n")
    assert len(ledger.problems) == 1, [str(p) for p in ledger.problems]
    assert "direction" in str(ledger.problems[0])
    assert str(ledger.problems[0]).startswith("goals/goals.yaml:2:")


def test_an_unreadable_goal_file_is_counted_not_repeated_in_a_loaded_ledger() -> None:
    files = {
        "a.yaml": "goals:\n  - id: grow\n    title: Grow\n    targets:\n      - {metric: mrr, target: 5}\n",
        "b.yaml": "metrics: [unclosed\n",
    }
    ledger = ledger_from_strings(files, "2026-01-01,mrr,1,\n2026-01-02,mrr,2,\n")
    shown = [str(p) for p in ledger.problems]
    assert not any("unknown metric" in line for line in shown), shown
    assert any(
        line.startswith("goals/log.csv:2") and "2 journal rows not checked" in line
        for line in shown
    ), shown
    assert any(
        line.startswith("goals/a.yaml:5:") and "1 reference to metrics or goals" in line
        for line in shown
    ), shown
