"""cli/prompts.py: the check-in dialogue, its answers typed on standard input: a bad value asked
again, Enter skips, a confidence and a note per goal touched, a summary to confirm."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from rich.console import Console

from smartgoals.cli.prompts import grade_interview, interview
from smartgoals.commands.checkin import plan
from smartgoals.commands.close import plan_close
from smartgoals.write.closing import HumanGrade
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000}
  - id: growth
    title: Growth
    targets:
      - {metric: users, target: 100}
"""
JOURNAL = "date,metric,value,note\n2026-02-28,mrr,100,\n2026-02-28,users,10,\n"
TODAY = dt.date(2026, 3, 1)


def talk(monkeypatch: pytest.MonkeyPatch, root: Path, answers: list[str]):  # type: ignore[no-untyped-def]
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{a}\n" for a in answers)))
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False)
    found = plan(root, TODAY, (), True)
    return interview(found, console), out.getvalue()


def test_values_confidence_note_and_confirm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    answers = [
        "lots",  # mrr: not a value, asked again
        "120",  # mrr
        "",  # users: skipped
        "2",  # revenue's confidence: at_risk
        "slow month",  # revenue's note
        "y",  # record it
    ]
    result, shown = talk(monkeypatch, tmp_path, answers)
    assert result is not None
    entries, judgements = result
    assert [(e.metric.id, e.value, e.day) for e in entries] == [("mrr", 120.0, TODAY)]
    assert [(j.goal.id, j.confidence, j.note) for j in judgements] == [
        ("revenue", "at_risk", "slow month")
    ]  # growth got no value: not asked
    assert "Check-in 2026-03-01: 2 metrics" in shown
    assert "[1/2] MRR (mrr): last $100 on 2026-02-28" in shown
    assert "error: " in shown
    assert "  mrr = $120" in shown and "  revenue: at_risk (slow month)" in shown


def test_nothing_answered_records_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result, shown = talk(monkeypatch, tmp_path, ["", ""])
    assert result is None
    assert "nothing to record" in shown


def test_a_summary_not_confirmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result, _shown = talk(monkeypatch, tmp_path, ["", "11", "maybe", "on_track", "", "n"])
    assert result is None  # "maybe" was asked again, then the summary refused


def test_a_doubtful_value_is_asked_about(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    answers = ["100000", "n", "110", "", "", "", "y"]  # refuse the doubtful value, give another
    result, shown = talk(monkeypatch, tmp_path, answers)
    assert result is not None
    assert [e.value for e in result[0]] == [110.0]
    assert "record it?" in shown


def test_each_block_opens_with_an_empty_line_not_a_literal_backslash_n(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 27 (small things): the check-in printed `\\n` before each block."""
    write_ledger(tmp_path, GOALS, JOURNAL)
    _, shown = talk(monkeypatch, tmp_path, ["120", "", "2", "", "y"])
    assert "\\n" not in shown
    lines = shown.splitlines()
    for opening in ("[1/2] MRR (mrr)", "Revenue (revenue)", "Summary:"):
        assert any(line.startswith(opening) for line in lines), opening
    assert lines[1] == ""  # the first block opens with an empty line


CLOSE_GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-01-31, baseline: 0}
"""


def grade(monkeypatch: pytest.MonkeyPatch, root: Path, answers: list[str]):  # type: ignore[no-untyped-def]
    write_ledger(root, CLOSE_GOALS, "date,metric,value,note\n2026-01-31,mrr,500,\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{a}\n" for a in answers)))
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None, force_terminal=False)
    return grade_interview(plan_close(root, TODAY, "2026-01"), console), out.getvalue()


def test_a_grade_asked_per_goal_with_a_reason_when_it_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a wrong grade is asked again; a different grade asks for a reason until one is given
    answers = ["E", "b", "", "a late deal", "  good   month ", "y"]
    given, shown = grade(monkeypatch, tmp_path, answers)
    assert given == {"revenue": HumanGrade("B", "good month", "a late deal")}
    assert "'E' is not one of A, B, C, D, n/a" in shown


def test_enter_keeps_the_computed_grade_and_no_confirms_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    given, _shown = grade(monkeypatch, tmp_path, ["", "", "y"])
    assert given == {"revenue": HumanGrade("C", "", "")}
    assert grade(monkeypatch, tmp_path, ["", "", "n"])[0] is None
