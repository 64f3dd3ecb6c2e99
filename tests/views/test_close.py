"""views/close.py: the close view as text, Markdown and JSON."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.grading import grade_period
from smartgoals.periods import following, parse_span
from smartgoals.rendering import Display, Format, render
from smartgoals.views.close import ClosePlan, CloseView
from smartgoals.write.closing import HumanGrade
from smartgoals.write.recording import Batch, FileAppend, Written
from tests.conftest import evaluate_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-Q3, baseline: 0}
"""


def _view(written: Written | None, dry_run: bool = False) -> CloseView:
    quarter = parse_span("2026-Q3")
    evaluation = evaluate_strings(GOALS, "2026-09-30,mrr,500,\n", "2026-09-30")
    grades = grade_period(evaluation, quarter.first, quarter.last)
    plan = ClosePlan(
        quarter, following(quarter), "goals/2026-Q3", grades, (), None, False, None, None
    )
    batch = Batch((), "close 2026-Q3", None, True, (FileAppend("reviews/2026-Q3.csv", "x\n"),))
    human = {"revenue": HumanGrade("B", "close to it", "a late deal")}
    return CloseView(plan, batch, human, written, dry_run)


def test_text() -> None:
    lines = render(_view(Written("a" * 40, None)), Format.PLAIN, Display())
    assert lines[0].startswith("closing 2026-Q3 (2026-07-01 to 2026-09-30)")
    assert "  revenue: C 0.500 at_risk -> B (a late deal); close to it" in lines[1:] or any(
        line.startswith("  revenue: C 0.500") and "-> B (a late deal)" in line for line in lines
    )
    assert lines[-1] == "committed aaaaaaaaaa, tagged goals/2026-Q3: reviews/2026-Q3.csv"


def test_dry_run_shows_the_files() -> None:
    lines = render(_view(None, dry_run=True), Format.PLAIN, Display())
    assert lines[-2:] == ["--- reviews/2026-Q3.csv", "x"]


def test_markdown_and_json() -> None:
    view = _view(Written("b" * 40, None))
    markdown = render(view, Format.MARKDOWN, Display())
    assert markdown.startswith("# Close 2026-Q3\n")
    assert "| revenue |" in markdown and "No target was eased" in markdown
    data = render(view, Format.JSON, Display())
    assert data["period"] == "2026-Q3" and data["commit"] == "b" * 40
    assert data["goals"][0]["grade"] == "B" and data["goals"][0]["computed_grade"] == "C"
    assert data["goals"][0]["targets"][0]["rolls_over"] is True
    assert data["files"] == [{"path": "reviews/2026-Q3.csv", "text": "x\n"}]
    assert dt.date.fromisoformat(data["last"]) == dt.date(2026, 9, 30)
