"""`smartgoals log`: validate, append under a lock, commit exactly the journal, or change nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.vcs import commit as vcs_commit
from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  activation: {name: Activation, unit: percent}
  mvp: {name: MVP, type: stage, stages: [not_started, in_progress, done]}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 5k}
      - {metric: mvp, target: done}
"""
HEADER = "date,metric,value,note\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    """A committed ledger in a real repository."""
    write_ledger(repo, GOALS, HEADER + "2026-01-01,mrr,100,\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_log_appends_and_commits_exactly_the_journal(ledger: Path, cli: CliRunner) -> None:
    (ledger / "staged.txt").write_text("staged\n")
    git(ledger, "add", "staged.txt")
    (ledger / "goals" / "goals.yaml").write_text(GOALS + "# an unstaged edit\n")
    before = head(ledger)

    result = invoke(
        cli, ledger, "log", "mrr", "$1,200", "--date", "2026-11-01", "--note", 'Stripe, "net"'
    )

    assert result.exit_code == 0, result.output
    assert "mrr = $1,200 on 2026-11-01: committed" in result.stdout
    journal = (ledger / "goals" / "log.csv").read_text()
    assert journal == HEADER + '2026-01-01,mrr,100,\n2026-11-01,mrr,1200,"Stripe, ""net"""\n'
    assert git(ledger, "rev-parse", "HEAD~1").strip() == before
    assert git(ledger, "log", "-1", "--format=%s%n%an").splitlines() == [
        "log: mrr = 1200 USD (2026-11-01)",
        "Ada Founder",
    ]
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
    # the unrelated staged file is still staged and not committed; the unstaged edit untouched
    status = git(ledger, "status", "--porcelain").splitlines()
    assert "A  staged.txt" in status
    assert " M goals/goals.yaml" in status
    assert not any("log.csv" in line for line in status)


def test_log_values_people_type(ledger: Path, cli: CliRunner) -> None:
    for args, row in [
        (("mrr", "5k"), "mrr,5000,"),
        (("mrr", "--date", "2026-02-01", "--", "-5e3"), "mrr,-5000,"),
        (("activation", "60%"), "activation,60,"),
        (("mvp", "in_progress"), "mvp,in_progress,"),
    ]:
        if "--" not in args:
            args = (*args, "--date", "2026-02-01")
        result = invoke(cli, ledger, "log", *args)
        assert result.exit_code == 0, result.output
        assert (ledger / "goals" / "log.csv").read_text().endswith(f"2026-02-01,{row}\n")
    assert git(ledger, "log", "-1", "--format=%s").strip() == "log: mvp = in_progress (2026-02-01)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("mmr", "5"), "error: unknown metric 'mmr' (did you mean 'mrr'?)"),
        (("mrr", "lots"), "error: mrr: 'lots' is not a number"),
        (("mrr", "60%"), "error: mrr: '60%' is written as percent, but the unit is USD"),
        (("mrr", "nan"), "error: mrr: 'nan' is not a number"),
        (("mvp", "shipped"), "error: mvp: 'shipped' is not a stage of mvp"),
        (("mrr", "5", "--date", "2026-02-30"), "error: --date: '2026-02-30' is not a real date"),
        (("mrr", "5", "--date", "2999-01-01"), "error: --date: 2999-01-01 is in the future"),
        (("mrr", "5", "--note", "two\nlines"), "error: mrr: a note must be one line"),
    ],
)
def test_bad_input_changes_nothing(
    ledger: Path, cli: CliRunner, args: tuple[str, ...], message: str
) -> None:
    journal = ledger / "goals" / "log.csv"
    before_bytes, before_head = journal.read_bytes(), head(ledger)
    result = invoke(cli, ledger, "log", *args)
    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert journal.read_bytes() == before_bytes
    assert head(ledger) == before_head


def test_first_log_in_a_repository_without_commits(repo: Path, cli: CliRunner) -> None:
    write_ledger(repo, GOALS)  # no journal yet: it is created with its header
    result = invoke(cli, repo, "log", "mrr", "10", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert (repo / "goals" / "log.csv").read_text() == HEADER + "2026-01-01,mrr,10,\n"
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
    assert "?? goals/goals.yaml" in git(repo, "status", "--porcelain", "-uall")


def test_no_commit_only_appends(ledger: Path, cli: CliRunner) -> None:
    before = head(ledger)
    result = invoke(cli, ledger, "log", "mrr", "300", "--no-commit", "--date", "2026-03-01")
    assert result.exit_code == 0
    assert "not committed (--no-commit)" in result.stdout
    assert head(ledger) == before
    assert git(ledger, "status", "--porcelain").strip() == "M goals/log.csv"


def test_outside_git_records_and_says_so(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    result = invoke(cli, tmp_path, "log", "mrr", "300", "--date", "2026-03-01")
    assert result.exit_code == 0
    assert "not committed (not inside a git work tree)" in result.stdout
    assert (tmp_path / "goals" / "log.csv").read_text() == HEADER + "2026-03-01,mrr,300,\n"


def test_default_date_is_today(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    assert invoke(cli, tmp_path, "log", "mrr", "1").exit_code == 0
    today = dt.date.today().isoformat()
    assert (tmp_path / "goals" / "log.csv").read_text().endswith(f"{today},mrr,1,\n")


def test_torn_last_line_is_never_glued_to(ledger: Path, cli: CliRunner) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.write_bytes(journal.read_bytes() + b"2026-01-02,mrr,2")
    before = journal.read_bytes()
    result = invoke(cli, ledger, "log", "mrr", "3")
    assert result.exit_code == 3
    assert "the last line has no newline" in result.stderr
    assert journal.read_bytes() == before


def test_failing_hook_undoes_the_append(ledger: Path, cli: CliRunner) -> None:
    hook = ledger / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'numbers need a review' >&2\nexit 1\n")
    hook.chmod(0o755)
    journal = ledger / "goals" / "log.csv"
    before_bytes, before_head = journal.read_bytes(), head(ledger)
    before_index = (ledger / ".git" / "index").read_bytes()
    result = invoke(cli, ledger, "log", "mrr", "3", "--date", "2026-01-05")
    assert result.exit_code == 3
    assert result.stderr == "error: git commit failed: numbers need a review\n"
    assert journal.read_bytes() == before_bytes
    assert head(ledger) == before_head
    assert (ledger / ".git" / "index").read_bytes() == before_index


def test_missing_identity_is_refused_with_a_hint(ledger: Path, cli: CliRunner) -> None:
    git(ledger, "config", "--unset", "user.name")
    git(ledger, "config", "--unset", "user.email")
    before = (ledger / "goals" / "log.csv").read_bytes()
    result = invoke(cli, ledger, "log", "mrr", "3")
    assert result.exit_code == 3
    assert "git does not know who you are" in result.stderr
    assert (ledger / "goals" / "log.csv").read_bytes() == before


def test_merge_in_progress_is_refused(ledger: Path, cli: CliRunner) -> None:
    (ledger / ".git" / "MERGE_HEAD").write_text(head(ledger) + "\n")
    result = invoke(cli, ledger, "log", "mrr", "3")
    assert result.exit_code == 3
    assert "a merge is in progress" in result.stderr


def test_held_index_lock_is_waited_for_then_refused(
    ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(vcs_commit, "INDEX_LOCK_WAIT_SECONDS", 0.2)
    lock = ledger / ".git" / "index.lock"
    lock.write_text("")
    before = (ledger / "goals" / "log.csv").read_bytes()
    result = invoke(cli, ledger, "log", "mrr", "3")
    assert result.exit_code == 3
    assert "another git process is running" in result.stderr
    assert lock.exists()  # never deleted: it belongs to someone else
    assert (ledger / "goals" / "log.csv").read_bytes() == before


def test_symlinked_journal_is_refused(tmp_path: Path, cli: CliRunner) -> None:
    outside = tmp_path / "outside.csv"
    outside.write_text(HEADER)
    ledger = tmp_path / "ledger"
    write_ledger(ledger, GOALS)
    os.symlink(outside, ledger / "goals" / "log.csv")
    result = invoke(cli, ledger, "log", "mrr", "3", "--no-commit")
    assert result.exit_code == 3
    assert "symbolic link" in result.stderr
    assert outside.read_text() == HEADER


def test_ledger_discovery(tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    nested = tmp_path / "docs" / "deep"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    result = cli.invoke(
        __import__("smartgoals.cli.app").cli.app.app, ["log", "mrr", "7", "--no-commit"]
    )
    assert result.exit_code == 0, result.output
    elsewhere = tmp_path.parent / (tmp_path.name + "-elsewhere")
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("SMARTGOALS_DIR", str(tmp_path))
    result = cli.invoke(
        __import__("smartgoals.cli.app").cli.app.app, ["log", "mrr", "8", "--no-commit"]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "goals" / "log.csv").read_text().count(",mrr,") == 2
    monkeypatch.delenv("SMARTGOALS_DIR")
    result = cli.invoke(__import__("smartgoals.cli.app").cli.app.app, ["status"])
    assert result.exit_code == 3
    assert result.stderr.startswith("error: no ledger here")
