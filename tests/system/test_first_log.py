"""The first `log` in a repository without commits (issue 28, item 5), whatever `init` left:
the journal untracked or staged, with or without rows, `init` before `git init`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from typer.testing import CliRunner

from smartgoals.cli.app import app
from tests.conftest import IDENTITY, git, invoke

HEADER = "date,metric,value,note\n"
ROW = "2025-01-05,mrr,100,\n"


def started(cli: CliRunner, repo: Path, *flags: str) -> None:
    result = cli.invoke(app, ["init", *flags, str(repo)])
    assert result.exit_code == 0, result.output
    assert git(repo, "rev-list", "--all") == ""  # no commit yet


def first_log(cli: CliRunner, repo: Path) -> str:
    result = invoke(cli, repo, "log", "mrr", "100", "--date", "2025-01-05")
    assert result.exit_code == 0, result.output
    assert git(repo, "log", "--format=%an|%s").splitlines() == [
        "Ada Founder|log: mrr = 100 USD (2025-01-05)"
    ]
    return git(repo, "show", "--name-only", "--format=", "HEAD")


def test_the_first_log_commits_the_journal_init_left_untracked(cli: CliRunner, repo: Path) -> None:
    started(cli, repo)
    assert first_log(cli, repo) == "goals/log.csv\n"
    assert git(repo, "show", "HEAD:goals/log.csv") == HEADER + ROW
    assert " goals/log.csv" not in git(repo, "status", "--porcelain")


def test_the_first_log_commits_a_staged_journal(cli: CliRunner, repo: Path) -> None:
    started(cli, repo)
    git(repo, "add", "goals/log.csv")
    assert first_log(cli, repo) == "goals/log.csv\n"
    assert git(repo, "show", "HEAD:goals/log.csv") == HEADER + ROW
    assert git(repo, "diff", "--cached", "--name-only") == ""


def test_the_first_log_leaves_what_else_is_staged_staged(cli: CliRunner, repo: Path) -> None:
    started(cli, repo)
    git(repo, "add", "-A")
    assert first_log(cli, repo) == "goals/log.csv\n"
    assert git(repo, "show", "HEAD:goals/log.csv") == HEADER + ROW
    staged = git(repo, "diff", "--cached", "--name-only").split()
    assert "goals/goals.yaml" in staged and "goals/log.csv" not in staged


def test_the_first_log_after_init_made_the_repository_without_an_identity(
    cli: CliRunner, tmp_path: Path
) -> None:
    target = tmp_path / "company"
    started(cli, target)  # init runs git init; its commit fails: nobody is configured
    git(target, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(target, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    assert first_log(cli, target) == "goals/log.csv\n"
    assert git(target, "show", "HEAD:goals/log.csv") == HEADER + ROW


def test_rows_nobody_committed_are_not_passed_off_as_the_first_log(
    cli: CliRunner, repo: Path
) -> None:
    started(cli, repo)
    assert (
        invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-04", "--no-commit").exit_code == 0
    )
    journal = (repo / "goals" / "log.csv").read_bytes()
    result = invoke(cli, repo, "log", "mrr", "100", "--date", "2025-01-05")
    assert result.exit_code == 3
    assert result.output.splitlines()[-1] == (
        "error: goals/log.csv holds rows that were never committed (the repository has no "
        "commit yet); commit them first (git add -- goals/log.csv && git commit -m 'Start the "
        "journal' -- goals/log.csv), then log again"
    )
    assert (repo / "goals" / "log.csv").read_bytes() == journal
    assert git(repo, "rev-list", "--all") == ""
    assert "?? goals/" in git(repo, "status", "--porcelain")
    # what the line says to run works, and then so does log
    git(repo, "add", "--", "goals/log.csv")
    git(repo, "commit", "-q", "-m", "Start the journal", "--", "goals/log.csv")
    assert invoke(cli, repo, "log", "mrr", "100", "--date", "2025-01-05").exit_code == 0
    assert git(repo, "show", "HEAD:goals/log.csv") == HEADER + "2025-01-04,mrr,5,\n" + ROW


def test_an_untracked_journal_with_rows_in_a_repository_with_commits_is_refused(
    cli: CliRunner, repo: Path
) -> None:
    (repo / "README").write_text("x\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "start")
    started_anyway = cli.invoke(app, ["init", str(repo)])
    assert started_anyway.exit_code == 0, started_anyway.output
    (repo / "goals" / "log.csv").write_text(HEADER + "2025-01-04,mrr,5,\n")
    head = git(repo, "rev-parse", "HEAD")
    result = invoke(cli, repo, "log", "mrr", "100", "--date", "2025-01-05")
    assert result.exit_code == 3
    assert "goals/log.csv holds rows that were never committed (HEAD has no copy of it)" in (
        result.output
    )
    assert git(repo, "rev-parse", "HEAD") == head
    done = subprocess.run(["git", "ls-files", "goals"], cwd=repo, capture_output=True, text=True)
    assert done.stdout == ""  # nothing left staged
