"""commands/metrics.py: every metric in file order, with its latest observation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.metrics import metrics
from tests.conftest import write_ledger


def test_each_metric_in_file_order_with_its_latest_value(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        """\
        metrics:
          mrr: {name: MRR, unit: USD, cadence: monthly}
          churn: {name: Churn, unit: "%", direction: down}
          mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
        goals:
          - id: g
            title: G
            targets:
              - {metric: mrr, target: 1000}
        """,
        """\
        date,metric,value,note
        2026-02-28,mrr,300,
        2026-01-31,mrr,100,
        2026-02-01,mvp,doing,
        """,
    )
    view = metrics(tmp_path)
    assert [(i.metric.id, i.latest, i.date) for i in view.metrics] == [
        ("mrr", 300.0, dt.date(2026, 2, 28)),  # the latest by date, not by row
        ("churn", None, None),
        ("mvp", 1.0, dt.date(2026, 2, 1)),  # a stage's value is its index
    ]
    assert view.problems == ()
    assert view.exit_code == 0


def test_a_derived_metric_shows_its_latest_computed_value(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        """\
        metrics:
          mrr: {name: MRR, unit: USD}
          users: {name: Users, unit: count}
          arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
        goals:
          - id: g
            title: G
            targets:
              - {metric: arpu, target: 50}
        """,
        """\
        date,metric,value,note
        2026-01-31,mrr,1000,
        2026-01-31,users,40,
        """,
    )
    arpu = {i.metric.id: i for i in metrics(tmp_path).metrics}["arpu"]
    assert (arpu.latest, arpu.date) == (25.0, dt.date(2026, 1, 31))


def test_a_broken_ledger_is_listed_with_its_problems(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        """\
        metrics:
          mrr: {name: MRR, unit: USD}
        goals: []
        """,
        """\
        date,metric,value,note
        2026-01-31,mrr,lots,
        """,
    )
    view = metrics(tmp_path)
    assert [p.line for p in view.problems] == [2]
    assert view.exit_code != 0
