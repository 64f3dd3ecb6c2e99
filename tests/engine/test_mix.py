"""engine/mix.py: a mix judged as one target, from hand-computed shares."""

from __future__ import annotations

from smartgoals.engine.mix import mix_score, mix_status, points
from tests.conftest import evaluate_strings

SHARES = """
metrics:
  web: {name: Web, unit: percent, cadence: quarterly}
  mobile: {name: Mobile, unit: percent, cadence: quarterly}
  desktop: {name: Desktop, unit: percent, cadence: quarterly}
goals:
  - id: platforms
    title: Platforms
    due: 2026-12-31
    targets:
      - mix: platform_mix
        name: Platform distribution
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 55%}
          desktop: {metric: desktop, share: 5%}
        tolerance: 5pp
"""


def _mix(journal: str, as_of: str, goals: str = SHARES):  # type: ignore[no-untyped-def]
    evaluation = evaluate_strings(goals, journal, as_of)
    goal = evaluation.goals[0]
    return goal, goal.targets[0]


def test_logged_shares_within_tolerance_are_achieved_before_the_due() -> None:
    # web 38 (-2), mobile 57 (+2), desktop 5 (0): worst 2pp <= 5pp
    journal = """
        2026-09-30,web,38,
        2026-09-30,mobile,57,
        2026-09-30,desktop,5,
    """
    goal, mix = _mix(journal, "2026-10-15")
    assert mix.status == "achieved"
    assert [(p.part, p.planned, p.actual, p.deviation) for p in mix.mix] == [
        ("web", 40.0, 38.0, -2.0),
        ("mobile", 55.0, 57.0, 2.0),
        ("desktop", 5.0, 5.0, 0.0),
    ]
    assert mix.current == 2.0 and mix.score == 1.0 and mix.progress == 1.0
    assert mix.basis_date.isoformat() == "2026-09-30"
    assert mix.metric.id == "platform_mix" and mix.metric.name == "Platform distribution"
    assert mix.why == ("judged at 2026-09-30: worst part web 38% vs 40% planned (-2pp), within 5pp")
    assert goal.status == "achieved"
    assert mix.forecast is not None and mix.forecast.verdict == "unknown"


def test_beyond_the_tolerance_is_at_risk_and_beyond_twice_off_track() -> None:
    # web 33 (-7), mobile 62 (+7): worst 7pp, between 5 and 10: at_risk; score 1 - 2/5 = 0.6
    journal = """
        2026-09-30,web,33,
        2026-09-30,mobile,62,
        2026-09-30,desktop,5,
    """
    _goal, mix = _mix(journal, "2026-10-15")
    assert mix.status == "at_risk"
    assert abs(mix.score - 0.6) < 1e-9
    assert mix.left == 2.0
    # web 28 (-12): beyond 10pp: off_track, score 0
    journal = """
        2026-09-30,web,28,
        2026-09-30,mobile,62,
        2026-09-30,desktop,10,
    """
    _goal, mix = _mix(journal, "2026-10-15")
    assert mix.status == "off_track" and mix.score == 0.0
    assert mix.why.endswith("(-12pp), beyond twice 5pp")


def test_the_basis_is_the_oldest_of_the_parts_latest_observations() -> None:
    # desktop was last logged on 06-30: the basis is 06-30, web and mobile taken on or before it
    journal = """
        2026-06-30,web,40,
        2026-06-30,mobile,55,
        2026-06-30,desktop,5,
        2026-09-30,web,20,
        2026-09-30,mobile,75,
    """
    _goal, mix = _mix(journal, "2026-10-15")
    assert mix.basis_date.isoformat() == "2026-06-30"
    assert [p.actual for p in mix.mix] == [40.0, 55.0, 5.0]
    assert mix.status == "achieved"
    assert mix.stale  # 107 days after the basis, past a quarterly cadence (92)


def test_no_data_until_every_part_has_a_value() -> None:
    journal = """
        2026-09-30,web,38,
        2026-09-30,mobile,57,
    """
    goal, mix = _mix(journal, "2026-10-15")
    assert mix.status == "no_data" and mix.mix is None and mix.score is None
    assert goal.status == "not_started"  # no part observed... the mix has no value yet


def test_after_the_due_achieved_missed_and_achieved_late() -> None:
    within = "2026-12-31,web,41,\n2026-12-31,mobile,54,\n2026-12-31,desktop,5,\n"
    beyond = "2026-12-31,web,30,\n2026-12-31,mobile,65,\n2026-12-31,desktop,5,\n"
    later = "2027-01-31,web,40,\n2027-01-31,mobile,55,\n2027-01-31,desktop,5,\n"
    assert _mix(within, "2027-02-15")[1].status == "achieved"
    missed = _mix(beyond, "2027-02-15")[1]
    assert missed.status == "missed" and missed.judged_value == 10.0
    assert _mix(beyond + later, "2027-02-15")[1].status == "achieved_late"


AMOUNTS = """
metrics:
  pow: {name: PoW fees, unit: USD, cadence: monthly}
  premium: {name: Premium, unit: USD, cadence: monthly}
  developers: {name: Developer share, unit: USD, cadence: monthly}
  enterprise: {name: Enterprise, unit: USD, cadence: monthly}
goals:
  - id: streams
    title: Revenue streams
    targets:
      - mix: revenue_mix
        parts:
          pow: {metric: pow, share: 60%}
          premium: {metric: premium, share: 25%}
          developers: {metric: developers, share: 15%}
          enterprise: {metric: enterprise, share: 0%}
        tolerance: 5pp
"""


def test_amounts_are_shares_of_their_sum() -> None:
    # 6,200 + 2,300 + 1,500 + 0 = 10,000: 62%, 23%, 15%, 0%; worst 2pp
    journal = """
        2026-10-31,pow,6200,
        2026-10-31,premium,2300,
        2026-10-31,developers,1500,
        2026-10-31,enterprise,0,
    """
    _goal, mix = _mix(journal, "2026-11-22", AMOUNTS)
    assert [p.actual for p in mix.mix] == [62.0, 23.0, 15.0, 0.0]
    assert [p.value for p in mix.mix] == [6200.0, 2300.0, 1500.0, 0.0]
    assert mix.status == "achieved" and mix.current == 2.0
    assert mix.metric.name == "revenue_mix"  # no name: its id


def test_amounts_that_add_up_to_nothing_have_no_shares() -> None:
    journal = """
        2026-10-31,pow,0,
        2026-10-31,premium,0,
        2026-10-31,developers,0,
        2026-10-31,enterprise,0,
    """
    _goal, mix = _mix(journal, "2026-11-22", AMOUNTS)
    assert mix.status == "no_data"
    assert mix.why == "judged at 2026-10-31: the parts add up to nothing"


def test_the_rules_by_hand() -> None:
    assert mix_status(5.0, 5.0) == "achieved"
    assert mix_status(10.0, 5.0) == "at_risk"
    assert mix_status(10.01, 5.0) == "off_track"
    assert mix_score(7.5, 5.0) == 0.5
    assert mix_score(None, 5.0) is None
    assert points(2.0) == "+2pp" and points(-0.5) == "-0.5pp" and points(0.0) == "0pp"


def test_a_part_that_began_after_another_s_latest_leaves_no_basis() -> None:
    # desktop's latest is 06-30, but web began on 09-30: no date has all three
    journal = """
        2026-06-30,mobile,55,
        2026-06-30,desktop,5,
        2026-09-30,web,38,
        2026-09-30,mobile,57,
    """
    _goal, mix = _mix(journal, "2026-10-15")
    assert mix.status == "no_data" and mix.mix is None
    assert mix.why == "no date yet at which every part has a value"
