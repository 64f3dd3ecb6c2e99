"""engine/compare.py: two ledgers judged at one date, compared piece by piece."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.engine.compare import (
    common_prefix,
    compare_targets,
    diff,
    eased,
    new_reasons,
    pair_targets,
    renames,
    same_goal,
)
from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.model import GoalDef, Ledger, MetricDef, Rung, Series, TargetDef
from tests.conftest import ledger_from_strings

D1, D2 = dt.date(2026, 6, 30), dt.date(2026, 12, 31)
MRR = MetricDef("mrr", "MRR", "USD")


def rung(op: str, value: float, high: float | None = None, due: dt.date | None = None) -> Rung:
    return Rung(op, value, high, due)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        (rung(">=", 100), rung(">=", 90), True),  # asks for less
        (rung(">=", 100), rung(">=", 110), False),
        (rung(">", 100), rung(">", 90), True),
        (rung("<=", 5), rung("<=", 6), True),  # a ceiling raised is easier
        (rung("<=", 5), rung("<=", 4), False),
        (rung("<", 5), rung("<", 4), False),
        (rung(">=", 100), rung(">=", 100), None),  # nothing changed
        (rung(">=", 100), rung("<=", 100), None),  # another operator: not comparable
        (rung(">=", 100, due=D1), rung(">=", 100, due=D2), True),  # more time
        (rung(">=", 100, due=D2), rung(">=", 100, due=D1), False),
        (rung(">=", 100, due=D1), rung(">=", 110, due=D2), None),  # more time, more asked
        (rung(">=", 100, due=D1), rung(">=", 90, due=D2), True),
        (rung(">=", 100, due=None), rung(">=", 100, due=D1), None),  # due added: not judged
        (rung(">=", 100, due=D1), rung(">=", 100, due=None), True),  # due dropped (due: open)
        (rung("..", 10, 20), rung("..", 5, 25), True),  # a wider range
        (rung("..", 10, 20), rung("..", 12, 18), False),  # a narrower one
        (rung("..", 10, 20), rung("..", 5, 15), None),  # shifted: mixed
    ],
)
def test_eased(old: Rung, new: Rung, verdict: bool | None) -> None:
    assert eased(old, new) is verdict


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from([">=", ">", "<=", "<"]))
def test_eased_is_antisymmetric(a: float, b: float, op: str) -> None:
    forward, back = eased(rung(op, a), rung(op, b)), eased(rung(op, b), rung(op, a))
    if forward is None:
        assert back is None
    else:
        assert back is (not forward)


def target(*rungs: Rung, **fields: object) -> TargetDef:
    return TargetDef("mrr", tuple(rungs), **fields)  # type: ignore[arg-type]


def test_compare_targets_nothing_when_equal_or_both_absent() -> None:
    assert compare_targets("g", MRR, None, None) is None
    assert compare_targets("g", MRR, target(rung(">=", 1)), target(rung(">=", 1))) is None


def test_compare_targets_added_and_removed() -> None:
    new = target(rung(">=", 5), reason="board asked")
    added = compare_targets("g", MRR, None, new)
    assert added is not None
    assert (added.change, added.old, added.new, added.eased) == ("added", None, new.rungs, None)
    assert added.reasons == ("board asked",)
    removed = compare_targets("g", MRR, new, None)
    assert removed is not None
    assert (removed.change, removed.old, removed.new, removed.reasons) == (
        "removed",
        new.rungs,
        None,
        (),
    )


def test_compare_targets_a_changed_baseline_alone_is_a_change_without_verdict() -> None:
    change = compare_targets(
        "g", MRR, target(rung(">=", 5), baseline=1.0), target(rung(">=", 5), baseline=2.0)
    )
    assert change is not None
    assert (change.change, change.eased) == ("changed", None)


@pytest.mark.parametrize(
    ("old", "new", "verdict"),
    [
        ((rung(">=", 10, due=D1), rung(">=", 20, due=D2)), (rung(">=", 10, due=D1),), True),
        ((rung(">=", 10, due=D1),), (rung(">=", 10, due=D1), rung(">=", 20, due=D2)), False),
        ((rung(">=", 10), rung(">=", 20)), (rung(">=", 9), rung(">=", 21)), None),
        ((rung(">=", 10), rung(">=", 20)), (rung(">=", 9), rung(">=", 19)), True),
        # a rung eased and a rung dropped: both ask for less
        ((rung(">=", 10), rung(">=", 20)), (rung(">=", 9),), True),
        # a rung eased but one added: mixed
        ((rung(">=", 10),), (rung(">=", 9), rung(">=", 30)), None),
    ],
)
def test_compare_targets_ladder_verdicts(
    old: tuple[Rung, ...], new: tuple[Rung, ...], verdict: bool | None
) -> None:
    change = compare_targets("g", MRR, target(*old), target(*new))
    assert change is not None
    assert change.eased is verdict


def test_new_reasons_only_the_new_or_changed_ones() -> None:
    old = target(rung(">=", 1), rung(">=", 2), reason="same", rung_reasons=("a", "b"))
    new = target(
        rung(">=", 1), rung(">=", 2), rung(">=", 3), reason="same", rung_reasons=("a", "B", "c")
    )
    assert new_reasons(old, new) == ("B", "c")
    assert new_reasons(old, None) == ()
    assert new_reasons(None, new) == ("same", "a", "B", "c")
    assert new_reasons(old, new._replace(reason="other")) == ("other", "B", "c")


def goal(gid: str, title: str, *targets: TargetDef) -> GoalDef:
    return GoalDef(gid, title, "Area", tuple(targets))


def test_pair_targets_matches_by_metric_and_order() -> None:
    a1, a2, u = target(rung(">=", 1)), target(rung(">=", 2)), TargetDef("users", (rung(">=", 3),))
    b1 = target(rung(">=", 10))
    pairs = pair_targets(goal("g", "G", a1, u, a2), goal("g", "G", b1))
    assert pairs == [("mrr", a1, b1), ("users", u, None), ("mrr", a2, None)]
    assert pair_targets(None, goal("g", "G", b1)) == [("mrr", None, b1)]
    assert pair_targets(None, None) == []


def test_renames_pairs_each_new_id_once() -> None:
    old = {"a": "x", "b": "x", "keep": "k"}
    new = {"c": "x", "keep": "k", "d": "y"}
    assert renames(old, new, lambda p, q: p == q) == {"a": "c"}
    assert renames({}, new, lambda p, q: True) == {}


def test_same_goal_by_title_or_by_targets() -> None:
    t = target(rung(">=", 1))
    assert same_goal(goal("a", "Grow", t), goal("b", "Grow", target(rung(">=", 9))))
    assert same_goal(goal("a", "Grow", t), goal("b", "Other", t))
    assert not same_goal(goal("a", "Grow", t), goal("b", "Other", target(rung(">=", 2))))


GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: %s}
"""


def judged(goals: str, journal: str, as_of: str = "2026-03-01") -> tuple[Ledger, object]:
    ledger = ledger_from_strings(goals, journal)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    return ledger, evaluate(ledger, dt.date.fromisoformat(as_of))


def run_diff(old: tuple[str, str], new: tuple[str, str], include_all: bool = False):  # type: ignore[no-untyped-def]
    a, ea = judged(*old)
    b, eb = judged(*new)
    return diff(a, b, ea, eb, include_all)  # type: ignore[arg-type]


def test_diff_of_a_ledger_with_itself_is_unchanged() -> None:
    side = (GOALS % "100", "2026-01-01,mrr,50,\n")
    result = run_diff(side, side)
    assert not result.changed
    assert result.targets == result.observations == result.statuses == ()


def test_diff_with_include_all_lists_unchanged_statuses_but_is_not_changed() -> None:
    side = (GOALS % "100", "2026-01-01,mrr,50,\n")
    result = run_diff(side, side, include_all=True)
    assert not result.changed
    assert [(s.goal, s.target, s.old, s.new) for s in result.statuses] == [
        ("grow", None, "in_progress", "in_progress"),
        ("grow", "mrr", "in_progress", "in_progress"),
    ]
    assert [(o.metric.id, o.current_old, o.current_new) for o in result.observations] == [
        ("mrr", 50.0, 50.0),
        ("users", None, None),
    ]


def test_diff_target_eased_and_status_moved() -> None:
    result = run_diff(
        (GOALS % "100", "2026-01-01,mrr,50,\n"), (GOALS % "40", "2026-01-01,mrr,50,\n")
    )
    assert result.changed
    [change] = result.targets
    assert (change.goal, change.metric.id, change.change, change.eased) == (
        "grow",
        "mrr",
        "changed",
        True,
    )
    assert [(s.target, s.old, s.new) for s in result.statuses] == [
        (None, "in_progress", "achieved"),
        ("mrr", "in_progress", "achieved"),
    ]


def test_diff_observations_added_and_removed_count_repeats() -> None:
    old = "2026-01-01,mrr,50,\n2026-01-02,mrr,60,\n2026-01-02,mrr,60,\n"
    new = "2026-01-01,mrr,50,\n2026-01-02,mrr,60,\n2026-01-03,mrr,70,fixed\n"
    result = run_diff((GOALS % "100", old), (GOALS % "100", new))
    [obs] = result.observations
    assert obs.metric.id == "mrr"
    assert obs.added == ((dt.date(2026, 1, 3), 70.0, "fixed"),)
    assert obs.removed == ((dt.date(2026, 1, 2), 60.0, ""),)
    assert (obs.current_old, obs.current_new) == (60.0, 70.0)


def test_diff_a_goal_renamed_is_not_added_and_removed() -> None:
    renamed = (GOALS % "100").replace("id: grow", "id: expand")
    result = run_diff((GOALS % "100", ""), (renamed, ""))
    assert [(r.old, r.new) for r in result.goals_renamed] == [("grow", "expand")]
    assert result.goals_added == result.goals_removed == ()


def test_diff_goals_and_metrics_added_and_removed() -> None:
    more = (GOALS % "100") + (
        "  - id: reach\n    title: Reach\n    targets:\n      - {metric: users, target: 5}\n"
    )
    fewer_metrics = (GOALS % "100").replace("  users: {name: Users}\n", "  cash: {name: Cash}\n")
    result = run_diff((GOALS % "100", ""), (more, ""))
    assert [g.id for g in result.goals_added] == ["reach"]
    assert result.goals_removed == ()
    result = run_diff((GOALS % "100", ""), (fewer_metrics, ""))
    assert (result.metrics_added, result.metrics_removed) == (("cash",), ("users",))
    assert result.changed


def test_diff_a_metric_renamed_keeps_its_name() -> None:
    renamed = (GOALS % "100").replace("  users: {name: Users}", "  people: {name: Users}")
    result = run_diff((GOALS % "100", ""), (renamed, ""))
    assert [(r.old, r.new) for r in result.metrics_renamed] == [("users", "people")]
    assert result.metrics_added == result.metrics_removed == ()


def test_diff_skips_derived_metrics_observations() -> None:
    goals = (GOALS % "100").replace(
        "  users: {name: Users}", '  users: {name: Users}\n  double: {name: D, formula: "mrr * 2"}'
    )
    result = run_diff((goals, "2026-01-01,mrr,1,\n"), (goals, "2026-01-01,mrr,2,\n"))
    assert [o.metric.id for o in result.observations] == ["mrr"]


def _series(rows: list[tuple[int, float, str]]) -> Series:
    return Series(
        [D1 + dt.timedelta(days=d) for d, _v, _n in rows],
        [v for _d, v, _n in rows],
        [n for _d, _v, n in rows],
        list(range(len(rows))),
    )


@given(
    size=st.integers(0, 3000),
    extra=st.integers(0, 40),
    change=st.one_of(st.none(), st.integers(0, 3100)),
    column=st.sampled_from(["date", "value", "note"]),
)
def test_the_common_prefix_of_two_series_is_the_rows_they_share_from_the_start(
    size: int, extra: int, change: int | None, column: str
) -> None:
    """Over several 1,024-row stretches: one side grown at the end, and a row changed
    anywhere (the first stretch, a later one, a stretch's edge, the grown part)."""
    rows = [(i // 3, float(i % 7), "n" if i % 11 == 0 else "") for i in range(size + extra)]
    longer = list(rows)
    if change is not None and change < len(longer):
        day, value, note = longer[change]
        longer[change] = {
            "date": (day + 1, value, note),
            "value": (day, value + 0.5, note),
            "note": (day, value, note + "x"),
        }[column]
    a = SimpleNamespace(series={"m": _series(rows[:size])})
    b = SimpleNamespace(series={"m": _series(longer)})
    expected = next(
        (i for i in range(size) if rows[i] != longer[i]),
        size,
    )
    assert common_prefix(a, b, "m") == expected  # type: ignore[arg-type]
    assert common_prefix(b, a, "m") == expected  # type: ignore[arg-type]
