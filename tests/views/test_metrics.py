"""views/metrics.py: `metrics` as JSON and as an aligned table."""

from __future__ import annotations

from pathlib import Path

from smartgoals.commands.metrics import metrics
from smartgoals.rendering import Display
from smartgoals.views.metrics import metrics_json, metrics_lines
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
goals: []
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
2026-02-01,mvp,doing,
"""


def test_json_names_a_stage_by_its_stage_and_marks_derived(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    data = metrics_json(metrics(tmp_path), Display())
    assert [m["id"] for m in data["metrics"]] == ["mrr", "mvp", "users", "arpu"]
    mrr, mvp, users, arpu = data["metrics"]
    assert mrr == {
        "id": "mrr",
        "name": "MRR",
        "unit": "USD",
        "type": "number",
        "cadence": "monthly",
        "direction": "up",
        "derived": False,
        "latest": 300.0,
        "date": "2026-02-28",
        "source": None,
    }
    assert (mvp["type"], mvp["latest"], mvp["date"]) == ("stage", "doing", "2026-02-01")
    assert (users["latest"], users["date"]) == (None, None)
    assert arpu["derived"] is True


def test_plain_table_one_line_per_metric_and_a_count(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    lines = metrics_lines(metrics(tmp_path), Display())
    assert [line.split() for line in lines] == [
        ["Metric", "Name", "Unit", "Cadence", "Latest", "Date", "Source"],
        ["mrr", "MRR", "USD", "monthly", "$300", "2026-02-28", "-"],
        ["mvp", "MVP", "stage", "-", "doing", "2026-02-01", "-"],
        ["users", "Users", "count", "-", "-", "-", "-"],
        ["arpu", "ARPU", "USD", "(derived)", "-", "-", "-", "-"],
        ["4", "metrics"],
    ]


def test_one_metric_is_counted_in_the_singular(tmp_path: Path) -> None:
    write_ledger(tmp_path, "metrics:\n  mrr: {name: MRR, unit: USD}\ngoals: []\n")
    assert metrics_lines(metrics(tmp_path), Display())[-1] == "1 metric"
