"""status and report drawn for a real terminal (a pseudo-terminal) at 60 to 200 columns: nothing
over the width, no number or due cut, the columns giving way in the documented order."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from smartgoals.ledger.model import MetricDef
from smartgoals.rendering.cells import better_or_worse, condition_text, due_short
from tests.cli.test_status_view import ANSI, AS_OF, environment, in_terminal, piped
from tests.conftest import REPO_ROOT

# docs/status-engine.md: the first to give way first
GIVE_WAY = ("Trend", "As of", "Expected", "Left", "Due")


def demo_targets() -> list[tuple[str, str]]:
    """Each target of the demo, in the table's order: (its condition, its due), as drawn."""
    from smartgoals.commands.status import status

    view = status(REPO_ROOT, dt.date(2026, 11, 22), "2026-11-22")
    return [
        (condition_text(t, plain=False), due_short(t.rung.due_text))
        for goal in view.evaluation.goals
        for t in goal.targets
    ]


def header_words(header: str) -> set[str]:
    shown = {name for name in GIVE_WAY if name in header}
    if "Exp." in header:
        shown.add("Expected")
    return shown


@pytest.mark.parametrize("columns", [60, 80, 100, 120, 200])
def test_status_fits_and_cuts_no_number_nor_due(columns: int) -> None:
    plain = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], columns))
    lines = plain.splitlines()
    assert max(len(line) for line in lines) <= columns
    at = 0
    for condition, due in demo_targets():
        # the target's row: the next line holding its condition whole (then its due beside it)
        found = next(i for i in range(at, len(lines)) if f" {condition}" in lines[i])
        if columns >= 100:
            assert f" {due} " in lines[found] or lines[found].endswith(due), (condition, columns)
        at = found + 1
    shown = header_words(lines[0])
    for index, name in enumerate(GIVE_WAY):  # a column shown: every more important one too
        if name in shown:
            assert set(GIVE_WAY[index:]) <= shown, (name, shown, columns)


def test_below_100_columns_the_due_moves_to_its_goal() -> None:
    lines = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], 80)).splitlines()
    assert "Due" not in lines[0] and "Target" in lines[0]
    goal = next(line for line in lines if line.startswith("Mainstream market"))
    assert "due Q4'26" in goal


def test_targets_on_one_metric_say_what_tells_them_apart() -> None:
    plain = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], 120))
    assert "≥ 100k rung 4/4" in plain  # a ladder's rung
    assert "< 200ms held" in plain  # a held target
    assert "≥ 50k every month" in plain  # a quota


def test_titles_not_ids_in_the_terminal_table() -> None:
    plain = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], 200))
    assert "Early adopter acquisition" in plain and "early-adopters" not in plain


def test_goals_is_one_line_per_goal_at_80_columns() -> None:
    plain = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", "--goals", *AS_OF], 80))
    lines = plain.splitlines()
    data = json.loads(
        piped(["-C", str(REPO_ROOT), "status", "--goals", "--format", "json", *AS_OF]).stdout
    )
    assert len(data["goals"]) == 26
    assert max(len(line) for line in lines) <= 80
    rows = lines[1 : 1 + len(data["goals"])]
    for row, goal in zip(rows, data["goals"], strict=True):
        assert goal["title"][:10] in row
        assert goal["status"].replace("_", " ") in row
    assert " goals as of 2026-11-22" in lines[1 + len(data["goals"])]
    assert len(lines) <= 30  # about one screen
    worst = data["goals"][0]["worst"]
    assert worst["metric"] == "retention_d7" and data["goals"][0]["why"].startswith("Day-7")


@pytest.mark.parametrize("columns", [80, 120])
def test_report_in_a_terminal_is_drawn_for_it(columns: int) -> None:
    shown = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "report", *AS_OF], columns))
    lines = shown.splitlines()
    assert len(lines) > 50
    assert max(len(line) for line in lines) <= columns
    for raw in ("&gt;", "&lt;", "\\_", "<details>", "<summary>", "| ---"):
        assert raw not in shown, raw
    assert "All targets by goal" in shown


def test_report_is_paged_and_markdown_when_asked(tmp_path: Path) -> None:
    record = tmp_path / "paged.txt"
    script = tmp_path / "pager"
    script.write_text(f"#!/bin/sh\ncat > {record}\n")
    script.chmod(0o755)
    env = environment(SMARTGOALS_PAGER=str(script))
    in_terminal(["-C", str(REPO_ROOT), "report", *AS_OF], 100, rows=30, env=env)
    assert "All targets by goal" in record.read_text() and "&gt;" not in record.read_text()
    markdown = piped(["-C", str(REPO_ROOT), "report", *AS_OF]).stdout
    assert "&gt;" in markdown  # piped: the Markdown, unchanged
    asked = in_terminal(
        ["-C", str(REPO_ROOT), "--no-pager", "report", "--format", "md", *AS_OF], 100
    )
    assert asked.replace("\r", "").strip() == markdown.strip()


def test_words_for_people() -> None:
    report = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "report", *AS_OF], 120))
    assert "won't make" in report and "wont make" not in report
    revenue = MetricDef(id="arr", name="ARR", unit="USD")
    churn = MetricDef(id="churn", name="Churn", unit="%", direction="down")
    assert better_or_worse(revenue, (1.0, 2.0)) == "↑ better"
    assert better_or_worse(churn, (1.0, 2.0)) == "↑ worse"
    assert better_or_worse(churn, (2.0, 1.0)) == "↓ better"
    assert better_or_worse(churn, (2.0, 2.0)) == "→ same"
    wide = ANSI.sub("", in_terminal(["-C", str(REPO_ROOT), "status", "--wide", *AS_OF], 200))
    assert "better" in wide or "worse" in wide
    assert "wont" not in wide and "auto:" not in wide
