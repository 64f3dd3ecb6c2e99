"""engine/reporting.py: the period report as data, built from two evaluations."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.reporting import (
    Baseline,
    build_report,
    counts,
    explanations,
    notes_mentions,
    quarter_rungs,
    report_period,
    risk_moves,
    status_moves,
    trend,
    unexplained,
    value_on,
    variance,
)
from smartgoals.ledger.checkins import Checkin
from smartgoals.ledger.model import Ledger, MetricDef, Series
from tests.conftest import ledger_from_strings

D = dt.date.fromisoformat
MRR = MetricDef("mrr", "MRR", "USD")


@pytest.mark.parametrize(
    ("kind", "as_of", "label", "first", "previous_end"),
    [
        ("weekly", "2026-11-18", "2026-W47", "2026-11-16", "2026-11-15"),  # a Wednesday
        ("weekly", "2026-11-16", "2026-W47", "2026-11-16", "2026-11-15"),  # its Monday
        ("monthly", "2026-03-01", "2026-03", "2026-03-01", "2026-02-28"),
        ("quarterly", "2026-11-18", "2026-Q4", "2026-10-01", "2026-09-30"),
        ("quarterly", "2027-01-01", "2027-Q1", "2027-01-01", "2026-12-31"),
    ],
)
def test_report_period(kind: str, as_of: str, label: str, first: str, previous_end: str) -> None:
    found = report_period(kind, D(as_of))
    assert found[:5] == (kind, label, D(first), D(as_of), D(previous_end))
    assert found.to_date  # none of these as-of dates is its period's last day


@pytest.mark.parametrize(
    ("kind", "today", "label", "first", "last"),
    [
        ("monthly", "2026-12-06", "2026-11", "2026-11-01", "2026-11-30"),  # what a board reads
        ("monthly", "2026-11-30", "2026-10", "2026-10-01", "2026-10-31"),  # November not over
        ("monthly", "2026-12-01", "2026-11", "2026-11-01", "2026-11-30"),
        ("weekly", "2026-11-18", "2026-W46", "2026-11-09", "2026-11-15"),
        ("quarterly", "2027-01-01", "2026-Q4", "2026-10-01", "2026-12-31"),
    ],
)
def test_report_period_last_finished(
    kind: str, today: str, label: str, first: str, last: str
) -> None:
    found = report_period(kind, D(today), current=False)
    assert (found.label, found.first, found.as_of, found.to_date) == (
        label,
        D(first),
        D(last),
        False,
    )
    assert found.title == f"{kind.capitalize()} report {label}"
    assert report_period(kind, D(today)).title.endswith(f" to date ({today})") or (
        report_period(kind, D(today)).to_date is False
    )


# grow: 0 -> 1000 over 2026-01-01 .. 2026-12-31 (364 days); at 2026-07-02 the plan is 500
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
  cash: {name: Cash, unit: USD}
goals:
  - id: grow
    title: Grow
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 1000, baseline: 0}
  - id: reach
    title: Reach
    targets:
      - {metric: users, target: 10}
      - {metric: users, target: 20}
risks:
  - id: cash-low
    title: Cash is low
    when: "cash < 100"
"""


def judged(journal: str, as_of: str, goals: str = GOALS) -> tuple[Ledger, Evaluation]:
    ledger = ledger_from_strings(goals, journal)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    return ledger, evaluate(ledger, D(as_of))


def test_counts_in_status_order_without_zeros() -> None:
    _, now = judged("2026-07-01,mrr,500,\n2026-07-01,users,15,\n", "2026-07-02")
    # grow on track (500 = plan); reach: 15 meets 10 but not 20, so it is in progress
    assert counts(now) == {"on_track": 1, "in_progress": 1}


def test_status_moves_goal_and_target_new_and_removed() -> None:
    _, before = judged("2026-07-01,mrr,500,\n", "2026-07-02")
    _, now = judged("2026-07-01,mrr,300,\n2026-07-01,users,25,\n", "2026-07-02")
    assert [tuple(m) for m in status_moves(now, before)] == [
        ("grow", None, "on_track", "off_track"),
        ("grow", "mrr", "on_track", "off_track"),
        ("reach", None, "not_started", "achieved"),  # no observation at all: not started
        ("reach", "users", "no_data", "achieved"),
        ("reach", "users", "no_data", "achieved"),
    ]
    only_grow = now._replace(goals=now.goals[:1])
    assert [tuple(m) for m in status_moves(only_grow, before)][-1] == (
        "reach",
        None,
        "not_started",
        "removed",
    )
    without_reach = before._replace(goals=before.goals[:1])
    assert [tuple(m) for m in status_moves(now, without_reach)][-1] == (
        "reach",
        None,
        "new",
        "achieved",
    )
    assert status_moves(now, now) == []


def test_variance_against_the_plan() -> None:
    # issue 27: a level metric's plan is taken at its latest observation (2026-07-02), the
    # date its status is judged at, no longer at the as-of date
    _, now = judged("2026-07-02,mrr,400,\n", "2026-07-02")
    target = now.goals[0].targets[0]
    assert target.basis_date == D("2026-07-02")
    assert target.plan == pytest.approx(500)
    difference, percent, share = variance(target)
    assert difference == pytest.approx(-100)
    assert percent == pytest.approx(-20)
    assert share == pytest.approx(-0.1)  # of the distance 0 -> 1000


def test_variance_none_without_a_plan() -> None:
    _, now = judged("2026-07-01,users,5,\n", "2026-07-02")
    assert variance(now.goals[1].targets[0]) == (None, None, None)
    _, empty = judged("", "2026-07-02")
    assert variance(empty.goals[0].targets[0]) == (None, None, None)


@pytest.mark.parametrize(
    ("now", "before", "word"),
    [
        (5, 4, "up"),
        (4, 5, "down"),
        (5, 5 + 1e-10, "flat"),
        (None, 5, ""),
        (5, None, ""),
    ],
)
def test_trend(now: float | None, before: float | None, word: str) -> None:
    assert trend(MRR, now, before) == word


def test_notes_mentions_whole_words_any_case() -> None:
    notes = "MRR fell: a big churn.\n\nNothing on mrr-target here.\n\n  Growth of grow was slow  \n"
    assert notes_mentions(notes, "mrr") == ["MRR fell: a big churn."]
    assert notes_mentions(notes, "grow") == ["Growth of grow was slow"]
    assert notes_mentions(notes, "churn", "mrr") == ["MRR fell: a big churn."]
    assert notes_mentions(notes, "cash") == []


def test_explanations_from_journal_checkins_and_notes_within_the_window() -> None:
    ledger, now = judged(
        "2026-06-01,mrr,100,too early\n2026-06-20,mrr,300, big deal \n2026-06-25,mrr,310,\n",
        "2026-07-02",
    )
    checkins = [
        Checkin(D("2026-06-21"), "grow", "at_risk", "sales slow", 2),
        Checkin(D("2026-06-22"), "reach", "at_risk", "other goal", 3),
        Checkin(D("2026-06-23"), "grow", "on_track", "  ", 4),
        Checkin(D("2026-07-05"), "grow", "on_track", "after the window", 5),
    ]
    found = explanations(
        now.goals[0].targets[0],
        "grow",
        ledger.series["mrr"],
        checkins,
        "About grow: hired.\n\nunrelated",
        D("2026-06-15"),
        D("2026-07-02"),
    )
    assert [tuple(e) for e in found] == [
        ("journal", D("2026-06-20"), "big deal"),
        ("checkin", D("2026-06-21"), "sales slow"),
        ("notes", None, "About grow: hired."),
    ]


def test_risk_moves_new_still_cleared() -> None:
    _, before = judged("2026-06-01,cash,50,\n", "2026-06-02")
    _, now = judged("2026-06-01,cash,500,\n", "2026-06-02")
    assert [(m.risk.risk.id, m.state) for m in risk_moves(now, before)] == [("cash-low", "cleared")]
    assert [(m.risk.risk.id, m.state) for m in risk_moves(before, now)] == [("cash-low", "new")]
    assert [(m.risk.risk.id, m.state) for m in risk_moves(before, before)] == [
        ("cash-low", "still")
    ]
    assert risk_moves(now, now) == []


def test_value_on() -> None:
    series = Series([D("2026-01-01"), D("2026-02-01")], [1.0, 2.0], ["", ""])
    assert value_on(series, D("2025-12-31")) == (None, None)
    assert value_on(series, D("2026-01-31")) == (1.0, D("2026-01-01"))
    assert value_on(series, D("2026-02-01")) == (2.0, D("2026-02-01"))
    assert value_on(None, D("2026-02-01")) == (None, None)


LADDER = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: grow
    title: Grow
    targets:
      - metric: mrr
        steps:
          - {value: 100, due: 2026-03-31}
          - {value: 200, due: 2026-06-30}
          - {value: 300, due: 2026-09-30}
"""


def test_quarter_rungs_only_the_rungs_due_in_the_quarter() -> None:
    ledger, now = judged("2026-04-10,mrr,150,\n2026-06-30,mrr,210,\n", "2026-05-15", LADDER)
    [rung] = quarter_rungs(now, ledger, D("2026-05-15"))
    assert (rung.goal, rung.rung.value, rung.rung.due) == ("grow", 200, D("2026-06-30"))
    # before its due: the value on the as-of date, and the verdict marked as due later
    assert (rung.actual, rung.actual_date) == (150, D("2026-04-10"))
    assert rung.verdict.endswith(" (due later)")
    ledger, now = judged("2026-04-10,mrr,150,\n2026-06-30,mrr,210,\n", "2026-07-01", LADDER)
    assert quarter_rungs(now, ledger, D("2026-07-01"))[0].rung.value == 300


def test_build_report_rows_material_and_unexplained() -> None:
    ledger, now = judged("2026-06-01,mrr,300,\n2026-07-02,mrr,350,\n", "2026-07-02")
    base, before = judged("2026-06-01,mrr,300,\n", "2026-06-30")
    period = report_period("monthly", D("2026-07-02"))
    baseline = Baseline(D("2026-06-30"), None, None, "the ledger at 2026-06-30")
    report = build_report(
        period,
        baseline,
        ledger,
        base,
        now,
        before,
        [],
        "notes/2026-07.md",
        None,
        [],
        None,
        [],
        [],
        {},
    )
    grow = report.rows[0]
    assert grow.key == "grow / mrr"
    assert grow.change == 50
    assert grow.trend == "up"
    # 350 against a plan of 500 over a distance of 1000: 15% off, outside the 10% band
    assert grow.variance == pytest.approx(-150)
    assert grow.material
    assert [r.key for r in unexplained(report)] == ["grow / mrr"]
    assert [r.key for r in report.rows] == ["grow / mrr", "reach / users", "reach / users"]
    assert report.rungs is None  # monthly: no rungs of the quarter
    assert report.counts_now == {"off_track": 1, "not_started": 1}
    assert list(report.series) == ["mrr"]
