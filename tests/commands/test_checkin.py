"""commands/checkin.py: the questions of a check-in, how answers are read, and one commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.checkin import (
    Judgement,
    doubt,
    message,
    plan,
    read_answer,
    read_confidence,
    read_note,
    record,
    touched,
)
from smartgoals.errors import InvalidInputError
from tests.conftest import committed_ledger, git

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users, unit: count, cadence: weekly}
  cash: {name: Cash, unit: USD}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000, due: 2026-12-31}
      - {metric: arpu, target: 50, due: 2026-12-31}
  - id: growth
    title: Growth
    review: {monthly: Growth review}
    targets:
      - {metric: users, target: 100, due: 2026-12-31}
  - id: runway
    title: Runway
    targets:
      - {metric: cash, target: 10000, due: 2026-12-31}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,120,
2026-02-28,users,10,
2026-02-28,cash,5000,
"""
TODAY = dt.date(2026, 3, 3)


@pytest.fixture
def ledger(repo: Path) -> Path:
    return committed_ledger(repo, GOALS, JOURNAL)


def test_by_default_the_due_metrics_and_the_goals_whose_review_is_due(ledger: Path) -> None:
    # users is weekly and 3 days old, mrr monthly and 3 days old, cash has no cadence: nothing
    # is due on 2026-03-03 but growth's monthly review
    found = plan(ledger, TODAY, (), False)
    assert [q.metric.id for q in found.questions] == []
    assert found.chosen == ("growth",)
    later = plan(ledger, dt.date(2026, 3, 20), (), False)
    assert [q.metric.id for q in later.questions] == ["users"]


def test_a_chosen_goal_asks_its_logged_metrics_and_a_derived_targets_inputs(
    ledger: Path,
) -> None:
    found = plan(ledger, TODAY, ("revenue", "revenue"), False)
    assert found.chosen == ("revenue",)
    # arpu = mrr / users is derived: never asked itself, its logged inputs are
    mrr, users = found.questions
    assert (mrr.metric.id, mrr.last_value, mrr.last_date) == (
        "mrr",
        120.0,
        dt.date(2026, 2, 28),
    )
    assert mrr.recent == (100.0, 120.0)
    assert [t.split(" ")[0] for t in mrr.targets] == ["revenue:", "revenue:"]
    assert users.metric.id == "users"
    through, own = users.targets  # in file order: revenue reads it through arpu, growth targets it
    assert through.startswith("revenue: arpu = mrr / users: ")
    assert own.startswith("growth: ")


def test_every_asks_every_logged_metric(ledger: Path) -> None:
    found = plan(ledger, TODAY, (), True)
    assert [q.metric.id for q in found.questions] == ["mrr", "users", "cash"]


def test_an_unknown_goal_is_refused(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match="--goal: unknown goal 'revenu'"):
        plan(ledger, TODAY, ("revenu",), False)


def test_answers_are_read_like_log_values_and_doubted(ledger: Path) -> None:
    found = plan(ledger, TODAY, ("revenue",), False)
    question = found.questions[0]
    entry = read_answer(found, question, " 1.5k ")
    assert (entry.metric.id, entry.value, entry.day) == ("mrr", 1500.0, TODAY)
    assert doubt(question, read_answer(found, question, "130")) is None
    assert doubt(question, entry) is not None  # 12.5 times the last value
    with pytest.raises(InvalidInputError):
        read_answer(found, question, "lots")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", ""),
        ("on track", "on_track"),
        ("At-Risk", "at_risk"),
        ("3", "off_track"),
        ("1", "on_track"),
    ],
)
def test_read_confidence(text: str, word: str) -> None:
    assert read_confidence(text) == word


def test_read_confidence_refuses_other_words() -> None:
    with pytest.raises(InvalidInputError, match="'4' is not one of"):
        read_confidence("4")


def test_read_note() -> None:
    assert read_note("  a good month ") == "a good month"
    with pytest.raises(InvalidInputError, match="withdraws a check-in"):
        read_note("withdrawn: oops")


def test_touched_goals_are_chosen_or_answered(ledger: Path) -> None:
    every = plan(ledger, TODAY, (), True)
    entry = read_answer(every, every.questions[2], "6000")  # cash
    found = plan(ledger, TODAY, ("growth",), False)
    assert [g.id for g in touched(found, [entry])] == ["growth", "runway"]


def test_record_writes_values_and_judgements_in_one_commit(ledger: Path) -> None:
    found = plan(ledger, TODAY, ("revenue",), False)
    entry = read_answer(found, found.questions[0], "130")
    revenue = found.goals[0]
    growth = found.goals[1]
    judgements = [Judgement(revenue, "at_risk", "slow"), Judgement(growth, "", "")]
    view = record(ledger, found, [entry], judgements)
    assert view.judgements == (judgements[0],)  # one with nothing given is left out
    assert (
        (ledger / "goals" / "log.csv").read_text(encoding="utf-8").endswith("2026-03-03,mrr,130,\n")
    )
    checkins = (ledger / "goals" / "checkins.csv").read_text(encoding="utf-8")
    assert checkins.splitlines()[-1] == "2026-03-03,revenue,at_risk,slow"
    assert git(ledger, "log", "-1", "--format=%B") == (
        "check-in 2026-03-03: 1 value, 1 goal\n\nmrr = 130 USD (2026-03-03)\n"
        "revenue: at_risk (slow)\n\n"
    )
    assert view.written.commit == git(ledger, "rev-parse", "HEAD").strip()


def test_record_refuses_an_empty_check_in(ledger: Path) -> None:
    found = plan(ledger, TODAY, ("revenue",), False)
    with pytest.raises(InvalidInputError, match="nothing to record"):
        record(ledger, found, [], [Judgement(found.goals[0], "", "")])


def test_message_counts(ledger: Path) -> None:
    found = plan(ledger, TODAY, (), True)
    assert message(TODAY, [], [Judgement(found.goals[0], "", "n")]) == (
        "check-in 2026-03-03: 0 values, 1 goal\n\nrevenue: - (n)"
    )
