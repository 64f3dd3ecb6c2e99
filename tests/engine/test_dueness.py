"""engine/dueness.py: lapsed cadences, reviews without a check-in in their period, risks
triggered since the last check-in; a ledger, check-ins and a date in, lists out."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.engine.dueness import due, due_metrics, due_reviews, review_span
from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.checkins import Checkin
from tests.conftest import ledger_from_strings

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "cadence", "span"),
    [
        ("2026-05-17", "daily", ("2026-05-17", "2026-05-17")),
        ("2026-05-17", "weekly", ("2026-05-11", "2026-05-17")),  # Monday to Sunday
        ("2026-05-17", "Monthly ", ("2026-05-01", "2026-05-31")),  # case and spaces ignored
        ("2026-02-10", "monthly", ("2026-02-01", "2026-02-28")),
        ("2026-05-17", "quarterly", ("2026-04-01", "2026-06-30")),
        ("2026-06-30", "bi-annually", ("2026-01-01", "2026-06-30")),
        ("2026-07-01", "half-yearly", ("2026-07-01", "2026-12-31")),
        ("2026-12-31", "semi-annually", ("2026-07-01", "2026-12-31")),
        ("2026-05-17", "annually", ("2026-01-01", "2026-12-31")),
    ],
)
def test_review_span(day: str, cadence: str, span: tuple[str, str]) -> None:
    assert review_span(D(day), cadence) == (D(span[0]), D(span[1]))


def test_review_span_of_an_unknown_cadence_is_none() -> None:
    assert review_span(D("2026-05-17"), "fortnightly") is None


CADENCES = """\
metrics:
  mau: {name: MAU, cadence: weekly}
  mrr: {name: MRR, unit: USD, cadence: monthly}
  cash: {name: Cash, unit: USD}
  arpu: {name: ARPU, unit: USD, cadence: weekly, formula: "mrr / mau"}
goals: []
"""


@pytest.mark.parametrize(
    ("as_of", "within", "expected"),
    [
        # mau logged 2026-11-10 weekly: fresh through the 17th, stale from the 18th
        ("2026-11-17", 0, []),
        ("2026-11-18", 0, [("mau", "2026-11-18", True)]),
        ("2026-11-17", 1, [("mau", "2026-11-18", False)]),
        ("2026-11-16", 1, []),
    ],
)
def test_due_metrics_boundaries(
    as_of: str, within: int, expected: list[tuple[str, str, bool]]
) -> None:
    ledger = ledger_from_strings(CADENCES, "2026-11-10,mau,100,\n2026-11-01,mrr,5,\n")
    found = due_metrics(ledger, D(as_of), within)
    assert [(m.metric.id, str(m.due), m.overdue) for m in found] == expected


def test_due_metrics_never_recorded_is_overdue_and_derived_or_uncadenced_never_due() -> None:
    ledger = ledger_from_strings(CADENCES, "2026-11-10,mau,100,\n")
    [mrr] = due_metrics(ledger, D("2026-11-11"), 0)
    assert mrr == (ledger.metrics["mrr"], None, None, None, True)


def test_due_metrics_ignores_rows_after_as_of() -> None:
    ledger = ledger_from_strings(CADENCES, "2026-11-01,mrr,5,\n2026-12-20,mau,7,\n")
    found = due_metrics(ledger, D("2026-12-01"), 0)
    assert [(m.metric.id, m.last_value) for m in found] == [("mau", None)]
    # mrr: 2026-11-01 + 31 days + 1 = 2026-12-03, not yet stale on 12-01
    assert due_metrics(ledger, D("2026-12-03"), 0)[1][1:4] == (
        5.0,
        D("2026-11-01"),
        D("2026-12-03"),
    )


REVIEWS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    review: {monthly: Revenue review, quarterly: Calibration, fortnightly: unknown}
    targets:
      - {metric: mrr, target: 100, due: 2030-01-01}
  - id: done
    title: Done
    review: {monthly: never again}
    targets:
      - {metric: mrr, target: 1}
"""


def checkin(day: str, goal: str = "revenue") -> Checkin:
    return Checkin(D(day), goal, "on_track", "", 2)


def reviews(checkins: list[Checkin], as_of: str, within: int = 0) -> list[tuple]:  # type: ignore[type-arg]
    ledger = ledger_from_strings(REVIEWS, "2026-01-01,mrr,10,\n")
    evaluation = evaluate(ledger, D(as_of))
    return [
        (r.goal.id, r.cadence, r.what, str(r.due), r.last_checkin, r.overdue)
        for r in due_reviews(evaluation, checkins, D(as_of), within)
    ]


def test_due_reviews_without_any_checkin_are_overdue_since_the_period_start() -> None:
    # `done` is achieved (10 >= 1): a finished goal has no review due; `fortnightly` is unknown
    assert reviews([], "2026-11-12") == [
        ("revenue", "monthly", "Revenue review", "2026-11-01", None, True),
        ("revenue", "quarterly", "Calibration", "2026-10-01", None, True),
    ]


def test_due_reviews_a_checkin_in_the_period_covers_it_until_the_next() -> None:
    assert reviews([checkin("2026-11-05")], "2026-11-12") == []
    # within 19 days of the 12th reaches 2026-12-01, the next monthly period
    assert reviews([checkin("2026-11-05")], "2026-11-12", within=19) == [
        ("revenue", "monthly", "Revenue review", "2026-12-01", D("2026-11-05"), False)
    ]
    # a check-in in October covers the quarter, not November
    assert reviews([checkin("2026-10-20")], "2026-11-12") == [
        ("revenue", "monthly", "Revenue review", "2026-11-01", D("2026-10-20"), True)
    ]


def test_due_reviews_ignore_checkins_after_as_of_and_of_other_goals() -> None:
    later = [checkin("2026-11-20"), checkin("2026-11-05", goal="done")]
    assert [r[1] for r in reviews(later, "2026-11-12")] == ["monthly", "quarterly"]


RISKS = """\
metrics:
  cash: {name: Cash, unit: USD}
goals: []
risks:
  - id: cash-low
    title: Cash is low
    when: "cash < 5000"
"""


def test_due_lists_risks_triggered_since_the_last_checkin() -> None:
    ledger = ledger_from_strings(RISKS, "2026-11-01,cash,3000,\n2026-11-15,cash,2000,\n")
    assert not ledger.problems
    # no check-in: the triggered risk is due
    result = due(ledger, [], D("2026-11-16"))
    assert [r.risk.id for r in result.risks] == ["cash-low"]
    assert result.last_checkin is None
    # already triggered at the last check-in: not new, not due
    result = due(ledger, [checkin("2026-11-02")], D("2026-11-16"))
    assert result.risks == ()
    assert result.last_checkin == D("2026-11-02")


def test_due_a_risk_that_triggered_after_the_last_checkin_is_due() -> None:
    ledger = ledger_from_strings(RISKS, "2026-11-01,cash,9000,\n2026-11-15,cash,2000,\n")
    result = due(ledger, [checkin("2026-11-02"), checkin("2026-12-01")], D("2026-11-16"))
    assert [r.risk.id for r in result.risks] == ["cash-low"]
    assert result.last_checkin == D("2026-11-02")  # the December check-in is after as_of
