"""engine/selection.py: --goal, --area, --owner, --status and --sort over an evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.engine.evaluation import Evaluation, Status
from smartgoals.engine.selection import risk_matches, select, sort_goals, status_words
from smartgoals.errors import InvalidInputError
from tests.conftest import evaluate_strings, invoke, write_ledger

# at 2026-07-02: ship is achieved (due 2026-09-30), grow is off track (due 2026-12-31),
# hire has no data and no due, cut is on track (2026-08-31, range)
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
  staff: {name: Staff}
  burn: {name: Burn, unit: USD, direction: down}
goals:
  - id: grow
    title: Grow
    area: Revenue
    owner: Ada
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 1000, baseline: 0}
      - {metric: users, target: 10}
  - id: hire
    title: Hire
    area: Team
    owner: Bob
    targets:
      - {metric: staff, target: 5}
  - id: ship
    title: Ship
    area: revenue
    due: 2026-09-30
    targets:
      - {metric: users, target: 5}
  - id: cut
    title: Cut burn
    area: Team
    targets:
      - {metric: burn, target: "<= 100", due: 2026-08-31}
risks:
  - id: slow
    title: Slow sales
    area: Revenue
    owner: Ada
    when: "mrr < 100"
  - id: churn
    title: Goal grow slips
    when: "status('grow') == 'off_track'"
  - id: people
    title: Few people
    when: "staff < 1"
"""
JOURNAL = """\
2026-07-01,mrr,50,
2026-07-01,users,20,
2026-07-01,burn,90,
"""


@pytest.fixture(scope="module")
def evaluation() -> Evaluation:
    return evaluate_strings(GOALS, JOURNAL, "2026-07-02")


def ids(evaluation: Evaluation) -> list[str]:
    return [g.goal.id for g in evaluation.goals]


def test_the_fixture_statuses(evaluation: Evaluation) -> None:
    assert [(g.goal.id, str(g.status)) for g in evaluation.goals] == [
        ("grow", "off_track"),
        ("hire", "not_started"),  # no observation at all
        ("ship", "achieved"),
        ("cut", "achieved"),
    ]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ((), set()),
        (("on-track",), {"on_track"}),
        (("On Track, at_risk",), {"on_track", "at_risk"}),
        (("missed", "no-data,"), {"missed", "no_data"}),
        ((" , ",), set()),
    ],
)
def test_status_words(given: tuple[str, ...], words: set[str]) -> None:
    assert status_words(given) == words


def test_status_words_accepts_every_engine_status() -> None:
    assert status_words([",".join(str(s) for s in Status)]) == {str(s) for s in Status}


def test_status_words_unknown_suggests_the_nearest() -> None:
    with pytest.raises(
        InvalidInputError, match=r"unknown status 'on_trak' \(did you mean 'on_track'\?\)"
    ):
        status_words(["on_trak"])


def test_select_nothing_keeps_everything(evaluation: Evaluation) -> None:
    chosen = select(evaluation)
    assert ids(chosen) == ids(evaluation)
    assert [r.risk.id for r in chosen.risks] == ["slow", "churn", "people"]


def test_select_by_goal_keeps_the_risks_about_it(evaluation: Evaluation) -> None:
    chosen = select(evaluation, goals=["grow"])
    assert ids(chosen) == ["grow"]
    # slow reads mrr (a metric of grow), churn asks status('grow'); people reads staff
    assert [r.risk.id for r in chosen.risks] == ["slow", "churn"]


def test_select_area_and_owner_ignore_case(evaluation: Evaluation) -> None:
    assert ids(select(evaluation, area="REVENUE")) == ["grow", "ship"]
    assert ids(select(evaluation, area="team")) == ["hire", "cut"]
    assert ids(select(evaluation, owner="ada")) == ["grow"]
    assert ids(select(evaluation, area="team", owner="bob")) == ["hire"]
    assert ids(select(evaluation, area="revenue", owner="bob")) == []
    assert [r.risk.id for r in select(evaluation, area="revenue").risks] == ["slow"]


def test_select_by_status_keeps_only_matching_targets(evaluation: Evaluation) -> None:
    chosen = select(evaluation, statuses=["achieved"])
    assert ids(chosen) == ["grow", "ship", "cut"]
    grow = chosen.goals[0]
    assert [t.metric.id for t in grow.targets] == ["users"]  # mrr is off track: left out
    assert ids(select(evaluation, statuses=["no-data"])) == ["hire"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"goals": ["grwo"]}, "unknown goal 'grwo' (did you mean 'grow'?)"),
        ({"area": "Revenu"}, "unknown area 'Revenu' (did you mean 'Revenue'?)"),
        ({"owner": "Zed"}, "unknown owner 'Zed'"),
        ({"statuses": ["late"]}, "unknown status 'late'"),
    ],
)
def test_select_unknown_values_are_errors(
    evaluation: Evaluation,
    kwargs: dict,
    message: str,  # type: ignore[type-arg]
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        select(evaluation, **kwargs)
    assert str(caught.value) == message


def test_risk_matches_a_bad_condition_never_matches_a_goal(evaluation: Evaluation) -> None:
    broken = evaluation.risks[0]._replace(risk=evaluation.risks[0].risk._replace(when="mrr <"))
    assert not risk_matches(broken, evaluation.goals[:1], None, None)
    assert risk_matches(broken, (), None, None)  # without --goal, every risk concerns us


def test_sort_by_area_groups_areas_in_file_order(evaluation: Evaluation) -> None:
    # areas match exactly here: "Revenue" and "revenue" are two groups, the second after Team
    assert ids(sort_goals(evaluation, "area")) == ["grow", "hire", "cut", "ship"]
    reordered = evaluation._replace(
        goals=(evaluation.goals[1], *evaluation.goals[::2], evaluation.goals[3])
    )
    assert ids(sort_goals(reordered)) == ["hire", "cut", "grow", "ship"]


def test_sort_by_severity_worst_first_and_targets_too(evaluation: Evaluation) -> None:
    ordered = sort_goals(evaluation, "severity")
    # off_track, then statuses SEVERITY does not rank (achieved, not_started) in file order
    assert ids(ordered) == ["grow", "ship", "cut", "hire"]
    assert [str(t.status) for t in ordered.goals[0].targets] == ["off_track", "achieved"]
    flipped = evaluation._replace(goals=evaluation.goals[::-1])
    assert ids(sort_goals(flipped, "severity")) == ["grow", "cut", "ship", "hire"]  # file order


def test_sort_by_due_soonest_first_undated_last(evaluation: Evaluation) -> None:
    # cut's due is its target's (2026-08-31), ship 2026-09-30, grow 2026-12-31, hire none
    assert ids(sort_goals(evaluation, "due")) == ["cut", "ship", "grow", "hire"]


def test_sort_unknown_key_is_an_error(evaluation: Evaluation) -> None:
    with pytest.raises(
        InvalidInputError, match="unknown sort 'sevrity' \\(did you mean 'severity'\\?\\)"
    ):
        sort_goals(evaluation, "sevrity")


CAFE_NFC, CAFE_NFD = "Caf\u00e9", "Cafe\u0301"  # é as one character; e and a combining accent
UNICODE_GOALS = f"""\
metrics:
  mrr: {{name: MRR}}
goals:
  - {{id: bar, title: Bar, area: {CAFE_NFC}, owner: Zo\u00eb, targets: [{{metric: mrr, target: 5}}]}}
  - {{id: ops, title: Ops, area: Ops, targets: [{{metric: mrr, target: 9}}]}}
risks:
  - {{id: r, title: Rent, area: {CAFE_NFC}, owner: Zo\u00eb, when: "mrr < 1"}}
"""


@pytest.mark.parametrize(
    "args",
    [
        ["--area", CAFE_NFD],
        ["--area", CAFE_NFD.upper()],
        ["--owner", "Zoe\u0308"],
        ["--owner", "ZOE\u0308"],
    ],
)
def test_area_and_owner_match_in_either_unicode_normalization(
    tmp_path: Path, cli: CliRunner, args: list[str]
) -> None:
    write_ledger(tmp_path, UNICODE_GOALS, "date,metric,value,note\n2026-01-01,mrr,2,\n")
    result = invoke(cli, tmp_path, "status", "--as-of", "2026-02-01", "--json", *args)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert [goal["id"] for goal in shown["goals"]] == ["bar"]
    assert [risk["id"] for risk in shown["risks"]] == ["r"]


def test_an_unknown_area_still_suggests_the_nearest(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, UNICODE_GOALS, "date,metric,value,note\n")
    result = invoke(cli, tmp_path, "status", "--area", "Cafes")
    assert result.exit_code == 1
    assert f"unknown area 'Cafes' (did you mean '{CAFE_NFC}'?)" in result.output
