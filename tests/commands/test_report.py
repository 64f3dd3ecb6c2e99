"""commands/report.py: a period against the ledger as committed at the end of the previous
one; asserted on the report's data, not on its rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.report import ReportRequest, report
from smartgoals.errors import InvalidInputError
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: revenue
    title: Revenue
    area: Sales
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
  - id: other
    title: Other
    area: Ops
    targets:
      - {metric: mrr, target: ">= 10", due: 2026-12-31}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n"
TODAY = dt.date(2026, 3, 15)


def commit_on(root: Path, monkeypatch: pytest.MonkeyPatch, day: str, message: str) -> None:
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, f"{day}T12:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def test_monthly_against_the_last_commit_of_the_previous_month(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    commit_on(repo, monkeypatch, "2026-02-20", "start")
    write_ledger(repo, GOALS.replace('">= 1000"', '">= 800"'))
    with (repo / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-03-10,mrr,400,\n")
    commit_on(repo, monkeypatch, "2026-03-10", "ease mrr")
    (repo / "reports" / "notes").mkdir(parents=True)
    (repo / "reports" / "notes" / "2026-03.md").write_text("A good month.\n", encoding="utf-8")
    result = report(repo, TODAY, ReportRequest(period="current")).report  # the month to date
    assert (result.period.label, result.period.first, result.period.as_of) == (
        "2026-03",
        dt.date(2026, 3, 1),
        TODAY,
    )
    assert result.baseline.date == dt.date(2026, 2, 28)
    assert result.baseline.commit is not None and result.baseline.commit.message == "start"
    assert result.notes_path == "reports/notes/2026-03.md"
    assert result.notes == "A good month.\n"
    (calibrated,) = result.calibration
    assert (calibrated.change.goal, calibrated.change.eased) == ("revenue", True)
    assert calibrated.commit is not None and calibrated.commit.message == "ease mrr"
    revenue = next(g for g in result.now.goals if g.goal.id == "revenue")
    assert revenue.targets[0].current == 400.0
    before = next(g for g in result.before.goals if g.goal.id == "revenue")
    assert before.targets[0].rung.value == 1000.0  # as committed on 2026-02-20


def test_outside_git_the_baseline_is_this_ledger_earlier(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL + "2026-03-10,mrr,400,\n")
    result = report(
        tmp_path, TODAY, ReportRequest(kind="quarterly", area="Sales", period="current")
    ).report
    assert result.period.label == "2026-Q1"
    assert result.baseline.date == dt.date(2025, 12, 31)
    assert result.baseline.commit is None
    assert result.baseline.note.startswith("outside git")
    assert [g.goal.id for g in result.now.goals] == ["revenue"]
    assert [g.goal.id for g in result.before.goals] == ["revenue"]
    assert result.calibration == ()
    assert result.calibration_note is not None
    assert result.notes is None


def test_since_a_date(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = report(tmp_path, TODAY, ReportRequest(kind="weekly", since="2026-02-01")).report
    assert result.period.kind == "weekly"
    assert result.baseline.date == dt.date(2026, 1, 31)  # the day before


def test_since_a_revision_outside_git_is_refused(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    with pytest.raises(InvalidInputError, match=r"not a date, and .* is not in git"):
        report(tmp_path, TODAY, ReportRequest(since="HEAD~1"))


def test_an_unknown_period_is_refused(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    with pytest.raises(InvalidInputError, match="unknown period 'yearly'"):
        report(tmp_path, TODAY, ReportRequest(kind="yearly"))
