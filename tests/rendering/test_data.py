"""rendering/data.py: engine and ledger records as JSON pieces; the field names are a contract."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.engine.compare import diff
from smartgoals.engine.evaluation import evaluate
from smartgoals.rendering.data import (
    derived_count,
    evaluation_data,
    goal_data,
    json_number,
    metric_value,
    observation_count,
    observations_data,
    target_change_fields,
)
from tests.conftest import evaluate_strings, ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
  mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
goals:
  - id: revenue
    title: Revenue
    area: Sales
    owner: Ada
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
      - metric: users
        steps:
          - {value: 5, due: 2026-01-31}
          - {value: 50, due: 2026-12-31}
  - id: product
    title: Product
    after: revenue
    targets:
      - {metric: mvp, target: done, due: 2026-12-31}
"""
JOURNAL = """\
2026-01-31,mrr,100,
2026-02-28,mrr,300,deal
2026-01-31,users,4,
2026-02-01,mvp,doing,
"""


@pytest.mark.parametrize(
    ("value", "digits", "json"),
    [
        (None, 6, None),
        (3.0, 6, 3),
        (0.1234567, 6, 0.123457),
        (0.15934, 4, 0.1593),
        (2.0**60, 6, 2.0**60),
    ],
)
def test_json_number(value: float | None, digits: int, json: object) -> None:
    found = json_number(value, digits)
    assert found == json and type(found) is type(json)


def test_goal_data_fields() -> None:
    evaluation = evaluate_strings(GOALS, JOURNAL, "2026-03-01")
    revenue = goal_data(evaluation.goals[0])
    assert {k: revenue[k] for k in ("id", "title", "area", "owner", "start", "due", "after")} == {
        "id": "revenue",
        "title": "Revenue",
        "area": "Sales",
        "owner": "Ada",
        "start": "2026-01-01",
        "due": "2026-12-31",
        "after": None,
    }
    assert (revenue["file"], revenue["line"]) == ("goals/goals.yaml", 7)
    mrr, users = revenue["targets"]
    assert {k: mrr[k] for k in ("metric", "current", "target", "op", "baseline", "progress")} == {
        "metric": "mrr",
        "current": 300,
        "target": 1000,
        "op": ">=",
        "baseline": 0,
        "progress": 0.3,
    }
    assert mrr["steps"] is None and mrr["derived"] is False
    assert [(s["value"], s["due_text"], s["status"]) for s in users["steps"]] == [
        (5, "2026-01-31", "missed"),  # 4 on its due
        (50, "2026-12-31", users["status"]),
    ]
    product = goal_data(evaluation.goals[1])
    assert (product["after"], product["waiting_for"], product["status"]) == (
        "revenue",
        ["revenue"],
        "not_started",
    )
    assert product["targets"][0]["current"] == "doing"  # a stage by its name
    assert product["targets"][0]["target"] == "done"


def test_evaluation_data_has_areas_and_risks() -> None:
    data = evaluation_data(evaluate_strings(GOALS, JOURNAL, "2026-03-01"))
    assert data["as_of"] == "2026-03-01"
    assert [g["id"] for g in data["goals"]] == ["revenue", "product"]
    assert {a["area"] for a in data["areas"]} == {"Sales", "Goals"}
    assert data["risks"] == []


def test_observations_data_and_counts() -> None:
    ledger = ledger_from_strings(GOALS, JOURNAL)
    rows = observations_data(ledger.metrics["mrr"], ledger.series["mrr"], 1)
    assert rows == [
        {"date": "2026-02-28", "value": 300, "note": "deal", "line": 3, "path": "goals/log.csv"}
    ]
    early = observations_data(
        ledger.metrics["mrr"], ledger.series["mrr"], as_of=dt.date(2026, 2, 1)
    )
    assert [r["value"] for r in early] == [100]
    assert metric_value(ledger.metrics["mvp"], 2.0) == "done"
    assert observation_count(ledger) == 4
    assert derived_count(ledger) == 2  # arpu on 2026-01-31 and 2026-02-28 (users carried)


def test_target_change_fields() -> None:
    before = ledger_from_strings(GOALS, JOURNAL)
    after = ledger_from_strings(GOALS.replace('">= 1000"', '">= 800"'), JOURNAL)
    day = dt.date(2026, 3, 1)
    (change,) = diff(before, after, evaluate(before, day), evaluate(after, day)).targets
    assert target_change_fields(change) == {
        "change": "changed",
        "old": [
            {
                "text": ">= $1,000 by 2026-12-31",
                "op": ">=",
                "value": 1000.0,
                "high": None,
                "due": "2026-12-31",
            }
        ],
        "new": [
            {
                "text": ">= $800 by 2026-12-31",
                "op": ">=",
                "value": 800.0,
                "high": None,
                "due": "2026-12-31",
            }
        ],
        "eased": True,
        "reasons": [],
    }
