"""views/explain.py: `explain` as JSON, numbered plain steps, and Rich."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.explain import explain
from smartgoals.rendering import Display
from smartgoals.views.explain import explain_json, explain_lines, explain_rich
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: revenue
    title: Revenue
    start: 2026-01-01
    targets:
      - {metric: mrr, target: 1000, due: 2026-12-31, baseline: 0}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n2026-02-28,mrr,300,\n"


@pytest.fixture
def view(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_ledger(tmp_path, GOALS, JOURNAL)
    return explain(tmp_path, dt.date(2026, 3, 1), "revenue", "mrr")


def test_json(view) -> None:  # type: ignore[no-untyped-def]
    data = explain_json(view, Display())
    assert (data["as_of"], data["goal"], data["title"], data["status"], data["steps"]) == (
        "2026-03-01",
        "revenue",
        "Revenue",
        "on_track",
        [],
    )
    (target,) = data["targets"]
    assert (target["metric"], target["metric_name"], target["index"], target["status"]) == (
        "mrr",
        "MRR",
        0,
        "on_track",
    )
    steps = {step["step"]: step for step in target["steps"]}
    assert steps["progress"]["data"] == {"value": 300.0, "progress": 0.3}  # 300 / 1000
    assert steps["current"]["data"] == {"value": 300.0, "date": "2026-02-28", "stale": False}
    assert list(steps)[:3] == ["metric", "observations", "current"]


def test_plain_numbers_the_steps(view) -> None:  # type: ignore[no-untyped-def]
    lines = explain_lines(view, Display())
    assert lines[:3] == ["Revenue (revenue): on_track as of 2026-03-01", "", "MRR [mrr]: on_track"]
    # the judgement's one-line reason, as status --json has it in `why`
    assert lines[3] == "  why: judged at 2026-02-28: progress 30% against 16% expected"
    assert lines[4] == "  1. metric: mrr: MRR (USD, direction up, cadence monthly)"
    assert lines[8].startswith("  5. progress: ")
    assert lines[8].endswith("= 0.3 (30%)")


def test_rich_has_the_same_words(view) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(explain_rich(view, Display(color=True)))
    text = console.export_text()
    assert "revenue" in text and "on_track" in text
    assert "progress (value - baseline)" in text
