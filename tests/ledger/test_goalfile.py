"""ledger/goalfile.py: the Pydantic models of goal files and smartgoals.yaml (shape and types
only), as model_validate sees them."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from smartgoals.ledger.goalfile import (
    MAX_ID_LENGTH,
    MAX_TEXT_LENGTH,
    Goal,
    GoalFile,
    Metric,
    Risk,
    Settings,
    Step,
    Target,
)


def errors(model: type, data: object) -> list[tuple[tuple[object, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)  # type: ignore[attr-defined]
    return [(e["loc"], e["msg"]) for e in caught.value.errors()]


def test_metric_defaults() -> None:
    metric = Metric.model_validate({"name": "MRR"})
    assert (metric.unit, metric.direction, metric.cadence, metric.type) == (
        "count",
        "up",
        None,
        "number",
    )
    assert (metric.aggregate, metric.forecast, metric.formula) == ("last", "auto", None)


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"name": "MRR", "direction": "lower"}, ("direction",)),
        ({"name": "MRR", "cadence": "fortnightly"}, ("cadence",)),
        ({"name": "MRR", "aggregate": "median"}, ("aggregate",)),
        ({"name": "MRR", "colour": "red"}, ("colour",)),  # extra keys are forbidden
        ({"unit": "USD"}, ("name",)),
        ({"name": "x" * (MAX_TEXT_LENGTH + 1)}, ("name",)),
    ],
)
def test_metric_refuses(data: dict, loc: tuple[str, ...]) -> None:  # type: ignore[type-arg]
    assert [found for found, _ in errors(Metric, data)] == [loc]


def test_a_number_for_text_is_read_as_text() -> None:
    assert Metric.model_validate({"name": 2026}).name == "2026"
    assert (
        Goal.model_validate(
            {"id": "g", "title": "T", "time_bound": 2026, "targets": [{"metric": "m", "target": 1}]}
        ).time_bound
        == "2026"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            True,
            "expected a number or text, got a boolean (YAML reads yes/no/on/off as booleans: quote the value)",
        ),
        (dt.date(2026, 1, 1), "expected a number or text, got the date 2026-01-01"),
        ([1], "expected a number or text, got list"),
    ],
)
def test_a_target_value_is_a_number_or_text(value: object, message: str) -> None:
    [(loc, msg)] = errors(Target, {"metric": "mrr", "target": value})
    assert loc == ("target",)
    assert msg.endswith(message)


@pytest.mark.parametrize("value", [5, 5.5, ">= 5k", "beta"])
def test_a_target_value_is_kept_as_written(value: object) -> None:
    assert Target.model_validate({"metric": "mrr", "target": value}).target == value


def test_target_defaults_and_when_fields() -> None:
    target = Target.model_validate({"metric": "mrr", "target": 5, "due": "2026-Q3", "start": 2026})
    assert (target.due.first, target.due.last) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert (target.start.first, target.start.last) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (target.hold, target.pace, target.weight, target.every) == (False, "linear", 1.0, None)
    assert target.model_dump(mode="json")["due"] == "2026-Q3"


@pytest.mark.parametrize(
    ("metric", "ok"),
    [
        ("mrr", True),
        ("_private", True),
        ("m2", True),
        ("MRR", False),  # metric ids are lower case
        ("2m", False),
        ("mrr-x", False),  # no hyphen in a metric id (formulas subtract)
        ("m" * MAX_ID_LENGTH, True),
        ("m" * (MAX_ID_LENGTH + 1), False),
    ],
)
def test_metric_ids(metric: str, ok: bool) -> None:
    data = {"metric": metric, "target": 1}
    if ok:
        assert Target.model_validate(data).metric == metric
    else:
        assert [loc for loc, _ in errors(Target, data)] == [("metric",)]


@pytest.mark.parametrize(
    ("goal_id", "ok"),
    [("grow", True), ("q3-grow_2", True), ("2026-plan", True), ("-grow", False), ("Grow", False)],
)
def test_goal_ids(goal_id: str, ok: bool) -> None:
    data = {"id": goal_id, "title": "T", "targets": [{"metric": "m", "target": 1}]}
    if ok:
        assert Goal.model_validate(data).id == goal_id
    else:
        assert [loc for loc, _ in errors(Goal, data)] == [("id",)]


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"targets": []}, ("targets",)),  # goals are Measurable: at least one target
        ({"targets": [{"metric": "m", "target": 1, "weight": -1}]}, ("targets", 0, "weight")),
        ({"targets": [{"metric": "m", "target": 1, "pace": "fast"}]}, ("targets", 0, "pace")),
        ({"targets": [{"metric": "m", "target": 1, "every": "day"}]}, ("targets", 0, "every")),
        ({"due": "2026-13", "targets": [{"metric": "m", "target": 1}]}, ("due",)),
        ({"weight": 1001, "targets": [{"metric": "m", "target": 1}]}, ("weight",)),
    ],
)
def test_goal_refuses(fields: dict, loc: tuple[object, ...]) -> None:  # type: ignore[type-arg]
    assert [found for found, _ in errors(Goal, {"id": "g", "title": "T", **fields})] == [loc]


def test_goal_after_one_or_many() -> None:
    base = {"id": "g", "title": "T", "targets": [{"metric": "m", "target": 1}]}
    assert Goal.model_validate({**base, "after": "first"}).after == "first"
    assert Goal.model_validate({**base, "after": ["a", "b"]}).after == ["a", "b"]


def test_step_needs_a_value_and_a_due() -> None:
    assert sorted(loc for loc, _ in errors(Step, {})) == [("due",), ("value",)]
    step = Step.model_validate({"value": "1k", "due": "2026-06"})
    assert step.due.last == dt.date(2026, 6, 30)


def test_risk_and_goal_file_defaults() -> None:
    risk = Risk.model_validate({"id": "cash", "title": "Cash", "when": "cash < 1"})
    assert (risk.actions, risk.area, risk.owner) == ([], None, None)
    assert [loc for loc, _ in errors(Risk, {"id": "cash", "title": "Cash"})] == [("when",)]
    empty = GoalFile.model_validate({})
    assert (empty.metrics, empty.goals, empty.risks) == ({}, [], [])
    assert [loc for loc, _ in errors(GoalFile, {"metrics": {"Bad": {"name": "x"}}})] == [
        ("metrics", "Bad", "[key]")
    ]


@pytest.mark.parametrize(
    ("band", "ok"), [(0.0, True), (1.0, True), (0.25, True), (-0.01, False), (1.01, False)]
)
def test_settings_at_risk_band_bounds(band: float, ok: bool) -> None:
    if ok:
        assert Settings.model_validate({"at_risk_band": band}).at_risk_band == band
    else:
        assert [loc for loc, _ in errors(Settings, {"at_risk_band": band})] == [("at_risk_band",)]


def test_settings_defaults_and_journal() -> None:
    settings = Settings.model_validate({})
    assert (settings.at_risk_band, settings.pager, settings.journal) == (0.10, True, None)
    assert Settings.model_validate({"journal": "log.d/{user}.csv"}).journal == "log.d/{user}.csv"
    assert [loc for loc, _ in errors(Settings, {"journal": "../elsewhere.csv"})] == [("journal",)]
