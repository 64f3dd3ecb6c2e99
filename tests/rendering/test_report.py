"""`smartgoals report`: Markdown and JSON on real ledgers, outside git, with one commit, with
--since a revision before a goal existed, eased targets with their commits, unexplained
variances and the notes file; the demo's monthly report and one chart against golden files.

Regenerate the golden files after an intended format change:
    SMARTGOALS_REGEN_GOLDEN=1 .venv/bin/pytest tests/rendering/test_report.py -k golden
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.forecast import forecast_target
from smartgoals.ledger.loader import load_ledger
from smartgoals.rendering.report_chart import target_chart
from tests.conftest import REPO_ROOT, invoke, write_ledger

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
REGENERATE = os.environ.get("SMARTGOALS_REGEN_GOLDEN") == "1"

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users}
goals:
  - id: grow
    title: Grow revenue
    owner: Ada
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 12000, baseline: 0}
      - {metric: users, target: 500, pace: none}
"""
# mrr: on plan at the end of October (10,000 of 12,000 by 2026-12-31 is above the pace), far
# below it in November
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,1000,
2026-06-30,mrr,6000,
2026-10-31,mrr,10000,
2026-11-20,mrr,5000,
2026-10-31,users,300,
2026-11-20,users,320,
"""
AS_OF = "2026-11-22"


def commit(root: Path, when: str, message: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ada Founder",
        "GIT_AUTHOR_EMAIL": "ada@example.com",
        "GIT_COMMITTER_NAME": "Ada Founder",
        "GIT_COMMITTER_EMAIL": "ada@example.com",
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout

    run("add", "-A")
    run("commit", "-q", "-m", message)
    return run("rev-parse", "HEAD").strip()


def report(cli: CliRunner, root: Path, *args: str) -> str:
    result = invoke(cli, root, "report", "--as-of", AS_OF, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def report_json(cli: CliRunner, root: Path, *args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(report(cli, root, "--format", "json", *args))


def target(data: dict, goal: str, metric: str) -> dict:  # type: ignore[type-arg]
    return next(t for t in data["targets"] if t["goal"] == goal and t["metric"] == metric)


def test_outside_git_the_baseline_is_the_same_ledger_at_the_previous_period_end(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    text = report(cli, tmp_path)
    assert text.startswith("# Monthly report 2026-11 (to 2026-11-22)\n")
    sections = ["## Headline metrics", "## Goals by status", "## What changed", "## Risks that"]
    sections += ["## Needs a decision", "## Exceptions", "## All targets by goal"]
    sections += ["## Variance explanations", "## Risks\n", "## Calibration", "## Hygiene"]
    sections += ["## Goals in detail"]
    positions = [text.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "outside git: the baseline is this ledger evaluated at 2026-10-31" in text
    # numbers right-aligned, the status a word in the row
    assert "|:--|--:|:--|:--|--:|--:|:--|:--|" in text
    row = [line for line in text.splitlines() if line.startswith("| MRR |")][-1]  # the KPI row
    assert "| $5,000 | ↓ -$5,000 worse (was $10,000) |" in row
    assert "off track" in row and "↓ -$5,000 worse" in row  # worse: MRR is better up
    assert "- Grow revenue / MRR: on track → off track" in text
    assert "<details>" in text and "</details>" in text
    assert "Calibration\n\nNot available: outside git" in text


def test_json_has_the_same_report_as_data(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    data = report_json(cli, tmp_path)
    assert data["period"] == "2026-11" and data["as_of"] == AS_OF
    assert data["baseline"]["commit"] is None and data["baseline"]["date"] == "2026-10-31"
    mrr = target(data, "grow", "mrr")
    assert (mrr["value"], mrr["previous"], mrr["change"]) == (5000, 10000, -5000)
    assert mrr["status"] == "off_track" and mrr["previous_status"] == "on_track"
    assert mrr["plan"] > 10000 and mrr["variance"] == pytest.approx(5000 - mrr["plan"], abs=1e-6)
    assert mrr["material"] is True and mrr["unexplained"] is True
    assert {"goal": "grow", "target": "mrr", "old": "on_track", "new": "off_track"} in data[
        "headline"
    ]["changes"]
    users = target(data, "grow", "users")
    assert users["plan"] is None and users["variance"] is None and users["material"] is False
    assert data["hygiene"]["stale_metrics"] == []


def test_unexplained_variance_is_listed_until_a_note_explains_it(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    text = report(cli, tmp_path)
    assert "**Unexplained** (write about these in `reports/notes/2026-11.md`)" in text
    assert "- unexplained: Grow revenue / MRR: $" in text and "below plan" in text
    notes = tmp_path / "reports" / "notes"
    notes.mkdir(parents=True)
    (notes / "2026-11.md").write_text(
        "# November\n\nThe mrr drop: two customers churned | one paused.\n\nOther news.\n",
        encoding="utf-8",
    )
    text = report(cli, tmp_path)
    assert "unexplained:" not in text
    assert "notes: The mrr drop: two customers churned \\| one paused." in text
    assert "### From `reports/notes/2026-11.md`" in text
    data = report_json(cli, tmp_path)
    assert data["notes"]["path"] == "reports/notes/2026-11.md"
    assert target(data, "grow", "mrr")["unexplained"] is False


def test_journal_notes_and_checkins_in_the_period_explain_a_variance(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(
        tmp_path, GOALS, JOURNAL.replace("2026-11-20,mrr,5000,", "2026-11-20,mrr,5000,churn")
    )
    data = report_json(cli, tmp_path)
    assert target(data, "grow", "mrr")["explanations"] == [
        {"source": "journal", "date": "2026-11-20", "text": "churn"}
    ]
    write_ledger(tmp_path, GOALS, JOURNAL)
    (tmp_path / "goals" / "checkins.csv").write_text(
        "date,goal,confidence,note\n2026-11-21,grow,at_risk,two enterprise deals slipped\n"
        "2026-10-01,grow,on_track,before the period\n",
        encoding="utf-8",
    )
    data = report_json(cli, tmp_path)
    assert target(data, "grow", "mrr")["explanations"] == [
        {"source": "checkin", "date": "2026-11-21", "text": "two enterprise deals slipped"}
    ]


def test_one_commit_after_the_previous_period_end(repo: Path, cli: CliRunner) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    commit(repo, "2026-11-21", "Start a goal ledger")
    data = report_json(cli, repo)
    assert data["baseline"]["commit"] is None
    assert data["baseline"]["note"].startswith("no commit on or before 2026-10-31")
    assert target(data, "grow", "mrr")["previous"] == 10000


def test_one_commit_before_the_previous_period_end_is_the_baseline(
    repo: Path, cli: CliRunner
) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    sha = commit(repo, "2026-10-15", "Start a goal ledger")
    text = report(cli, repo)
    assert f"baseline: commit {sha[:10]}, the last on or before 2026-10-31" in text
    assert '("Start a goal ledger", Ada Founder)' in text
    data = report_json(cli, repo)
    assert data["baseline"]["commit"]["commit"] == sha


def test_since_a_revision_before_a_goal_existed(repo: Path, cli: CliRunner) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    first = commit(repo, "2026-09-01", "Start")
    extra = """\
  - id: hire
    title: Hire a team | core
    targets:
      - {metric: users, target: 1000}
"""
    goals = repo / "goals" / "goals.yaml"
    goals.write_text(goals.read_text(encoding="utf-8") + extra, encoding="utf-8")
    commit(repo, "2026-11-02", "Add the hiring goal")
    text = report(cli, repo, "--since", first)
    assert f"baseline: {first} = commit {first[:10]} (2026-09-01)" in text
    assert "- Hire a team \\| core: new → in progress" in text
    assert "| **Hire a team \\| core: in progress** |" in text  # the goal heads its rows
    assert "| Users | 320 | new |" in text
    data = report_json(cli, repo, "--since", first)
    assert target(data, "hire", "users")["previous"] is None
    assert data["baseline"]["rev"] == first


def test_calibration_names_who_eased_a_target_and_why(repo: Path, cli: CliRunner) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    commit(repo, "2026-10-10", "Start")
    goals = repo / "goals" / "goals.yaml"
    goals.write_text(
        goals.read_text(encoding="utf-8").replace("target: 12000", "target: 8000"),
        encoding="utf-8",
    )
    sha = commit(repo, "2026-11-05", "Ease MRR: the market is slower")
    text = report(cli, repo)
    row = next(
        line
        for line in text.splitlines()
        if line.startswith("| Grow revenue / MRR |") and "| eased |" in line
    )
    assert "| eased |" in row and "Ada Founder" in row
    assert f"{sha[:10]} Ease MRR: the market is slower" in row
    data = report_json(cli, repo)
    (change,) = data["calibration"]["changes"]
    assert change["eased"] is True and change["commit"]["commit"] == sha


def test_since_a_date_and_the_weekly_and_quarterly_periods(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    data = report_json(cli, tmp_path, "--since", "2026-11-21")
    assert data["baseline"]["date"] == "2026-11-20"
    weekly = report_json(cli, tmp_path, "weekly")
    assert (weekly["period"], weekly["first"], weekly["baseline"]["date"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-15",
    )
    text = report(cli, tmp_path, "quarterly")
    assert "## Rungs due in 2026-Q4" in text
    assert "| Grow revenue / MRR | &gt;= $12,000 by 2026-12-31 | 2026-12-31 |" in text


def test_goal_and_area_filters_and_unknown_ids(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    data = report_json(cli, tmp_path, "--goal", "grow")
    assert {t["goal"] for t in data["targets"]} == {"grow"}
    result = invoke(cli, tmp_path, "report", "--goal", "grwo")
    assert result.exit_code == 1
    assert "did you mean 'grow'" in result.output


def test_user_text_is_escaped_in_markdown(tmp_path: Path, cli: CliRunner) -> None:
    hostile = GOALS.replace("title: Grow revenue", 'title: "Grow | <script>x</script> *now*"')
    write_ledger(tmp_path, hostile, JOURNAL.replace(",5000,", ',5000,"a|b <img src=x>"'))
    text = report(cli, tmp_path)
    assert "<script>" not in text and "<img" not in text
    assert "Grow \\| &lt;script&gt;x&lt;/script&gt; \\*now\\*" in text


def test_output_file_is_written_whole(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    out = tmp_path / "report.md"
    result = invoke(cli, tmp_path, "report", "--as-of", AS_OF, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == report(cli, tmp_path)


def _demo(tmp_path: Path) -> Path:
    """The bundled demo, copied outside git so that its baseline never depends on this
    repository's history."""
    shutil.copytree(REPO_ROOT / "goals", tmp_path / "goals")
    shutil.copy(REPO_ROOT / "smartgoals.yaml", tmp_path / "smartgoals.yaml")
    return tmp_path


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if REGENERATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{path} differs: SMARTGOALS_REGEN_GOLDEN=1 regenerates it"


def test_golden_demo_monthly_markdown(tmp_path: Path, cli: CliRunner) -> None:
    text = report(cli, _demo(tmp_path), "monthly")
    assert len(text.encode("utf-8")) < 1_000_000
    _golden("report-monthly.md", text)


def test_golden_chart_svg(tmp_path: Path) -> None:
    ledger = load_ledger(_demo(tmp_path))
    day = dt.date.fromisoformat(AS_OF)
    goal = next(g for g in evaluate(ledger, day).goals if g.goal.id == "lightning-revenue")
    mrr = goal.targets[0]
    series = ledger.series["mrr"]
    svg = target_chart(
        mrr, series, forecast_target(mrr, series, day), day, "c1", "MRR", standalone=True
    )
    assert "<title" in svg and "<desc" in svg and 'class="pace"' in svg
    assert 'class="forecast"' in svg and 'class="target"' in svg
    _golden("chart-mrr.svg", svg + "\n")


def test_html_is_deterministic_and_self_contained(tmp_path: Path, cli: CliRunner) -> None:
    root = _demo(tmp_path)
    first = report(cli, root, "--format", "html")
    assert first == report(cli, root, "--format", "html")
    assert "<script" not in first.lower() and "http://" not in first and "https://" not in first
    assert first.count("<svg") == first.count("<title id=") == first.count("<desc id=")
    assert 'http-equiv="Content-Security-Policy"' in first and "script-src 'none'" in first


def test_user_text_is_escaped_in_html(tmp_path: Path, cli: CliRunner) -> None:
    hostile = GOALS.replace("title: Grow revenue", 'title: "Grow <script>alert(1)</script>"')
    hostile = hostile.replace("name: MRR", 'name: "MRR</svg><img src=x onerror=y>"')
    write_ledger(tmp_path, hostile, JOURNAL.replace(",5000,", ',5000,"<b>\x1b[31mred</b>"'))
    page = report(cli, tmp_path, "--format", "html")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "Grow &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "MRR&lt;/svg&gt;&lt;img src=x onerror=y&gt;" in page
    assert "\x1b" not in page and "\\x1b[31mred" in page


def test_markdown_stays_under_1_mb(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    notes = tmp_path / "reports" / "notes"
    notes.mkdir(parents=True)
    (notes / "2026-11.md").write_text("a line about mrr\n" * 80_000, encoding="utf-8")
    text = report(cli, tmp_path)
    assert len(text.encode("utf-8")) < 1_000_000
    assert text.endswith("(truncated at 1 MB: see --format json)\n")
    assert "<details>" not in text  # the details go first
