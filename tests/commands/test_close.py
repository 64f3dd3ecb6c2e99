"""commands/close.py: a quarter closed in a real git repository (grades, the reviews file, the
notes, the roll-over goal file, one commit and its tag), and what `status --rev` and `report
--since` read back at the tag."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest

from smartgoals.commands.close import AlreadyClosedError, close, plan_close, read_grades
from smartgoals.errors import GitError, InvalidInputError
from smartgoals.ledger.reviews import HEADER_LINE, read_reviews
from smartgoals.write.closing import HumanGrade
from smartgoals.write.recording import Refused, Written
from tests.conftest import committed_ledger, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users, unit: count, cadence: monthly}
goals:
  - id: revenue
    title: Revenue
    owner: Ada
    area: Money
    start: 2026-07-01
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-Q3, baseline: 0}
      - {metric: users, target: ">= 100", due: 2026-Q3, baseline: 0}
  - id: later
    title: Later
    start: 2027-01-01
    targets:
      - {metric: users, target: ">= 500", due: 2027-Q2}
"""
JOURNAL = """\
date,metric,value,note
2026-07-31,mrr,400,
2026-08-31,mrr,700,
2026-09-30,mrr,1100,
2026-09-30,users,60,
"""
TODAY = dt.date(2026, 10, 5)


@pytest.fixture
def ledger(repo: Path) -> Path:
    return committed_ledger(repo, GOALS, JOURNAL)


def test_a_full_close_of_a_quarter(ledger: Path) -> None:
    plan = plan_close(ledger, TODAY, "2026-Q3", "goals/2026-q4.yaml")
    assert [g.id for g in plan.grades] == ["revenue"]  # `later` starts after the quarter
    revenue = plan.grades[0]
    assert [(t.metric, t.grade, t.unfinished) for t in revenue.targets] == [
        ("mrr", "A", False),
        ("users", "C", True),
    ]
    assert revenue.grade == "B"  # the mean of 1.0 and 0.6
    human = {"revenue": HumanGrade("A", "a strong quarter", "users came from one big deal")}
    view = close(ledger, TODAY, plan, human)
    assert isinstance(view.written, Written) and view.written.commit
    assert view.exit_code == 0
    # one commit holding exactly the three files, tagged with an annotated tag
    shown = git(ledger, "show", "--name-only", "--format=%s", "HEAD").split()
    assert "goals/2026-q4.yaml" in shown and "reviews/2026-Q3.csv" in shown
    assert "reports/notes/2026-Q3.md" in shown
    assert git(ledger, "cat-file", "-t", "goals/2026-Q3").strip() == "tag"
    assert git(ledger, "rev-parse", "goals/2026-Q3^{commit}").strip() == view.written.commit
    rows, problems = read_reviews(
        (ledger / "reviews/2026-Q3.csv").read_bytes(), ["revenue"], "reviews/2026-Q3.csv"
    )
    assert not problems
    assert [(r.target, r.computed_grade, r.grade) for r in rows] == [
        ("", "B", "A"),
        ("mrr", "A", "A"),
        ("users", "C", "C"),
    ]
    assert rows[0].reason == "users came from one big deal"
    rolled = (ledger / "goals/2026-q4.yaml").read_text()
    assert "id: revenue-2026-q4" in rolled and "metric: users" in rolled
    assert "metric: mrr" not in rolled  # reached: nothing to roll over
    assert "due: 2026-Q4" in rolled and "baseline: 60" in rolled
    assert (ledger / "goals/goals.yaml").read_text() == GOALS  # people's files never edited


def test_status_at_the_tag_reproduces_the_computed_grades(ledger: Path, cli) -> None:  # type: ignore[no-untyped-def]
    plan = plan_close(ledger, TODAY, "2026-Q3")
    close(ledger, TODAY, plan, {})
    git(ledger, "commit", "-q", "--allow-empty", "-m", "later work")
    result = invoke(cli, ledger, "status", "--rev", "goals/2026-Q3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-09-30"  # the tag is judged at the quarter's last day
    scores = {g["id"]: g["score"] for g in data["goals"]}
    computed = {g.id: g.score for g in plan.grades}
    assert scores["revenue"] == pytest.approx(computed["revenue"])
    rows = read_reviews(
        (ledger / "reviews/2026-Q3.csv").read_bytes(), ["revenue", "later"], "reviews/2026-Q3.csv"
    )[0]
    assert rows[0].computed_score == pytest.approx(scores["revenue"], abs=5e-4)


def test_report_names_the_closed_period(ledger: Path, cli) -> None:  # type: ignore[no-untyped-def]
    close(ledger, TODAY, plan_close(ledger, TODAY, "2026-Q3"), {})
    result = invoke(
        cli,
        ledger,
        "report",
        "quarterly",
        "--as-of",
        "2026-Q3",
        "--since",
        "goals/2026-Q3",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["baseline"]["rev"] == "goals/2026-Q3"
    assert data["baseline"]["date"] == "2026-09-30"
    assert [g["goal"] for g in data["grades"]["goals"]] == ["revenue"]
    markdown = invoke(cli, ledger, "report", "quarterly", "--as-of", "2026-Q3").stdout
    assert "## Grades" in markdown and "| revenue |" in markdown
    page = invoke(cli, ledger, "report", "quarterly", "--as-of", "2026-Q3", "--format", "html")
    assert "<h2>Grades</h2>" in page.stdout


def test_closing_twice_is_refused_unless_amended(ledger: Path) -> None:
    close(ledger, TODAY, plan_close(ledger, TODAY, "2026-Q3"), {})
    with pytest.raises(AlreadyClosedError):
        plan_close(ledger, TODAY, "2026-Q3")
    plan = plan_close(ledger, TODAY, "2026-Q3", amend=True)
    view = close(ledger, TODAY, plan, {"revenue": HumanGrade("C", "", "a slow start")})
    assert isinstance(view.written, Written) and view.written.commit
    rows = read_reviews((ledger / "reviews/2026-Q3.csv").read_bytes(), ["revenue"], "r")[0]
    assert [r.grade for r in rows if not r.target] == ["B", "C"]  # the later row supersedes
    # the tag still names the ledger as it was first closed
    assert git(ledger, "rev-parse", "goals/2026-Q3^{commit}").strip() != view.written.commit


def test_a_different_grade_without_a_reason_writes_nothing(ledger: Path) -> None:
    head = git(ledger, "rev-parse", "HEAD")
    plan = plan_close(ledger, TODAY, "2026-Q3")
    view = close(ledger, TODAY, plan, {"revenue": HumanGrade("A", "great")})
    assert isinstance(view.written, Refused)
    assert "gives no reason" in str(view.written.problems[0])
    assert view.exit_code == 1
    assert git(ledger, "rev-parse", "HEAD") == head
    assert not (ledger / "reviews").exists() or not (ledger / "reviews/2026-Q3.csv").exists()
    assert git(ledger, "tag", "--list") == ""


def test_refusals_before_anything_is_written(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match="close it after its last day"):
        plan_close(ledger, TODAY, "2026-Q4")
    with pytest.raises(InvalidInputError, match="is a day"):
        plan_close(ledger, TODAY, "2026-09-30")
    with pytest.raises(InvalidInputError, match="nothing to amend"):
        plan_close(ledger, TODAY, "2026-Q3", amend=True)
    with pytest.raises(InvalidInputError, match="new goal file"):
        plan_close(ledger, TODAY, "2026-Q3", "elsewhere/x.yaml")
    with pytest.raises(InvalidInputError, match="exists already"):
        plan_close(ledger, TODAY, "2026-Q3", "goals/goals.yaml")


def test_dry_run_writes_nothing(ledger: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = invoke(
        cli, ledger, "close", "2026-Q3", "--dry-run", "--roll-over", str(ledger / "goals/next.yaml")
    )
    assert result.exit_code == 0, result.output
    assert "--- reviews/2026-Q3.csv" in result.stdout
    assert HEADER_LINE.strip() in result.stdout
    assert "--- goals/next.yaml" in result.stdout
    assert not (ledger / "reviews").exists() and not (ledger / "goals/next.yaml").exists()
    assert git(ledger, "tag", "--list") == ""


def test_the_command_line_with_a_grades_file(ledger: Path, cli, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    grades = tmp_path_factory.mktemp("in") / "grades.csv"
    grades.write_text("goal,grade,note,reason\nrevenue,a,good,one big deal\n")
    result = invoke(cli, ledger, "close", "2026-Q3", "--grades", str(grades), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["tag"] == "goals/2026-Q3" and data["commit"]
    assert data["goals"][0]["grade"] == "A" and data["goals"][0]["computed_grade"] == "B"
    again = invoke(cli, ledger, "close", "2026-Q3", "--yes")
    assert again.exit_code == 1
    assert "closed already" in again.output
    assert invoke(cli, ledger, "check").exit_code == 0


def test_read_grades_from_yaml_and_csv(tmp_path: Path) -> None:
    yaml_file = tmp_path / "g.yaml"
    yaml_file.write_text(
        textwrap.dedent("""\
        revenue: {grade: b, note: fine}
        growth: n/a
        """)
    )
    assert read_grades(yaml_file) == {
        "revenue": HumanGrade("B", "fine", ""),
        "growth": HumanGrade("n/a", "", ""),
    }
    bad = tmp_path / "g.csv"
    bad.write_text("goal,grade,mood\nrevenue,A,happy\n")
    with pytest.raises(InvalidInputError, match="unknown field 'mood'"):
        read_grades(bad)


def test_a_grade_for_an_unknown_goal_is_a_problem(ledger: Path) -> None:
    plan = plan_close(ledger, TODAY, "2026-Q3")
    view = close(ledger, TODAY, plan, {"nope": HumanGrade("A", "", "x")}, grades_file="g.csv")
    assert isinstance(view.written, Refused)
    assert str(view.written.problems[0]).startswith("g.csv: goal: 'nope' is not a goal active")


def _commit_on(root: Path, message: str, day: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_AUTHOR_DATE", f"{day}T12:00:00+00:00")
    monkeypatch.setenv("GIT_COMMITTER_DATE", f"{day}T12:00:00+00:00")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def test_the_calibration_of_the_period(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    _commit_on(repo, "start", "2026-06-01", monkeypatch)
    eased = GOALS.replace(
        'target: ">= 100", due: 2026-Q3',
        'target: ">= 80", due: 2026-Q3, reason: the launch slipped',
    )
    write_ledger(repo, eased)
    _commit_on(repo, "ease users", "2026-08-10", monkeypatch)
    write_ledger(repo, eased.replace('">= 500"', '">= 900"'))
    _commit_on(repo, "next period's plan", "2026-10-02", monkeypatch)
    plan = plan_close(repo, TODAY, "2026-Q3")
    assert [
        (c.change.goal, c.change.metric.id, c.change.eased, c.change.reasons, c.commit.message)
        for c in plan.calibration
        if c.commit is not None
    ] == [("revenue", "users", True, ("the launch slipped",), "ease users")]
    assert len(plan.calibration) == 1  # the change after the quarter is the next one's


def test_outside_git_a_close_is_refused_but_a_dry_run_shows_it(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    plan = plan_close(tmp_path, TODAY, "2026-Q3")
    assert plan.calibration == () and plan.calibration_note is not None
    assert close(tmp_path, TODAY, plan, {}, dry_run=True).written is None
    with pytest.raises(GitError, match="a close is recorded as a commit"):
        close(tmp_path, TODAY, plan, {})
    assert not (tmp_path / "reviews").exists()
