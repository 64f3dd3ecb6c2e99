"""Goal semantics for real plans: evidence for verdicts, held targets, quotas, pace curves,
milestones that stay reached, windows and the plan in formulas, weights and area roll-ups.

Ledgers are built from strings (no disk); each test states the rule it checks and its edge.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pytest

from smartgoals.engine.evaluation import Evaluation, GoalStatus, TargetStatus, evaluate
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger

HEADER = "date,metric,value,note\n"


def ledger(goals: str, journal: str = "") -> Ledger:
    files = {
        "goals/goals.yaml": textwrap.dedent(goals).encode(),
        "goals/log.csv": (HEADER + textwrap.dedent(journal).lstrip()).encode(),
    }
    loaded = load_ledger(files, use_cache=False)
    assert not loaded.problems, [str(p) for p in loaded.problems]
    return loaded


def judge(goals: str, journal: str, as_of: str) -> Evaluation:
    return evaluate(ledger(goals, journal), dt.date.fromisoformat(as_of))


def target(goals: str, journal: str, as_of: str, goal: int = 0, index: int = 0) -> TargetStatus:
    return judge(goals, journal, as_of).goals[goal].targets[index]


def goal(goals: str, journal: str, as_of: str, goal_id: str) -> GoalStatus:
    found = judge(goals, journal, as_of).goal(goal_id)
    assert found is not None
    return found


# --- held targets --------------------------------------------------------------------------

HELD = """
metrics:
  uptime: {name: Uptime, unit: percent, cadence: monthly}
goals:
  - id: reliable
    title: Reliable
    start: 2026-01-01
    due: 2026-06-30
    targets:
      - {metric: uptime, target: ">= 99.9%", hold: true}
"""


def test_a_hold_broken_by_one_observation_on_the_due_date_is_breached() -> None:
    journal = "2026-01-31,uptime,99.95,\n2026-03-31,uptime,99.92,\n2026-06-30,uptime,99.8,\n"
    found = target(HELD, journal, "2026-07-15")
    assert found.status == "breached"
    assert [(str(b.date), b.value) for b in found.breaches] == [("2026-06-30", 99.8)]


def test_a_hold_kept_through_its_window_is_achieved_and_on_track_while_open() -> None:
    journal = "2026-01-31,uptime,99.95,\n2026-03-31,uptime,99.92,\n2026-06-30,uptime,99.91,\n"
    assert target(HELD, journal, "2026-07-15").status == "achieved"
    assert target(HELD, journal, "2026-04-15").status == "on_track"
    assert target(HELD, journal, "2026-04-15").breaches == ()


def test_observations_outside_the_window_do_not_count_for_a_hold() -> None:
    journal = "2025-12-31,uptime,90,before the start\n2026-02-28,uptime,99.95,\n"
    assert target(HELD, journal, "2026-03-01").status == "on_track"
    journal += "2026-07-31,uptime,90,after the due\n"
    assert target(HELD, journal, "2026-08-01").status == "achieved"


def test_a_dated_hold_with_no_observation_is_missed_after_its_due() -> None:
    assert target(HELD, "", "2026-07-01").status == "missed"
    assert target(HELD, "", "2026-05-01").status == "no_data"


UNDATED_HOLD = """
metrics:
  retention: {name: Retention, unit: percent, cadence: monthly}
goals:
  - id: keep
    title: Keep
    targets:
      - {metric: retention, target: ">= 60%", hold: true}
"""


def test_an_undated_hold_is_judged_over_three_cadence_periods() -> None:
    journal = (
        "2026-01-31,retention,50,old breach\n2026-08-31,retention,62,\n2026-10-31,retention,61,\n"
    )
    # 3 x 31 days back from 2026-11-22: the January breach has aged out
    found = target(UNDATED_HOLD, journal, "2026-11-22")
    assert found.status == "achieved"
    journal += "2026-11-15,retention,59,\n"
    found = target(UNDATED_HOLD, journal, "2026-11-22")
    assert found.status == "breached"
    assert [b.value for b in found.breaches] == [59]


def test_an_undated_hold_takes_its_own_window() -> None:
    goals = UNDATED_HOLD.replace("hold: true}", "hold: true, window: 1 year}")
    journal = "2026-01-31,retention,50,\n2026-10-31,retention,61,\n"
    assert target(goals, journal, "2026-11-22").status == "breached"


# --- quotas ----------------------------------------------------------------------------------

QUOTA = """
metrics:
  signups: {name: Signups, unit: count, cadence: weekly, aggregate: sum}
goals:
  - id: acquire
    title: Acquire
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: signups, target: 1500, every: month}
"""


def test_a_quota_sums_each_month_and_keeps_a_record() -> None:
    journal = (
        "2026-01-10,signups,800,\n2026-01-24,signups,800,\n"  # January: 1,600 met
        "2026-02-14,signups,900,\n"  # February: 900 missed
        # March: no observation at all: missed (a sum of nothing is 0)
        "2026-04-05,signups,1000,\n2026-04-20,signups,600,\n"  # April: met
        "2026-05-03,signups,400,\n"  # May, the current month: not counted yet
    )
    found = target(QUOTA, journal, "2026-05-10")
    assert [(p.label, p.value, p.status) for p in found.periods if p.finished] == [
        ("2026-01", 1600, "achieved"),
        ("2026-02", 900, "missed"),
        ("2026-03", 0, "missed"),
        ("2026-04", 1600, "achieved"),
    ]
    assert (found.met_periods, found.missed_periods, found.streak) == (2, 2, 1)
    assert found.current == 400
    # issue 27: events are paced at the as-of date, not at their last row (was on_track, paced
    # at May 3): on May 10, 400 of 1,500 (27%) is behind 10/31 (32%) of the month, within the band
    assert found.expected == pytest.approx(10 / 31)
    assert found.status == "at_risk"
    assert (found.open_period, found.plan, found.variance) == ("pace", None, None)


def test_the_current_period_neither_counts_nor_breaks_the_streak_until_it_ends() -> None:
    journal = "2026-01-20,signups,1600,\n2026-02-01,signups,10,\n"
    on_last_day = target(QUOTA, journal, "2026-02-28")
    assert (on_last_day.met_periods, on_last_day.missed_periods, on_last_day.streak) == (1, 0, 1)
    after = target(QUOTA, journal, "2026-03-01")
    assert (after.met_periods, after.missed_periods, after.streak) == (1, 1, 0)


def test_a_quota_of_events_without_a_row_yet_is_paced_from_nothing() -> None:
    # issue 27: a weekly-logged sum in a monthly quota is paced at the as-of date, a day without
    # a row being a day nothing happened (was no_data): 0 against 5/28 of February
    journal = "2026-01-20,signups,1600,\n"
    found = target(QUOTA, journal, "2026-02-05")
    assert (found.status, found.current, found.open_period) == ("off_track", 0, "pace")


def test_a_quota_after_its_window_is_achieved_only_if_every_period_was_met() -> None:
    goals = QUOTA.replace("due: 2026-12-31", "due: 2026-02-28")
    met = "2026-01-20,signups,1600,\n2026-02-20,signups,1500,\n"
    assert target(goals, met, "2026-03-10").status == "achieved"
    assert target(goals, met.replace("1500", "1499"), "2026-03-10").status == "missed"


def test_a_last_value_quota_is_met_or_in_progress_without_pace() -> None:
    goals = QUOTA.replace("aggregate: sum", "aggregate: last")
    found = target(goals, "2026-01-05,signups,100,\n", "2026-01-06")
    assert found.status == "in_progress"
    found = target(goals, "2026-01-05,signups,1700,\n", "2026-01-06")
    assert found.status == "achieved"


# --- pace curves -----------------------------------------------------------------------------

COMPOUND = """
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: grow
    title: Grow
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, baseline: 1000, target: 16000, pace: compound}
"""


def test_compound_pace_expects_less_early_than_a_straight_line() -> None:
    # half-way through the year a compound path from 1k to 16k expects 4k, a line expects 8.5k
    journal = "2026-07-02,mrr,5000,\n"
    found = target(COMPOUND, journal, "2026-07-02")
    share = (dt.date(2026, 7, 2) - dt.date(2026, 1, 1)).days / 364
    expected_value = 1000 * 16**share
    assert found.expected == pytest.approx((expected_value - 1000) / 15000)
    assert found.status == "on_track"
    linear = target(COMPOUND.replace("pace: compound", "pace: linear"), journal, "2026-07-02")
    assert linear.status == "off_track"


def test_compound_pace_with_a_zero_baseline_falls_back_to_linear_and_says_so() -> None:
    goals = COMPOUND.replace("baseline: 1000", "baseline: 0")
    found = target(goals, "2026-07-02,mrr,8000,\n", "2026-07-02")
    assert found.pace_note is not None and "linear" in found.pace_note
    share = (dt.date(2026, 7, 2) - dt.date(2026, 1, 1)).days / 364
    assert found.expected == pytest.approx(share)


def test_no_pace_for_a_rate_is_in_progress_then_achieved_or_missed() -> None:
    goals = COMPOUND.replace("baseline: 1000, target: 16000, pace: compound", 'target: ">= 25"')
    goals = goals.replace("unit: USD", "unit: percent").replace("}\n", "}\n", 1)
    goals = goals.replace('target: ">= 25"}', 'target: ">= 25", pace: none}')
    assert target(goals, "2026-07-02,mrr,10,\n", "2026-07-02").status == "in_progress"
    assert target(goals, "2026-07-02,mrr,30,\n", "2026-07-02").status == "achieved"
    assert target(goals, "2026-07-02,mrr,10,\n", "2027-01-01").status == "missed"


def test_plan_is_the_expected_value_at_the_basis_date() -> None:
    # issue 27: a level metric's plan is at its latest observation, where its status is judged
    # (was at the as-of date, 2026-07-02)
    found = target(COMPOUND, "2026-03-01,mrr,2000,\n", "2026-07-02")
    share = (dt.date(2026, 3, 1) - dt.date(2026, 1, 1)).days / 364
    assert found.basis_date == dt.date(2026, 3, 1)
    assert found.plan == pytest.approx(1000 * 16**share)
    assert found.variance == pytest.approx(2000 - 1000 * 16**share)


# --- milestones that stay reached ------------------------------------------------------------

CHAIN = """
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - {id: mrr-1k, title: 1K, targets: [{metric: mrr, target: 1000}]}
  - {id: mrr-5k, title: 5K, after: mrr-1k, targets: [{metric: mrr, target: 5000}]}
  - {id: mrr-10k, title: 10K, after: [mrr-1k, mrr-5k], targets: [{metric: mrr, target: 10000}]}
"""


def test_a_chain_of_latching_milestones_survives_a_dip() -> None:
    journal = (
        "2026-01-31,mrr,1200,\n2026-02-28,mrr,950,\n2026-03-31,mrr,5200,\n2026-04-30,mrr,4800,\n"
    )
    evaluation = judge(CHAIN, journal, "2026-02-28")
    statuses = {g.goal.id: g.status for g in evaluation.goals}
    # 1K dipped back below, but it was reached: 5K has started
    assert statuses == {"mrr-1k": "in_progress", "mrr-5k": "in_progress", "mrr-10k": "not_started"}
    assert evaluation.goal("mrr-10k").waiting_for == ("mrr-5k",)  # type: ignore[union-attr]
    evaluation = judge(CHAIN, journal, "2026-04-30")
    assert evaluation.goal("mrr-10k").status == "in_progress"  # type: ignore[union-attr]
    assert evaluation.goal("mrr-10k").waiting_for == ()  # type: ignore[union-attr]


def test_not_started_says_what_it_waits_for() -> None:
    found = goal(CHAIN, "2026-01-31,mrr,500,\n", "2026-02-01", "mrr-10k")
    assert found.status == "not_started"
    assert found.waiting_for == ("mrr-1k", "mrr-5k")


def test_a_milestone_reached_one_day_late_is_achieved_late_and_unblocks() -> None:
    goals = """
    metrics:
      mvp: {name: MVP, type: stage, stages: [building, beta, live]}
      users: {name: Users}
    goals:
      - {id: launch, title: Launch, due: 2026-03-31, targets: [{metric: mvp, target: live}]}
      - {id: next, title: Next, after: launch, targets: [{metric: users, target: 100}]}
    """
    journal = "2026-02-01,mvp,beta,\n2026-04-01,mvp,live,\n2026-04-02,users,10,\n"
    evaluation = judge(goals, journal, "2026-04-10")
    assert evaluation.goal("launch").status == "achieved_late"  # type: ignore[union-attr]
    assert evaluation.goal("next").status == "in_progress"  # type: ignore[union-attr]


def test_goal_roll_up_order() -> None:
    goals = """
    metrics:
      a: {name: A}
      b: {name: B}
    goals:
      - id: g
        title: G
        due: 2026-01-31
        targets:
          - {metric: a, target: 10}
          - {metric: b, target: 10}
    """
    late_and_on_time = "2026-01-10,a,10,\n2026-02-05,b,10,\n"
    assert goal(goals, late_and_on_time, "2026-02-10", "g").status == "achieved_late"
    assert goal(goals, "2026-01-10,a,10,\n2026-01-10,b,10,\n", "2026-02-10", "g").status == (
        "achieved"
    )
    held = goals.replace("target: 10}\n", "target: 10, hold: true}\n", 1)
    assert goal(held, "2026-01-10,a,5,\n2026-01-10,b,1,\n", "2026-02-10", "g").status == "missed"
    assert goal(held, "2026-01-10,a,5,\n2026-01-10,b,10,\n", "2026-02-10", "g").status == (
        "breached"
    )


# --- weights and areas -----------------------------------------------------------------------


def test_weights_shape_goal_and_area_scores() -> None:
    goals = """
    metrics:
      a: {name: A}
      b: {name: B}
    goals:
      - id: heavy
        title: Heavy
        area: Growth
        weight: 3
        targets:
          - {metric: a, target: 100, weight: 3}
          - {metric: b, target: 100}
      - {id: light, title: Light, area: Growth, targets: [{metric: b, target: 100}]}
    """
    journal = "2026-01-01,a,0,\n2026-01-01,b,0,\n2026-02-01,a,100,\n2026-02-01,b,20,\n"
    evaluation = judge(goals, journal, "2026-02-02")
    heavy = evaluation.goal("heavy")
    assert heavy is not None and heavy.score == pytest.approx((1.0 * 3 + 0.2) / 4)
    (area,) = evaluation.areas
    assert area.area == "Growth"
    assert area.score == pytest.approx(round((heavy.score * 3 + 0.2) / 4, 3), abs=1e-3)
    assert area.counts == {"in_progress": 2}


# --- windows and the plan in formulas and risks --------------------------------------------

WINDOWS = """
metrics:
  signups: {name: Signups}
  month_signups: {name: Signups this month, formula: "sum(signups, 'month')"}
  trailing: {name: Signups in 30 days, formula: "sum(signups, '30d')"}
  average: {name: Mean signup batch, formula: "mean(signups, '12 months')"}
  batches: {name: Batches this year, formula: "count(signups, 'year')"}
  then: {name: Signups at the end of January, formula: "at(signups, '2026-01')"}
goals:
  - {id: g, title: G, due: 2026-12-31, targets: [{metric: signups, target: 1000}]}
risks:
  - {id: late, title: Late, when: "as_of >= '2026-Q2' and progress('g', 'signups') < 0.5"}
  - {id: behind, title: Behind, when: "signups < 0.5 * plan('g', 'signups')"}
"""


def test_a_formula_window_across_a_month_end() -> None:
    journal = "2026-01-30,signups,10,\n2026-01-31,signups,20,\n2026-02-01,signups,5,\n"
    loaded = ledger(WINDOWS, journal)
    series = loaded.series
    # on 2026-02-01 the month to date holds only February's row; 30 days back holds all three
    assert series["month_signups"].values[-1] == 5
    assert series["trailing"].values[-1] == 35
    assert series["batches"].values[-1] == 3
    assert series["average"].values[-1] == pytest.approx(35 / 3)
    assert series["then"].values[-1] == 20


def test_as_of_compares_with_periods_and_plan_reads_the_pace() -> None:
    # the latest row is on the as-of date: a level's plan is at its latest observation
    journal = "2026-01-01,signups,0,\n2026-03-01,signups,100,\n2026-04-01,signups,100,\n"
    early = {r.risk.id: r.triggered for r in judge(WINDOWS, journal, "2026-03-31").risks}
    assert early["late"] is False  # before 2026-Q2 the dated trigger cannot fire
    later = {r.risk.id: r for r in judge(WINDOWS, journal, "2026-04-01").risks}
    assert later["late"].triggered is True
    assert later["behind"].triggered is True  # 100 against about a quarter of 1,000
    assert later["behind"].values["plan('g', 'signups')"] == pytest.approx(
        1000 * (dt.date(2026, 4, 1) - dt.date(2026, 1, 1)).days / 364
    )


def test_plan_and_progress_are_refused_in_a_derived_metric() -> None:
    goals = WINDOWS.replace("at(signups, '2026-01')", "plan('g', 'signups')")
    files = {"goals/goals.yaml": textwrap.dedent(goals).encode()}
    problems = [str(p) for p in load_ledger(files, use_cache=False).problems]
    assert any("plan() belongs in a risk's when" in p for p in problems), problems
