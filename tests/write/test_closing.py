"""write/closing.py: the rows, the notes and the roll-over goal file that close writes."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.grading import grade_period
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.reviews import HEADER_LINE, read_reviews
from smartgoals.periods import following, parse_span
from smartgoals.write.closing import (
    HumanGrade,
    due_text,
    notes_text,
    review_rows,
    reviews_text,
    rollover_text,
    target_text,
)
from tests.conftest import evaluate_strings, ledger_files

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  share: {name: Share, unit: percent}
  stage: {name: Stage, type: stage, stages: [idea, beta, live]}
goals:
  - id: revenue
    title: "Revenue: the plan"
    area: Money
    owner: Ada
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-Q3, pace: compound, baseline: 100}
      - {metric: share, target: "15%..20%", due: 2026-Q3}
      - {metric: stage, target: live, due: 2026-Q3}
"""
JOURNAL = """\
2026-08-31,mrr,200,
2026-09-30,mrr,500,
2026-09-30,share,10,
2026-09-30,stage,beta,
"""
QUARTER = parse_span("2026-Q3")
DAY = dt.date(2026, 10, 5)


def _grades():  # type: ignore[no-untyped-def]
    evaluation = evaluate_strings(GOALS, JOURNAL, "2026-09-30")
    return grade_period(evaluation, QUARTER.first, QUARTER.last)


def test_review_rows_a_goal_then_its_targets() -> None:
    rows = review_rows("2026-Q3", _grades(), {"revenue": HumanGrade("C", "slow", "a bad Q3")}, DAY)
    assert [(r.goal, r.target, r.grade) for r in rows] == [
        ("revenue", "", "C"),
        ("revenue", "mrr", rows[1].computed_grade),
        ("revenue", "share", rows[2].computed_grade),
        ("revenue", "stage", rows[3].computed_grade),
    ]
    text = HEADER_LINE + reviews_text(rows)
    read, problems = read_reviews(text.encode(), ["revenue"], "reviews/2026-Q3.csv")
    assert not problems and len(read) == 4


def test_the_roll_over_file_is_a_valid_goal_file() -> None:
    text = rollover_text(_grades(), QUARTER, following(QUARTER))
    assert 'title: "Revenue: the plan (2026-Q4)"' in text
    assert "start: 2026-10-01" in text and "due: 2026-Q4" in text
    files = ledger_files(GOALS, JOURNAL)
    files["goals/rolled.yaml"] = text.encode()
    ledger = load_ledger(files, use_cache=False)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    rolled = next(goal for goal in ledger.goals if goal.id == "revenue-2026-q4")
    assert [t.metric for t in rolled.targets] == ["mrr", "share", "stage"]
    assert rolled.targets[0].baseline == 500 and rolled.targets[0].pace == "compound"


def test_nothing_to_roll_over() -> None:
    journal = JOURNAL + "2026-09-30,mrr,1000,\n2026-09-30,share,16,\n2026-09-30,stage,live,\n"
    evaluation = evaluate_strings(GOALS, journal, "2026-09-30")
    graded = grade_period(evaluation, QUARTER.first, QUARTER.last)
    assert rollover_text(graded, QUARTER, following(QUARTER)) == ""


def test_targets_and_dues_as_a_goal_file_writes_them() -> None:
    grades = _grades()
    texts = [target_text(t.target.metric, t.target.rung) for t in grades[0].targets]
    assert texts == [">= 1000", "15..20", "live"]
    assert due_text(parse_span("2026-W48")) == "2026-11-29"
    assert due_text(QUARTER) == "2026-Q3"


def test_the_notes_name_no_goal() -> None:
    text = notes_text("2026-Q3")
    assert text.startswith("# Retrospective 2026-Q3\n")
    assert "revenue" not in text  # a paragraph naming a goal would explain its variances
