"""views/show.py: `show` as JSON, and as a card in plain text and Rich."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rich.console import Console

from smartgoals.commands.show import show
from smartgoals.rendering import Display
from smartgoals.views.show import show_json, show_plain, show_rich
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: revenue
    title: Revenue
    owner: Ada
    start: 2026-01-01
    tags: [core]
    targets:
      - {metric: mrr, target: ">= 800", due: 2026-12-31, baseline: 0}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n2026-02-28,mrr,300,deal\n"


@pytest.fixture
def view(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_ledger(tmp_path, GOALS, JOURNAL)
    return show(tmp_path, dt.date(2026, 3, 1), "revenue")


def text(renderable) -> str:  # type: ignore[no-untyped-def]
    console = Console(width=100, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_json(view) -> None:  # type: ignore[no-untyped-def]
    data = show_json(view, Display())
    assert (data["id"], data["title"], data["owner"], data["status"], data["as_of"]) == (
        "revenue",
        "Revenue",
        "Ada",
        "on_track",
        "2026-03-01",
    )
    assert data["score"] == 0.375  # 300 / 800
    assert data["tags"] == ["core"]
    assert (data["file"], data["line"]) == ("goals/goals.yaml", 4)
    (target,) = data["targets"]
    assert (target["current"], target["target"], target["left"], target["progress"]) == (
        300,
        800,
        500,
        0.375,
    )
    assert target["recent"] == [
        {"date": "2026-01-31", "value": 100, "note": None, "line": 2, "path": "goals/log.csv"},
        {"date": "2026-02-28", "value": 300, "note": "deal", "line": 3, "path": "goals/log.csv"},
    ]
    assert data["history"] == []  # outside git
    assert data["history_missing"]


def test_plain_card(view) -> None:  # type: ignore[no-untyped-def]
    lines = [line.rstrip() for line in text(show_plain(view, Display())).splitlines()]
    assert lines[0] == "Revenue (revenue)"
    assert "Owner    Ada" in lines
    assert "MRR [mrr]  on track" in lines
    assert "current   $300 (2026-02-28)" in lines
    assert "target    >= $800 by 2026-12-31" in lines
    assert "left      $500" in lines


def test_recent_limits_the_values(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    view = show(tmp_path, dt.date(2026, 3, 1), "revenue", recent=1)
    assert [r["value"] for r in show_json(view, Display())["targets"][0]["recent"]] == [300]


def test_rich_has_the_same_card(view) -> None:  # type: ignore[no-untyped-def]
    painted = text(show_rich(view, Display(color=True)))
    assert "Revenue (revenue)" in painted
    assert "$300 (2026-02-28)" in painted
