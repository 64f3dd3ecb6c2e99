"""views/chart.py: `chart` as JSON and as a plain drawing with a header and axis labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.chart import chart
from smartgoals.rendering import Display
from smartgoals.views.chart import chart_json, chart_lines
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cash: {name: Cash, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31, baseline: 0}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n2026-02-28,mrr,300,\n"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, JOURNAL)


def test_json_points_and_target(ledger: Path) -> None:
    data = chart_json(chart(ledger, dt.date(2026, 3, 1), "mrr"), Display())
    judged = {key: data["target"].pop(key) for key in list(data["target"])[2:]}
    assert data == {
        "metric": "mrr",
        "name": "MRR",
        "unit": "USD",
        "as_of": "2026-03-01",
        "since": None,
        "points": [{"date": "2026-01-31", "value": 100}, {"date": "2026-02-28", "value": 300}],
        "goal": "revenue",
        "target": {
            "status": "on_track",
            "rungs": [{"target": 1000, "target_high": None, "op": ">=", "due": "2026-12-31"}],
        },
    }
    # the judgement's own numbers, as status --json has them: the plan at the latest row
    assert judged["basis_date"] == "2026-02-28"
    assert (judged["progress"], judged["score"], judged["plan"]) == (0.3, 0.3, 83.832335)
    assert judged["variance"] == 216.167665 and judged["beyond_band"]
    assert judged["why"] == "judged at 2026-02-28: progress 30% against 8% expected"


def test_json_without_a_target(ledger: Path) -> None:
    data = chart_json(chart(ledger, dt.date(2026, 3, 1), "cash"), Display())
    assert (data["points"], data["goal"], data["target"]) == ([], None, None)


def test_plain_header_axes_and_legend(ledger: Path) -> None:
    lines = chart_lines(chart(ledger, dt.date(2026, 3, 1), "mrr"), Display(width=100))
    assert lines[0] == "MRR (mrr): target >= $1,000 by 2026-12-31 (revenue), on track"
    assert lines[1].startswith("$1,000 │")  # the top of the axis is the target
    assert any(line.strip().startswith("$100 │") for line in lines)  # the lowest value
    assert lines[-2].split() == ["2026-01-31", "2026-03-01"]
    assert "observed (2)" in lines[-1]
    assert all(len(line) < 100 for line in lines)  # one short of the width: no wrap


def test_plain_folds_the_header_to_a_narrow_width(ledger: Path) -> None:
    lines = chart_lines(chart(ledger, dt.date(2026, 3, 1), "mrr"), Display(width=60))
    assert lines[:2] == ["MRR (mrr): target >= $1,000 by 2026-12-31 (revenue), on", "  track"]
    assert all(len(line) < 60 for line in lines)


def test_plain_without_observations(ledger: Path) -> None:
    lines = chart_lines(chart(ledger, dt.date(2026, 3, 1), "cash"), Display(width=80))
    assert lines == ["Cash (cash)", "no observations"]
