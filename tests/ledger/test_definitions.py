"""ledger/definitions.py: goal files and settings -> metrics, goals and risks, cross-checked,
every problem a value at path:line:column."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.errors import Problem
from smartgoals.ledger.definitions import (
    area_for,
    check_dependencies,
    describe_bad_id,
    parse_definitions,
    parse_settings,
    placement,
)
from smartgoals.ledger.model import GoalDef, SettingsDef, Where
from tests.conftest import ledger_files


def definitions(goals: str | dict[str, str], settings: str | None = None):  # type: ignore[no-untyped-def]
    return parse_definitions(ledger_files(goals, "", settings))


def problems(goals: str | dict[str, str], settings: str | None = None) -> list[str]:
    return [str(p) for p in definitions(goals, settings).problems]


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("goals/user-growth.yaml", "User growth"),
        ("goals/1-user_growth.yaml", "User growth"),  # the number only orders files
        ("goals/02 hiring.yml", "Hiring"),
        ("goals/revenue.yaml", "Revenue"),
        ("goals/ARR.yaml", "ARR"),
    ],
)
def test_area_for(path: str, area: str) -> None:
    assert area_for(path) == area


def test_describe_bad_id_names_an_invisible_character() -> None:
    assert describe_bad_id("gro\u200bw") == (
        "id 'gro\\u200bw' contains U+200B (ZERO WIDTH SPACE); ids use lower-case letters, "
        "digits, - and _"
    )
    assert describe_bad_id("Grow") == (
        "id 'Grow' must be lower-case letters, digits, - and _, starting with a letter or digit"
    )


@pytest.mark.parametrize(
    ("key", "kind", "hint"),
    [
        (
            "target",
            "goal",
            " (`target` belongs to a target, in an item under the goal's `targets:`)",
        ),
        ("owner", "target", " (`owner` belongs to the goal, not to one of its targets)"),
        (
            "baseline",
            "step",
            " (`baseline` belongs to the target, not to one rung of its `steps:`)",
        ),
        ("unit", "goal", " (`unit` belongs to a metric, under `metrics:` and its id)"),
        (
            "goals",
            "settings",
            " (`goals` belongs in a goal file under goals/, not in smartgoals.yaml)",
        ),
        ("title", "goal", ""),  # a goal's own key
        ("colour", "goal", ""),  # nobody's key
    ],
)
def test_placement(key: str, kind: str, hint: str) -> None:
    assert placement(key, kind) == hint


GOOD = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  phase: {name: Phase, type: stage, stages: [" idea ", beta]}
goals:
  - id: grow
    title: Grow
    owner: Ada
    specific: More revenue
    time_bound: 2026
    start: 2026-01
    due: 2026-Q4
    after: [first, first]
    review: {monthly: Numbers}
    tags: [money]
    targets:
      - {metric: mrr, target: 5k}
  - id: first
    title: First
    area: Launch
    targets:
      - {metric: phase, target: beta}
risks:
  - id: cash
    title: Cash
    when: "mrr < 100"
"""


def test_parse_definitions_resolves_records() -> None:
    found = parse_definitions(ledger_files({"1-revenue.yaml": GOOD}))
    assert found.problems == ()
    assert found.metrics["phase"].stages == ("idea", "beta")  # stripped
    assert found.metrics["mrr"].where == Where("goals/1-revenue.yaml", 2, 3)
    grow, first = found.goals
    assert (grow.area, first.area) == ("Revenue", "Launch")
    assert grow.smart == (("specific", "More revenue"), ("time_bound", "2026"))
    assert (grow.start, grow.due, grow.due_text) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 12, 31),
        "2026-Q4",
    )
    assert grow.after == ("first",)  # repeats dropped
    assert (grow.review, grow.tags) == ((("monthly", "Numbers"),), ("money",))
    assert found.risks[0].area == "Revenue"
    assert found.at_risk_band == 0.10
    assert set(found.conditions) == {"cash"}


# a problem is at its key's line and column (a flow mapping's key too)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "metrics: [1]\n",
            ["goals/goals.yaml:1:1: metrics: metrics: must be a mapping of id -> metric"],
        ),
        ("- 1\n", ["goals/goals.yaml:1:1: a goal file is a mapping with metrics: and goals:"]),
        ("goal: []\n", ["goals/goals.yaml:1:1: goal: unknown key 'goal' (did you mean 'goals'?)"]),
        ("goals: {a: 1}\n", ["goals/goals.yaml:1:1: goals: goals: must be a list"]),
        (
            "metrics:\n  MRR: {name: MRR}\n",
            [
                "goals/goals.yaml:2:3: metrics.MRR: metric id 'MRR' must be lower-case letters, digits and _, starting with a letter (formulas use metric ids as names)"
            ],
        ),
        (
            "metrics:\n  name: MRR\n",
            [
                "goals/goals.yaml:2:3: metrics.name: `name:` is not a metric: a metric's keys go under its id (metrics: -> mrr: -> name: ...)"
            ],
        ),
        (
            "metrics:\n  m: {name: M, stages: [a, b]}\n",
            ["goals/goals.yaml:2:16: metrics.m.stages: stages need type: stage"],
        ),
        (
            "metrics:\n  m: {name: M, type: stage, stages: [a]}\n",
            ["goals/goals.yaml:2:29: metrics.m.stages: a stage metric needs 2+ stages"],
        ),
        (
            "metrics:\n  m: {name: M, type: stage, stages: [a, a]}\n",
            ["goals/goals.yaml:2:29: metrics.m.stages: stages must be unique"],
        ),
        (
            "goals:\n  - id: g\n    title: G\n    targets: []\n",
            [
                "goals/goals.yaml:4:5: g.targets: a goal needs at least one target (SMART goals are Measurable)"
            ],
        ),
        (
            "goals:\n  - id: g\n    targets: [{metric: m, target: 1}]\nmetrics:\n  m: {name: M}\n",
            ["goals/goals.yaml:2:5: g.title: missing required key 'title'"],
        ),
    ],
)
def test_file_problems(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


def test_duplicates_across_files_name_the_first_place() -> None:
    one = "metrics:\n  m: {name: M}\ngoals:\n  - id: g\n    title: G\n    targets: [{metric: m, target: 1}]\nrisks:\n  - {id: r, title: R, when: m < 1}\n"
    assert problems({"a.yaml": one, "b.yaml": one}) == [
        "goals/b.yaml:2:3: metrics.m: metric 'm' is already defined at goals/a.yaml:2",
        "goals/b.yaml:4:5: goals[0].id: goal 'g' is already defined at goals/a.yaml:4",
        "goals/b.yaml:8:6: r.id: risk 'r' is defined twice",
    ]


def test_due_before_start() -> None:
    text = "goals:\n  - id: g\n    title: G\n    start: 2026-06\n    due: 2026-05\n    targets: [{metric: m, target: 1, due: 2026-07}]\nmetrics:\n  m: {name: M}\n"
    assert problems(text) == ["goals/goals.yaml:5:5: g.due: due 2026-05 is before start 2026-06"]


def test_not_utf8_is_a_problem_at_its_line() -> None:
    files = {"goals/goals.yaml": b"metrics:\n  m: {name: \xff}\n"}
    found = parse_definitions(files)
    assert [str(p) for p in found.problems] == [
        "goals/goals.yaml:2: not UTF-8 text (invalid start byte)"
    ]
    assert found.unreadable == ("goals/goals.yaml",)


def goal(gid: str, *after: str) -> GoalDef:
    return GoalDef(gid, gid, "A", (), after=after, after_where=Where("goals/g.yaml", 3, 5))


def test_check_dependencies_unknown_and_cycles() -> None:
    found: list[Problem] = []
    kept = check_dependencies([goal("a", "b", "zz"), goal("b", "c"), goal("c", "a")], found)
    assert [str(p) for p in found] == [
        "goals/g.yaml:3:5: a.after: unknown goal 'zz'",
        "goals/g.yaml:3:5: c.after: goals wait on each other: a -> b -> c -> a",
    ]
    assert [(g.id, g.after) for g in kept] == [("a", ("b",)), ("b", ("c",)), ("c", ())]


def test_check_dependencies_a_long_chain_is_fine() -> None:
    chain = [goal(f"g{i}", f"g{i + 1}") for i in range(5000)] + [goal("g5000")]
    found: list[Problem] = []
    kept = check_dependencies(chain, found)
    assert found == []
    assert kept[0].after == ("g1",)


def test_settings() -> None:
    assert parse_settings(None).at_risk_band == 0.10
    assert parse_settings(b"at_risk_band: 25%\n") == SettingsDef(at_risk_band=0.25)
    assert parse_settings(b"at_risk_band: 0.3\n").at_risk_band == 0.3
    found = parse_settings(b"at_risk_band: 2\npagr: false\n")
    assert found.at_risk_band == 0.10  # defaults where it cannot be read
    assert [str(p) for p in found.problems] == [
        "smartgoals.yaml:1:1: at_risk_band: Input should be less than or equal to 1",
        "smartgoals.yaml:2:1: pagr: unknown key 'pagr' (did you mean 'pager'?)",
    ]
    assert found.journal_problem is None  # it does not mention the journal: goals/log.csv


def test_settings_with_problems_that_mention_the_journal_hide_it() -> None:
    found = parse_settings(b"journal: log.d/a.csv\npagr: false\n")
    assert found.journal_problem == found.problems[0]
    assert parse_settings(b"pager: false\njournal: log.d/a.csv\n").journal_problem is None
    review = parse_settings(b"review:\n  weekly: KPIs\n  monthly: board\n").review
    assert review == (("weekly", "KPIs"), ("monthly", "board"))
