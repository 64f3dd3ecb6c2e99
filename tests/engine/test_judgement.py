"""The one judgement per target (issue 27): each basis-date rule at its boundaries, by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.engine.evaluation import TargetStatus
from smartgoals.engine.invariants import check_invariants
from tests.conftest import evaluate_strings, invoke, write_ledger

D = dt.date.fromisoformat


def judged(goals: str, journal: str, as_of: str) -> TargetStatus:
    evaluation = evaluate_strings(goals, journal, as_of)
    assert check_invariants(evaluation) == []
    return evaluation.goals[0].targets[0]


# --- a level: judged, planned and compared at its latest observation -------------------------

LEVEL = """
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: grow
    title: Grow
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, baseline: 0, target: 3640}
"""


@pytest.mark.parametrize(
    ("as_of", "stale"),
    [
        ("2026-03-31", False),  # the last day of the month after the row
        ("2026-04-01", False),  # the first day of the next: 31 days old, not stale yet
        ("2026-04-02", True),  # older than the monthly cadence: stale, still judged at 03-01
        ("2026-12-31", True),  # the due: still judged at its latest observation
    ],
)
def test_a_level_is_judged_and_planned_at_its_latest_observation(as_of: str, stale: bool) -> None:
    found = judged(LEVEL, "2026-03-01,mrr,590,\n", as_of)
    # 59 of 364 days: the plan is 590 exactly, so the variance is 0 at every as-of date
    assert found.basis_date == D("2026-03-01")
    assert found.expected == pytest.approx(59 / 364)
    assert found.plan == pytest.approx(590)
    assert found.variance == pytest.approx(0)
    assert (found.status, found.stale) == ("on_track", stale)
    assert found.why.startswith("judged at 2026-03-01: progress 16% against 16% expected")


def test_a_level_the_day_after_its_due_is_judged_at_the_due() -> None:
    found = judged(LEVEL, "2026-03-01,mrr,590,\n2026-12-31,mrr,4000,\n", "2027-01-01")
    assert (found.status, found.judged_value, found.judged_date) == (
        "achieved",
        4000,
        D("2026-12-31"),
    )
    assert found.why == "judged at due 2026-12-31: $4,000 >= $3,640"


# --- events: judged at the as-of date, a day without a row is nothing ------------------------

EVENTS = """
metrics:
  hires: {name: Hires, unit: count, aggregate: sum}
goals:
  - id: team
    title: Team
    start: 2026-10-01
    due: 2026-12-31
    targets:
      - {metric: hires, target: 2, every: quarter}
"""


@pytest.mark.parametrize(
    ("as_of", "expected", "status"),
    [
        ("2026-10-28", 28 / 92, "on_track"),  # the row's day: 50% >= 30%
        ("2026-11-15", 46 / 92, "on_track"),  # exactly half: 50% >= 50%
        ("2026-11-25", 56 / 92, "off_track"),  # 50% < 61% - 10%
        ("2026-12-31", 1.0, "off_track"),  # the due, the quarter's last day: 1 of 2
    ],
)
def test_events_are_paced_at_the_as_of_date(as_of: str, expected: float, status: str) -> None:
    found = judged(EVENTS, "2026-10-28,hires,1,\n", as_of)
    assert found.expected == pytest.approx(expected)
    assert (found.status, found.open_period, found.basis_date) == (status, "pace", D(as_of))
    assert (found.plan, found.variance) == (None, None)  # a quota has no plan


def test_events_the_day_after_the_due_are_missed() -> None:
    found = judged(EVENTS, "2026-10-28,hires,1,\n", "2027-01-01")
    assert found.status == "missed"
    assert found.why == "after due 2026-12-31: 0 of 1 quarters met"


def test_hires_on_the_last_day_of_the_quarter_are_not_on_track(tmp_path: Path) -> None:
    """issue 27: `status --as-of 2026-12-31` said on_track (expected 0.30, the share at the last
    row) and will_make with an ETA five weeks in the past."""
    write_ledger(tmp_path, EVENTS, "date,metric,value,note\n2026-10-28,hires,1,\n")
    result = invoke(CliRunner(), tmp_path, "status", "--json", "--as-of", "2026-12-31")
    assert result.exit_code == 0, result.output
    [target] = json.loads(result.output)["goals"][0]["targets"]
    assert target["status"] == "off_track"
    forecast = target["forecast"]
    assert forecast["verdict"] == "wont_make"
    assert forecast["eta"] is None or forecast["eta"] >= "2026-12-31"


# --- a quota whose metric is logged once a period: the open period awaits its row ------------

MONTHLY = """
metrics:
  revenue: {name: Revenue, unit: USD, cadence: monthly, aggregate: sum}
goals:
  - id: sell
    title: Sell
    start: 2026-07-01
    due: 2026-12-31
    targets:
      - {metric: revenue, target: 1000, every: month}
  - id: other
    title: Other
    targets:
      - {metric: revenue, target: 10}
"""
MONTHS = "".join(
    f"2026-{m:02},revenue,{v},\n" for m, v in [(7, 1200), (8, 1100), (9, 800), (10, 1300)]
)


@pytest.mark.parametrize(
    ("as_of", "status", "why"),
    [
        # the last day of October, its row in: met so far (September was missed)
        ("2026-10-31", "achieved", "2 of 3 months met; 2026-10: met so far: $1,300 >= $1,000"),
        # the first day of November, no row yet: October's verdict stands
        ("2026-11-01", "achieved", "3 of 4 months met; 2026-11 awaits its row"),
        # November ended without a row: a sum of nothing, missed; December awaits its row
        ("2026-12-06", "missed", "3 of 5 months met; 2026-12 awaits its row (stale)"),
    ],
)
def test_a_monthly_row_is_awaited_not_paced(as_of: str, status: str, why: str) -> None:
    journal = MONTHS.replace("2026-10,", "2026-10-31,").replace(",revenue", "-15,revenue", 3)
    found = judged(MONTHLY, journal, as_of)
    assert (found.status, found.why) == (status, why)
    if as_of != "2026-10-31":
        assert found.open_period == "awaiting row"


def test_a_quota_awaiting_its_row_does_not_make_its_goal_no_data() -> None:
    journal = "2026-07-15,revenue,1200,\n"
    evaluation = evaluate_strings(MONTHLY, journal, "2026-08-06")
    assert evaluation.goals[0].status == "achieved"
    assert evaluation.goals[0].targets[0].why == "1 of 1 months met; 2026-08 awaits its row"
    assert check_invariants(evaluation) == []


# --- a goal is never no_data while a target has an observation -------------------------------

TWO = """
metrics:
  a: {name: A}
  b: {name: B}
goals:
  - id: g
    title: G
    targets:
      - {metric: a, target: 10}
      - {metric: b, target: 10}
"""


@pytest.mark.parametrize(
    ("journal", "status"),
    # without any observation the goal has not started (the studio's word), never no_data
    [
        ("", "not_started"),
        ("2026-01-01,a,5,\n", "in_progress"),
        ("2026-01-01,a,50,\n", "in_progress"),
    ],
)
def test_a_goal_with_an_observation_is_never_no_data(journal: str, status: str) -> None:
    assert evaluate_strings(TWO, journal, "2026-02-01").goals[0].status == status


# --- ladders: no rung judged before its window; plans on rung dues ---------------------------

LADDER = """
metrics:
  devs: {name: Developers, unit: count}
goals:
  - id: dev
    title: Developers
    start: 2025-07-01
    targets:
      - metric: devs
        baseline: 0
        steps:
          - {value: 300, due: 2025-12-31}
          - {value: 600, due: 2026-06-30}
          - {value: 900, due: 2026-12-31}
risks:
  - {id: behind, title: Behind, when: "devs < 0.5 * plan('dev', 'devs')"}
"""


@pytest.mark.parametrize(
    ("as_of", "steps"),
    [
        ("2025-12-30", ["on_track", "pending", "pending"]),
        ("2025-12-31", ["achieved", "pending", "pending"]),  # the rung's due
        ("2026-01-01", ["achieved", "on_track", "pending"]),  # the day after
    ],
)
def test_rungs_are_pending_until_their_window_opens(as_of: str, steps: list[str]) -> None:
    journal = "2025-10-01,devs,155,\n2025-12-31,devs,310,\n"
    evaluation = evaluate_strings(LADDER, journal, as_of)
    assert check_invariants(evaluation) == []
    found = evaluation.goals[0].targets[0]
    assert [s.status for s in found.steps or ()] == steps


def test_a_plan_aware_risk_is_decided_on_the_rung_due_when_the_rung_is_met() -> None:
    """issue 27: exactly on the quarter-end the current rung had just been met, and the risk
    was undecided (no plan)."""
    journal = "2025-10-01,devs,150,\n2025-12-31,devs,310,\n"
    [risk] = evaluate_strings(LADDER, journal, "2025-12-31").risks
    assert risk.missing == ()
    assert risk.values["plan('dev', 'devs')"] == pytest.approx(300)
    assert risk.triggered is False


# --- rates and stages -------------------------------------------------------------------------

RATE = """
metrics:
  retention: {name: Retention, unit: percent}
goals:
  - id: keep
    title: Keep
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: retention, target: ">= 60%", pace: none}
"""


def test_a_rate_has_no_progress_percentage() -> None:
    """issue 27: a rate with pace: none printed Progress -1143%."""
    found = judged(RATE, "2026-01-01,retention,59,\n2026-03-01,retention,47.57,\n", "2026-03-02")
    assert (found.status, found.progress) == ("in_progress", None)
    assert found.score == 0.0


def test_progress_over_one_is_raw_and_the_score_clamped() -> None:
    found = judged(EVENTS, "2026-10-28,hires,5,\n2026-12-01,hires,5,\n", "2027-01-01")
    assert (found.status, found.progress, found.score) == ("achieved", 5.0, 1.0)


STAGES = """
metrics:
  product: {name: Product, type: stage, stages: [idea, prototype, beta, launched]}
goals:
  - id: ship
    title: Ship
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: product, target: launched}
"""


def test_a_stage_one_short_25_days_before_its_due_is_not_on_track() -> None:
    """issue 27: on track with expected 0%: the stage was judged at its only row."""
    found = judged(STAGES, "2026-01-01,product,beta,\n", "2026-12-06")
    assert found.basis_date == D("2026-12-06")
    assert found.expected == pytest.approx(339 / 364)
    assert found.status == "off_track"


# --- the crash --------------------------------------------------------------------------------

WEEKLY = """
metrics:
  calls: {name: Calls, unit: count, aggregate: sum}
goals:
  - id: sell
    title: Sell
    start: 2026-01-05
    due: 2026-01-21
    targets:
      - {metric: calls, target: 10, every: week}
"""


@pytest.mark.parametrize("as_of", ["2026-01-22", "2026-01-25", "2026-01-26"])
def test_a_weekly_quota_due_mid_week_does_not_crash(tmp_path: Path, as_of: str) -> None:
    """issue 27: ZeroDivisionError in the summed quota's forecast, exit 70."""
    journal = "date,metric,value,note\n2026-01-06,calls,12,\n2026-01-13,calls,4,\n"
    write_ledger(tmp_path, WEEKLY, journal)
    result = invoke(CliRunner(), tmp_path, "status", "--json", "--as-of", as_of)
    assert result.exit_code == 0, result.output
    [target] = json.loads(result.output)["goals"][0]["targets"]
    assert target["status"] == "missed"
