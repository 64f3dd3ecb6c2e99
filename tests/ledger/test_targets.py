"""ledger/targets.py: targets as written -> rungs, checked against their metric, with every
problem at path:line:column."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.ledger.model import MetricDef, Rung
from smartgoals.ledger.targets import parse_rung
from smartgoals.periods import parse_period
from tests.conftest import ledger_from_strings

UP = MetricDef("mrr", "MRR", "USD")
DOWN = MetricDef("burn", "Burn", "USD", direction="down")
STAGE = MetricDef("phase", "Phase", stages=("idea", "beta", "live"))
COUNT = MetricDef("users", "Users")


@pytest.mark.parametrize(
    ("raw", "metric", "rung"),
    [
        (">= 5k", UP, Rung(">=", 5000)),
        ("> $5,000", UP, Rung(">", 5000)),
        ("<10", UP, Rung("<", 10)),
        ("== 3", COUNT, Rung("==", 3)),
        ("= 3", COUNT, Rung("==", 3)),  # alias
        ("≥ 3", COUNT, Rung(">=", 3)),
        ("≤ 3", COUNT, Rung("<=", 3)),
        ("5k", UP, Rung(">=", 5000)),  # bare: >= for a metric that goes up
        ("5k", DOWN, Rung("<=", 5000)),  # and <= for one that goes down
        (5000, DOWN, Rung("<=", 5000)),
        (7.5, COUNT, Rung(">=", 7.5)),
        ("5..50", COUNT, Rung("..", 5, 50)),
        (" $1k .. $2k ", UP, Rung("..", 1000, 2000)),
        ("3..3", COUNT, Rung("..", 3, 3)),
        ("beta", STAGE, Rung(">=", 1)),
        ("live", STAGE, Rung(">=", 2)),
    ],
)
def test_parse_rung(raw: object, metric: MetricDef, rung: Rung) -> None:
    assert parse_rung(raw, metric, None) == rung


def test_parse_rung_carries_the_due_period() -> None:
    rung = parse_rung(">= 5", COUNT, parse_period("2026-Q3"))
    assert (rung.due, rung.due_text) == (dt.date(2026, 9, 30), "2026-Q3")


@pytest.mark.parametrize(
    ("raw", "metric", "message"),
    [
        ("50..5", COUNT, "range '50..5' runs backwards"),
        (">= lots", COUNT, "is not a number"),
        ("60%", UP, "'60%' is written as percent, but the unit is USD"),
        ("gamma", STAGE, "'gamma' is not a stage of phase (stages: idea, beta, live)"),
    ],
)
def test_parse_rung_refuses(raw: object, metric: MetricDef, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_rung(raw, metric, None)


def goal_file(*targets: str, goal_fields: str = "") -> str:
    lines = "".join(f"      - {t}\n" for t in targets)
    return (
        "metrics:\n"
        "  mrr: {name: MRR, unit: USD}\n"
        "  phase: {name: Phase, type: stage, stages: [idea, beta, live]}\n"
        "goals:\n"
        "  - id: grow\n"
        "    title: Grow\n"
        f"{goal_fields}"
        "    targets:\n"
        f"{lines}"
    )


def problems(text: str) -> list[str]:
    return [str(p) for p in ledger_from_strings(text).problems]


# the column is the key's: `      - {metric: mrr, target: ...}` puts `target` at column 23
@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "{metric: mrx, target: 5}",
            "goals/goals.yaml:8:10: grow.targets[0].metric: unknown metric 'mrx' (did you mean 'mrr'?)",
        ),
        (
            "{metric: mrr}",
            "goals/goals.yaml:8:9: grow.targets[0]: give either target: or steps:, not both or neither",
        ),
        (
            "{metric: mrr, target: 5..1}",
            "goals/goals.yaml:8:23: grow.targets[0].target: range '5..1' runs backwards",
        ),
        (
            "{metric: mrr, target: 5, baseline: 10%}",
            "goals/goals.yaml:8:34: grow.targets[0].baseline: '10%' is written as percent, but the unit is USD",
        ),
        (
            "{metric: mrr, target: 5, window: 90d}",
            "goals/goals.yaml:8:34: grow.targets[0].window: window: applies to a held target (hold: true)",
        ),
        (
            "{metric: mrr, target: 5, hold: true, every: month}",
            "goals/goals.yaml:8:46: grow.targets[0].every: every: and hold: do not combine: a quota is judged per period",
        ),
        (
            "{metric: phase, target: live, every: month}",
            "goals/goals.yaml:8:39: grow.targets[0].every: a stage metric has no quota",
        ),
        (
            "{metric: mrr, target: 5, start: 2026-06, due: 2026-03}",
            "goals/goals.yaml:8:50: grow.targets[0].due: due is before the start (2026-06)",
        ),
        (
            "{metric: mrr, target: 5, grace: 1}",
            "goals/goals.yaml:8:34: grow.targets[0].grace: grace: applies to a held target (hold: true)",
        ),
        (
            "{metric: mrr, target: 5, hold: true, grace: 1, breaches_in_a_row: 2}",
            "goals/goals.yaml:8:56: grow.targets[0].breaches_in_a_row: give grace: or breaches_in_a_row:, not both",
        ),
        (
            "{metric: mrr, target: 5, hold: true, grace: -1}",
            "goals/goals.yaml:8:46: grow.targets[0].grace: Input should be greater than or equal to 0",
        ),
    ],
)
def test_resolve_target_problems(target: str, expected: str) -> None:
    assert problems(goal_file(target)) == [expected]


def test_ladder_rungs_out_of_date_order() -> None:
    text = goal_file(
        "metric: mrr\n"
        "        steps:\n"
        "          - {value: 1k, due: 2026-06}\n"
        "          - {value: 2k, due: 2026-03}\n"
        "          - {value: 3k, due: 2026-02}\n"
    )
    found = problems(text)
    assert found[0] == (
        "goals/goals.yaml:11:25: grow.targets[0].steps[1].due: rung due 2026-03 is not after "
        "the previous rung's (2026-06): list rungs in date order"
    )
    assert found[1].startswith(
        "goals/goals.yaml:12:25: grow.targets[0].steps[2].due: rung due 2026-02"
    )
    assert len(found) == 2


def test_resolved_target_and_its_defaults() -> None:
    text = goal_file(
        "{metric: mrr, target: '>= 5k', baseline: 1k, note: hi, reason: board}",
        "{metric: phase, target: beta}",
        goal_fields="    start: 2026-01\n    due: 2026-Q4\n",
    )
    ledger = ledger_from_strings(text)
    assert ledger.problems == ()
    money, stage = ledger.goals[0].targets
    assert money.rungs == (Rung(">=", 5000, None, dt.date(2026, 12, 31), "2026-Q4"),)
    assert (money.baseline, money.start, money.note, money.reason) == (
        1000,
        dt.date(2026, 1, 1),
        "hi",
        "board",
    )
    assert (money.where.path, money.where.line) == ("goals/goals.yaml", 10)
    assert not money.is_ladder
    assert stage.baseline == 0.0  # a stage's progress counts from its first stage


def test_a_ladder_is_a_ladder_with_its_rung_reasons() -> None:
    text = goal_file(
        "metric: mrr\n"
        "        steps:\n"
        "          - {value: 1k, due: 2026-06, reason: seed}\n"
        "          - {value: 2k, due: 2026-12}\n"
    )
    ledger = ledger_from_strings(text)
    assert ledger.problems == ()
    [ladder] = ledger.goals[0].targets
    assert ladder.is_ladder
    assert [r.value for r in ladder.rungs] == [1000, 2000]
    assert ladder.rung_reasons == ("seed", None)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (
            "opn",
            "goals/goals.yaml:8:34: grow.targets[0].due: 'opn' is not a date; use 2025-07-01, "
            "2025-07, 2025-Q3, Q3 2025 or 2025, or open (an open-ended timeline)",
        ),
        (
            "2027+",
            "goals/goals.yaml:8:34: grow.targets[0].due: '2027+': write start: 2027 and due: open",
        ),
    ],
)
def test_an_open_due_is_spelled_open(due: str, expected: str) -> None:
    assert problems(goal_file(f"{{metric: mrr, target: 5, due: {due}}}")) == [expected]
