"""The status engine: every rule and its boundaries, on ledgers loaded from strings (no disk)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.engine.evaluation import evaluate
from tests.conftest import evaluate_strings, ledger_from_strings

# A target from 0 to 100 over 2026-01-01 .. 2026-12-31 (364 days): at 2026-07-02 (182 days) half
# of the window has passed, so the expected progress is exactly 0.5.
PACE = """
metrics:
  users: {name: Users}
goals:
  - id: grow
    title: Grow
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: users, target: 100, baseline: 0}
"""


def one_target(goals: str, journal: str, as_of: str, settings: str | None = None):  # type: ignore[no-untyped-def]
    return evaluate_strings(goals, journal, as_of, settings).goals[0].targets[0]


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("50", "on_track"),  # progress 0.50 == expected 0.50: on pace counts as on track
        ("49.99", "at_risk"),  # just below expected
        ("40", "at_risk"),  # exactly at the bottom of the 0.10 band
        ("39.99", "off_track"),  # just below the band
        ("0", "off_track"),
        ("100", "achieved"),
        ("99.99", "on_track"),
    ],
)
def test_pace_boundaries(value: str, status: str) -> None:
    target = one_target(PACE, f"2026-07-02,users,{value},\n", "2026-07-02")
    assert target.status == status
    if status != "achieved":
        assert target.expected == pytest.approx(182 / 364)
        assert target.progress == pytest.approx(float(value) / 100)


def test_pace_is_judged_at_the_date_of_the_latest_observation() -> None:
    # Logged on 2026-07-02 at 50; evaluated months later, still on track: the pace is judged
    # where the data is, and the stale flag (not the pace) tells that the data is old.
    target = one_target(PACE, "2026-07-02,users,50,\n", "2026-11-30")
    assert target.status == "on_track"
    assert target.expected == pytest.approx(0.5)


def test_at_risk_band_comes_from_settings() -> None:
    target = one_target(PACE, "2026-07-02,users,25,\n", "2026-07-02", "at_risk_band: 0.3\n")
    assert target.status == "at_risk"


def test_no_data_before_any_observation() -> None:
    target = one_target(PACE, "2026-08-01,users,10,\n", "2026-07-02")
    assert target.status == "no_data"
    assert target.current is None


def test_only_observations_up_to_as_of_count() -> None:
    journal = "2026-03-01,users,10,\n2026-09-01,users,100,\n"
    target = one_target(PACE, journal, "2026-08-31")
    assert target.current == 10
    assert target.current_date == dt.date(2026, 3, 1)


def test_met_after_the_due_is_achieved_late_with_its_evidence() -> None:
    journal = "2026-12-31,users,90,\n2027-01-05,users,150,\n2027-01-20,users,95,\n"
    target = one_target(PACE, journal, "2027-02-01")
    assert target.status == "achieved_late"  # reached, but late; a later dip does not undo it
    assert (target.judged_value, str(target.judged_date)) == (150, "2027-01-05")
    assert target.current == 95
    assert target.left == 0


def test_missed_shows_the_value_that_decided_it() -> None:
    journal = "2026-12-31,users,90,\n2027-01-05,users,95,\n"
    target = one_target(PACE, journal, "2027-02-01")
    assert target.status == "missed"
    assert (target.judged_value, str(target.judged_date)) == (90, "2026-12-31")
    assert target.current == 95  # the current value is shown beside the evidence
    assert target.left == 10  # what was left at the due, not today


def test_achieved_on_the_due_day_itself() -> None:
    target = one_target(PACE, "2026-12-31,users,100,\n", "2027-01-01")
    assert target.status == "achieved"


def test_due_day_is_still_in_time() -> None:
    target = one_target(PACE, "2026-12-31,users,99,\n", "2026-12-31")
    assert target.status == "at_risk"  # not missed until the day after the due


def test_missed_when_nothing_was_recorded_by_the_due() -> None:
    target = one_target(PACE, "2027-01-02,users,99,\n", "2027-01-03")
    assert target.status == "missed"
    assert target.judged_value is None and target.judged_date is None


def test_reached_one_day_late() -> None:
    target = one_target(PACE, "2027-01-01,users,100,\n", "2027-01-03")
    assert target.status == "achieved_late"
    assert str(target.judged_date) == "2027-01-01"


UNDATED = """
metrics:
  subs: {name: Subscribers}
goals:
  - id: list
    title: List
    targets:
      - {metric: subs, target: 500}
"""


def test_undated_target_is_in_progress_until_met() -> None:
    journal = "2026-01-01,subs,100,\n2026-02-01,subs,300,\n"
    target = one_target(UNDATED, journal, "2026-03-01")
    assert target.status == "in_progress"
    assert target.baseline == 100  # default: the first observation
    assert target.progress == pytest.approx(0.5)
    assert target.expected is None
    assert target.left == 200


def test_undated_target_achieved() -> None:
    target = one_target(UNDATED, "2026-01-01,subs,500,\n", "2026-03-01")
    assert target.status == "achieved"
    assert target.left == 0


DOWN = """
metrics:
  cac: {name: CAC, unit: USD, direction: down}
goals:
  - id: cheap
    title: Cheaper customers
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: cac, target: 10, baseline: 20}
"""


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("10", "achieved"),
        ("15", "on_track"),
        ("16", "at_risk"),
        ("17", "off_track"),
        ("25", "off_track"),
    ],
)
def test_direction_down_mirrors_progress(value: str, status: str) -> None:
    target = one_target(DOWN, f"2026-07-02,cac,{value},\n", "2026-07-02")
    assert target.status == status
    assert target.rung.op == "<="  # a bare value means <= for direction: down


@pytest.mark.parametrize(
    ("spec", "value", "met"),
    [
        ('"< 10"', "9.99", True),
        ('"< 10"', "10", False),
        ('"<= 10"', "10", True),
        ('"> 10"', "10", False),
        ('">= 10"', "10", True),
        ('"== 10"', "10", True),
        ('"== 10"', "10.5", False),
        ('"5..50"', "5", True),
        ('"5..50"', "50", True),
        ('"5..50"', "50.01", False),
        ('"5..50"', "4", False),
        ("10", "10", True),
        ('"$1k"', "1000", True),
        ('"60%"', "59.9", False),
    ],
)
def test_operators(spec: str, value: str, met: bool) -> None:
    goals = f"""
    metrics:
      m: {{name: M, unit: {"percent" if "%" in spec else "USD"}}}
    goals:
      - id: g
        title: G
        targets:
          - {{metric: m, target: {spec}}}
    """
    target = one_target(goals, f"2026-01-01,m,{value},\n", "2026-01-02")
    assert (target.status == "achieved") is met


LADDER = """
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    start: 2025-07-01
    due: 2026-Q4
    targets:
      - metric: mrr
        steps:
          - {value: 1k, due: 2025-Q3}
          - {value: 5k, due: 2025-Q4}
          - {value: 25k, due: 2026-Q2}
          - {value: 100k, due: 2026-Q4}
"""


def test_ladder_current_rung_and_passed_rungs() -> None:
    journal = (
        "2025-09-30,mrr,1200,\n"  # rung 1 met by its due
        "2025-12-31,mrr,4000,\n"  # rung 2 missed
        "2026-06-30,mrr,25000,\n"  # rung 3 met
        "2026-09-30,mrr,70000,\n"
    )
    target = one_target(LADDER, journal, "2026-10-01")
    # rung 2 was missed at its due and reached later: achieved_late
    assert [s.status for s in target.steps] == ["achieved", "achieved_late", "achieved", "on_track"]
    assert target.rung.value == 100_000
    # the window runs from the previous rung (25k at 2026-06-30) to this one (2026-12-31)
    assert target.baseline == 25_000
    assert target.progress == pytest.approx((70_000 - 25_000) / 75_000)
    assert target.expected == pytest.approx(92 / 184)
    assert target.status == "on_track"


def test_ladder_rung_met_early_is_on_track_not_achieved() -> None:
    target = one_target(LADDER, "2025-08-01,mrr,1500,\n", "2025-08-02")
    assert target.steps[0].status == "achieved"
    assert target.status == "on_track"


def test_ladder_all_rungs_passed() -> None:
    journal = "2026-12-31,mrr,120000,\n"
    target = one_target(LADDER, journal, "2027-03-01")
    assert target.rung.value == 100_000
    assert target.status == "achieved"
    journal = "2026-12-31,mrr,90000,\n"
    target = one_target(LADDER, journal, "2027-03-01")
    assert target.status == "missed"


STAGES = """
metrics:
  mvp: {name: MVP, type: stage, stages: [not_started, in_progress, beta, done]}
goals:
  - id: ship
    title: Ship
    targets:
      - {metric: mvp, target: beta}
"""


@pytest.mark.parametrize(
    ("stage", "status", "progress"),
    [
        ("not_started", "in_progress", 0.0),
        ("in_progress", "in_progress", 0.5),
        ("beta", "achieved", 1.0),
        ("done", "achieved", 1.0),
    ],
)
def test_stage_metrics(stage: str, status: str, progress: float) -> None:
    target = one_target(STAGES, f"2026-01-01,mvp,{stage},\n", "2026-01-02")
    assert target.status == status
    assert target.progress == pytest.approx(progress)


STALE = """
metrics:
  mau: {name: MAU, cadence: monthly}
  nps: {name: NPS}
goals:
  - id: g
    title: G
    targets:
      - {metric: mau, target: 100}
      - {metric: nps, target: 50}
"""


@pytest.mark.parametrize(("as_of", "stale"), [("2026-02-01", False), ("2026-02-02", True)])
def test_stale_after_the_cadence(as_of: str, stale: bool) -> None:
    journal = "2026-01-01,mau,10,\n2026-01-01,nps,10,\n"
    evaluation = evaluate_strings(STALE, journal, as_of)
    mau, nps = evaluation.goals[0].targets
    assert mau.stale is stale  # monthly: 31 days
    assert nps.stale is False  # no cadence, never stale


SEQUENCE = """
metrics:
  revenue: {name: Revenue, unit: USD}
  mrr: {name: MRR, unit: USD}
goals:
  - id: first
    title: First revenue
    targets:
      - {metric: revenue, target: 1}
  - id: next
    title: $1K MRR
    after: first
    targets:
      - {metric: mrr, target: 1000}
  - id: later
    title: Later
    start: 2027-01
    targets:
      - {metric: mrr, target: 5000}
"""


def test_not_started_until_the_after_goal_is_achieved() -> None:
    journal = "2026-01-01,mrr,200,\n"
    evaluation = evaluate_strings(SEQUENCE, journal, "2026-02-01")
    assert evaluation.goal("next").status == "not_started"
    assert evaluation.goal("next").targets[0].current == 200  # numbers are still shown
    journal += "2026-01-15,revenue,49,\n"
    evaluation = evaluate_strings(SEQUENCE, journal, "2026-02-01")
    assert evaluation.goal("first").status == "achieved"
    assert evaluation.goal("next").status == "in_progress"


def test_not_started_before_the_goal_start() -> None:
    journal = "2026-01-01,mrr,200,\n"
    evaluation = evaluate_strings(SEQUENCE, journal, "2026-12-31")
    assert evaluation.goal("later").status == "not_started"
    evaluation = evaluate_strings(SEQUENCE, journal, "2027-01-01")
    assert evaluation.goal("later").status == "in_progress"


WORST = """
metrics:
  a: {name: A}
  b: {name: B}
  c: {name: C}
goals:
  - id: g
    title: G
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: a, target: 100, baseline: 0}
      - {metric: b, target: 100, baseline: 0}
      - {metric: c, target: 100, baseline: 0}
"""


@pytest.mark.parametrize(
    ("values", "status"),
    [
        ((100, 100, 100), "achieved"),
        ((100, 60, 100), "on_track"),
        ((100, 60, 45), "at_risk"),
        ((10, 60, 45), "off_track"),
        # issue 27: never no_data while a target has an observation (was no_data)
        ((100, 60, None), "in_progress"),
        ((10, 60, None), "off_track"),  # off_track is worse than no_data
    ],
)
def test_goal_takes_the_worst_target_status(values: tuple, status: str) -> None:
    journal = "".join(
        f"2026-07-02,{m},{v},\n" for m, v in zip("abc", values, strict=True) if v is not None
    )
    evaluation = evaluate_strings(WORST, journal, "2026-07-02")
    assert evaluation.goals[0].status == status


def test_goal_score_is_the_mean_of_clamped_progress() -> None:
    journal = "2026-07-02,a,150,\n2026-07-02,b,30,\n2026-07-02,c,-20,\n"
    evaluation = evaluate_strings(WORST, journal, "2026-07-02")
    assert evaluation.goals[0].score == pytest.approx((1.0 + 0.3 + 0.0) / 3, abs=1e-3)


def test_same_day_rows_keep_journal_order() -> None:
    journal = "2026-07-02,users,10,\n2026-07-02,users,60,\n"
    target = one_target(PACE, journal, "2026-07-02")
    assert target.current == 60  # the later line corrects the earlier one


ROWS = [
    ("2026-01-05", "users", "10"),
    ("2026-02-05", "users", "25"),
    ("2026-03-05", "users", "31"),
    ("2026-04-05", "users", "48"),
    ("2026-05-05", "users", "52"),
]


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(min_value=0, max_value=10_000),
    as_of=st.dates(dt.date(2026, 1, 1), dt.date(2027, 6, 1)),
)
def test_status_does_not_depend_on_journal_order(seed: int, as_of: dt.date) -> None:
    rows = ROWS[:]
    results = []
    for order in (rows, random.Random(seed).sample(rows, len(rows))):
        journal = "".join(f"{d},{m},{v},\n" for d, m, v in order)
        status = evaluate(ledger_from_strings(PACE, journal), as_of).goals[0]
        results.append((status.status, status.score, status.targets[0].progress))
    assert results[0] == results[1]


# --- stretch targets and a held target's grace (issue 30, item 6) -------------------------------
SLA = """
metrics:
  uptime: {name: Uptime, unit: percent}
  p90: {name: p90 latency, unit: ms, direction: down}
goals:
  - id: sla
    title: SLA
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: uptime, target: ">= 99.5%", hold: true, breaches_in_a_row: 2}
      - {metric: p90, target: "<= 200ms", hold: true, stretch: true}
"""
# uptime breaks once (99.1 on 02-01), never twice in a row; p90 breaks at 03-01 (250ms)
SLA_ROWS = """\
2026-01-01,uptime,99.9,
2026-02-01,uptime,99.1,
2026-03-01,uptime,99.8,
2026-01-01,p90,150,
2026-03-01,p90,250,
"""


def test_a_missed_stretch_target_is_shown_and_scored_but_does_not_set_the_goal() -> None:
    goal = evaluate_strings(SLA, SLA_ROWS, "2026-03-15").goals[0]
    uptime, p90 = goal.targets
    assert (uptime.status, p90.status) == ("on_track", "breached")
    assert goal.status == "on_track"  # without stretch: p90 would make it breached
    # scores: uptime 2/3 observations held, p90 1/2; the goal's score counts both
    assert (uptime.score, p90.score) == (pytest.approx(2 / 3), 0.5)
    assert goal.score == round((2 / 3 + 0.5) / 2, 3)


def test_a_goal_of_stretch_targets_only_takes_their_status() -> None:
    only = SLA.replace("breaches_in_a_row: 2}", "breaches_in_a_row: 2, stretch: true}")
    goal = evaluate_strings(only, SLA_ROWS, "2026-03-15").goals[0]
    assert goal.status == "breached"


def test_two_breaches_in_a_row_breach_a_target_that_tolerates_one() -> None:
    rows = SLA_ROWS + "2026-03-08,uptime,99.0,\n2026-03-09,uptime,99.2,\n"
    uptime = evaluate_strings(SLA, rows, "2026-03-15").goals[0].targets[0]
    assert uptime.status == "breached"
    assert [b.date.isoformat() for b in uptime.breaches] == [
        "2026-02-01",
        "2026-03-08",
        "2026-03-09",
    ]


# --- open-ended timelines (issue 30, item 5) ----------------------------------------------------
OPEN_ENDED = """
metrics:
  users: {name: Users}
goals:
  - id: grow
    title: Grow
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: users, target: 100, baseline: 0}
      - {metric: users, target: 1000, start: 2027, due: open}
  - id: someday
    title: Someday
    due: open
    targets:
      - {metric: users, target: 500}
"""


def test_an_open_ended_target_has_no_due_and_no_pace() -> None:
    ledger = ledger_from_strings(OPEN_ENDED, "2026-07-02,users,50,\n")
    assert not ledger.problems, [str(p) for p in ledger.problems]
    dated, open_ended = ledger.goals[0].targets
    assert dated.rungs[0].due == dt.date(2026, 12, 31)
    assert (open_ended.rungs[0].due, open_ended.rungs[0].due_text) == (None, "2027+")
    someday = ledger.goals[1]
    assert (someday.due, someday.due_text) == (None, "open")
    assert someday.targets[0].rungs[0].due_text == "open"
    # before its start: not started; after it, no pace: in progress until met, never missed
    early = evaluate(ledger, dt.date(2026, 7, 2)).goals
    assert early[0].targets[1].status == "not_started"
    assert early[1].targets[0].status == "in_progress"
    late = evaluate(ledger, dt.date(2030, 1, 1)).goals
    assert late[0].targets[1].status == "in_progress"
    assert late[0].targets[1].expected is None and late[0].targets[1].plan is None


def test_an_open_ended_target_reads_as_such() -> None:
    from smartgoals.engine.words import rung_text

    target = evaluate_strings(OPEN_ENDED, "2026-07-02,users,50,\n", "2027-02-01").goals[0]
    assert rung_text(target.targets[1].metric, target.targets[1].rung, plain=True) == (
        ">= 1,000, 2027+ (open-ended)"
    )


def test_without_forecasts_the_judgement_is_the_same_and_a_forecast_is_computed_alike() -> None:
    """evaluate(forecasts=False), for a view that shows none (a piped status), judges every
    target as evaluate() does; target_forecasts then computes the forecast evaluate() carries."""
    from smartgoals.engine.forecast import target_forecasts

    journal = "".join(f"2026-{m:02d}-01,users,{m * 8},\n" for m in range(1, 8))
    ledger = ledger_from_strings(PACE, journal)
    day = dt.date(2026, 7, 2)
    full, lean = evaluate(ledger, day), evaluate(ledger, day, forecasts=False)
    assert all(t.forecast is not None for g in full.goals for t in g.targets)
    assert all(t.forecast is None for g in lean.goals for t in g.targets)
    assert lean == full._replace(
        goals=tuple(
            g._replace(targets=tuple(t._replace(forecast=None) for t in g.targets))
            for g in full.goals
        )
    )
    assert target_forecasts(ledger, lean) == target_forecasts(ledger, full)
