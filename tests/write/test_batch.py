"""write/batch.py: the one write path. A batch is validated against the loaded definitions, then
appended and committed whole, or not at all; log, import, pull, checkin and undo all use it."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.commands import checkin
from smartgoals.errors import GitError
from smartgoals.ledger.loader import load_definitions_at
from smartgoals.views.checkin import Judgement
from smartgoals.write import batch as batch_module
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, FileAppend, Refused, Written, entry_for
from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, source: {json: mrr.json, path: n, date: day}}
  cost: {name: Cost, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 10k, due: 2999}
"""
HEADER = "date,metric,value,note\n"
DAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + "2026-02-01,mrr,100,\n")
    (repo / "mrr.json").write_text('{"n": 120, "day": "2026-03-02"}', encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8")


def test_a_batch_is_appended_and_committed_once(ledger: Path) -> None:
    defs = load_definitions_at(ledger)
    rows = (entry_for(defs.metrics["mrr"], DAY, 5, ""), entry_for(defs.metrics["cost"], DAY, 2, ""))
    written = commit_batch(ledger, Batch(rows, "log: 2 values"), defs)
    assert isinstance(written, Written) and written.commit == head(ledger)
    assert journal(ledger).endswith("2026-03-01,mrr,5,\n2026-03-01,cost,2,\n")
    assert git(ledger, "log", "-1", "--format=%s").strip() == "log: 2 values"
    assert git(ledger, "status", "--porcelain") == ""


@pytest.mark.parametrize("checkins", [None, "2026-03-01,revenue,on_track,\n"])
def test_one_invalid_entry_refuses_the_whole_batch(ledger: Path, checkins: str | None) -> None:
    """Nothing is appended to any file and HEAD does not move."""
    defs = load_definitions_at(ledger)
    before, journal_before = head(ledger), journal(ledger)
    good = entry_for(defs.metrics["mrr"], DAY, 5, "")
    stranger = entry_for(defs.metrics["cost"]._replace(id="costs"), DAY, 1, "")
    done = commit_batch(ledger, Batch((good, stranger), "log: 2 values", checkins), defs)
    assert isinstance(done, Refused)
    assert [str(p) for p in done.problems] == [
        "goals/log.csv: row 2: unknown metric 'costs' (did you mean 'cost'?)"
    ]
    assert "nothing was recorded" in str(done.error())
    assert head(ledger) == before and journal(ledger) == journal_before
    assert not (ledger / "goals" / "checkins.csv").exists()
    assert git(ledger, "status", "--porcelain") == ""


def test_an_invalid_checkin_row_refuses_the_values_too(ledger: Path) -> None:
    defs = load_definitions_at(ledger)
    before, journal_before = head(ledger), journal(ledger)
    good = entry_for(defs.metrics["mrr"], DAY, 5, "")
    done = commit_batch(ledger, Batch((good,), "check-in", "2026-03-01,nope,on_track,\n"), defs)
    assert isinstance(done, Refused)
    assert head(ledger) == before and journal(ledger) == journal_before


def test_no_commit_appends_only(ledger: Path) -> None:
    defs = load_definitions_at(ledger)
    entry = entry_for(defs.metrics["mrr"], DAY, 5, "")
    written = commit_batch(ledger, Batch((entry,), "log", commit=False), defs)
    assert written == Written(None, "--no-commit")
    assert journal(ledger).endswith("2026-03-01,mrr,5,\n")
    assert git(ledger, "status", "--porcelain") == " M goals/log.csv\n"


def test_a_checkin_outside_git_is_refused(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    defs = load_definitions_at(tmp_path)
    with pytest.raises(GitError, match="a check-in is recorded as a commit"):
        commit_batch(tmp_path, Batch((), "check-in", "2026-03-01,revenue,on_track,\n"), defs)
    assert not (tmp_path / "goals" / "checkins.csv").exists()


# --- each writer goes through it ------------------------------------------------------------


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> list[Batch]:
    """Every batch the one write path validates, in order."""
    batches: list[Batch] = []
    validate = batch_module.validate

    def spy(batch: Batch, *args: object) -> object:
        batches.append(batch)
        return validate(batch, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_module, "validate", spy)
    return batches


def test_log_import_pull_and_undo_write_through_it(
    ledger: Path, cli: CliRunner, seen: list[Batch], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(ledger / "config"))
    assert invoke(cli, ledger, "log", "cost", "3", "--date", "2026-03-01").exit_code == 0
    export = ledger / "export.csv"
    export.write_text("day,amount\n2026-03-03,7\n", encoding="utf-8")
    rules = ledger / "rules.yaml"
    rules.write_text(
        textwrap.dedent(
            """\
            date: day
            values:
              - {metric: cost, value: amount}
            """
        ),
        encoding="utf-8",
    )
    imported = invoke(cli, ledger, "import", str(export), "--rules", str(rules))
    assert imported.exit_code == 0, imported.output
    pulled = invoke(cli, ledger, "pull")
    assert pulled.exit_code == 0, pulled.output
    undone = invoke(cli, ledger, "undo", "--yes")
    assert undone.exit_code == 0, undone.output
    subjects = [batch.message.splitlines()[0] for batch in seen]
    assert subjects[0] == "log: cost = 3 USD (2026-03-01)"
    assert subjects[1].startswith("import: 1 value from export.csv")
    assert subjects[2] == "pull: 1 value (mrr)"
    assert subjects[3].startswith("undo: ")
    assert [len(batch.entries) for batch in seen] == [1, 1, 1, 1]
    assert seen[3].checkins is None  # values only: no goals/checkins.csv in the commit


def test_checkin_writes_through_it(ledger: Path, seen: list[Batch]) -> None:
    plan = checkin.plan(ledger, DAY, ["revenue"], False)
    answer = checkin.read_answer(plan, plan.questions[0], "150")
    view = checkin.record(ledger, plan, [answer], [Judgement(plan.goals[0], "on_track", "")])
    assert view.written.commit == head(ledger)
    assert [batch.checkins for batch in seen] == ["2026-03-01,revenue,on_track,\n"]
    assert (ledger / "goals" / "checkins.csv").read_text().endswith("revenue,on_track,\n")


def test_other_files_go_in_the_same_commit(ledger: Path) -> None:
    defs = load_definitions_at(ledger)
    header = "period,goal,target,status,computed_score,computed_grade,grade,note,reason,closed_on\n"
    row = "2026-Q1,revenue,,on_track,0.950,A,A,,,2026-04-02\n"
    files = (
        FileAppend("reviews/2026-Q1.csv", row, header),
        FileAppend("reports/notes/2026-Q1.md", "# Retrospective\n"),
        FileAppend("goals/next.yaml", "goals: []\n", new=True),
    )
    written = commit_batch(ledger, Batch((), "close 2026-Q1", None, True, files), defs)
    assert isinstance(written, Written) and written.commit == head(ledger)
    assert (ledger / "reviews/2026-Q1.csv").read_text() == header + row
    changed = git(ledger, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["goals/next.yaml", "reports/notes/2026-Q1.md", "reviews/2026-Q1.csv"]
    assert git(ledger, "status", "--porcelain") == ""


def test_a_new_file_that_exists_or_a_bad_review_row_refuses_all(ledger: Path) -> None:
    defs = load_definitions_at(ledger)
    before = head(ledger)
    header = "period,goal,target,status,computed_score,computed_grade,grade,note,reason,closed_on\n"
    files = (
        FileAppend(
            "reviews/2026-Q1.csv", "2026-Q1,revenue,,on_track,0.950,A,B,,,2026-04-02\n", header
        ),
        FileAppend("goals/goals.yaml", "goals: []\n", new=True),
    )
    refused = commit_batch(ledger, Batch((), "close 2026-Q1", None, True, files), defs)
    assert isinstance(refused, Refused)
    assert [str(p) for p in refused.problems] == [
        "reviews/2026-Q1.csv: row 1 reason: grade B differs from the computed A and gives no "
        "reason",
        "goals/goals.yaml: exists already; choose another file (it is never edited)",
    ]
    assert head(ledger) == before and not (ledger / "reviews").exists()
