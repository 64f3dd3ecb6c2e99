"""Corrections without rewriting: `log --correct` and `undo` append marked rows; earlier lines
are never touched; a pushed commit is not undone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import evaluate_strings, git, invoke, ledger_from_strings, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  signups: {name: Signups, unit: count, aggregate: sum}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 10k}
      - {metric: signups, target: 100, every: month}
"""
HEADER = "date,metric,value,note\n"
START = "2026-11-01,mrr,7400,\n2026-11-01,signups,30,\n2026-11-01,signups,20,\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + START)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text()


def test_a_correction_replaces_every_earlier_row_of_its_day() -> None:
    rows = """\
        2026-11-01,signups,30,
        2026-11-01,signups,20,
        2026-11-02,signups,5,
        2026-11-01,signups,45,"correction: 50 -> 45"
        2026-11-01,mrr,7400,
        2026-11-01,mrr,,"correction: $7,400 -> none"
    """
    ledger = ledger_from_strings(GOALS, rows)
    assert not ledger.problems
    assert ledger.series["signups"].values == [45, 5]
    assert "mrr" not in ledger.series or not ledger.series["mrr"].values
    status = evaluate_strings(GOALS, rows, "2026-11-30").goals[0].targets[1]
    assert status.current == 50  # 45 + 5: the corrected day counts once


def test_a_journal_without_corrections_reads_as_before() -> None:
    rows = "2026-11-01,mrr,7400,a note\n2026-11-01,mrr,7450,correction of a typo\n"
    ledger = ledger_from_strings(GOALS, rows)
    assert not ledger.problems
    assert ledger.series["mrr"].values == [7400, 7450]  # a later row wins, as it always did


def test_correct_appends_a_marked_row_and_history_shows_it(ledger: Path, cli: CliRunner) -> None:
    before = journal(ledger)
    result = invoke(
        cli, ledger, "log", "mrr", "7450", "--date", "2026-11-01", "--correct", "-n", "refund"
    )
    assert result.exit_code == 0, result.output
    after = journal(ledger)
    assert after.startswith(before)
    assert after.removeprefix(before) == (
        '2026-11-01,mrr,7450,"correction: $7,400 -> $7,450; refund"\n'
    )
    assert git(ledger, "log", "-1", "--format=%s").strip() == (
        "log: correct mrr = 7450 USD (2026-11-01)"
    )
    history = invoke(cli, ledger, "history", "mrr")
    assert "corrected $7,400 -> $7,450 by Ada Founder; refund" in history.stdout
    assert (
        "correction: $7,400 -> $7,450; refund"
        in invoke(cli, ledger, "history", "mrr", "--json").stdout
    )
    assert "Ada Founder" in history.stdout
    # a sum metric's day is replaced whole: 30 + 20 -> 45
    result = invoke(cli, ledger, "log", "signups", "45", "--date", "2026-11-01", "--correct")
    assert result.exit_code == 0, result.output
    assert journal(ledger).endswith("2026-11-01,signups,45,correction: 50 -> 45\n")


def test_correct_refuses_when_there_is_nothing_to_correct(ledger: Path, cli: CliRunner) -> None:
    before = journal(ledger)
    result = invoke(cli, ledger, "log", "mrr", "7450", "--date", "2026-11-02", "--correct")
    assert result.exit_code == 1
    assert "mrr has no value on 2026-11-02 to correct" in result.stderr
    assert journal(ledger) == before


def test_a_note_cannot_pose_as_a_correction(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "log", "mrr", "1", "-n", "correction: sneaky")
    assert result.exit_code == 1
    assert "use --correct" in result.stderr


def test_undo_after_a_batch_puts_every_day_back(ledger: Path, cli: CliRunner) -> None:
    assert (
        invoke(cli, ledger, "log", "mrr=7500", "signups=10", "--date", "2026-11-01").exit_code == 0
    )
    assert invoke(cli, ledger, "log", "mrr", "7600", "--date", "2026-11-03").exit_code == 0
    logged = journal(ledger)
    first = invoke(cli, ledger, "undo", "--yes")
    assert first.exit_code == 0, first.output
    assert journal(ledger).startswith(logged)
    tail = journal(ledger).removeprefix(logged)
    sha = git(ledger, "rev-parse", "--short=10", "HEAD~1").strip()
    assert tail == f'2026-11-03,mrr,,"correction: $7,600 -> none; undo of {sha}"\n'
    second = invoke(cli, ledger, "undo", "--yes")  # the commit before
    assert second.exit_code == 0, second.output
    assert '2026-11-01,mrr,7400,"correction: $7,500 -> $7,400;' in journal(ledger)
    assert "2026-11-01,signups,50,correction: 60 -> 50;" in journal(ledger)
    assert git(ledger, "log", "-1", "--format=%s").strip().startswith("undo: ")
    check = invoke(cli, ledger, "metrics", "--json")
    assert check.exit_code == 0
    ledger_now = ledger_from_strings(GOALS, journal(ledger).removeprefix(HEADER))
    assert ledger_now.series["mrr"].values == [7400]
    assert ledger_now.series["signups"].values == [50]
    # nothing of ours is left to undo: the start commit is not a log commit
    third = invoke(cli, ledger, "undo", "--yes")
    assert third.exit_code == 1
    assert "nothing to undo" in third.stderr


def test_undo_without_a_terminal_needs_yes(ledger: Path, cli: CliRunner) -> None:
    assert invoke(cli, ledger, "log", "mrr", "7500", "--date", "2026-11-02").exit_code == 0
    before = journal(ledger)
    result = invoke(cli, ledger, "undo")
    assert result.exit_code == 1
    assert "smartgoals undo --yes" in result.stderr
    assert journal(ledger) == before


def test_undo_only_cancels_the_current_users_commits(ledger: Path, cli: CliRunner) -> None:
    assert invoke(cli, ledger, "log", "mrr", "7500", "--date", "2026-11-02").exit_code == 0
    git(ledger, "config", "user.email", "someone@example.com")
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 1
    assert "nothing to undo" in result.stderr


def test_undo_is_refused_after_a_push(ledger: Path, cli: CliRunner, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    remote = tmp_path_factory.mktemp("remote") / "origin.git"
    git(ledger, "init", "-q", "--bare", str(remote))
    git(ledger, "remote", "add", "origin", str(remote))
    assert invoke(cli, ledger, "log", "mrr", "7500", "--date", "2026-11-02").exit_code == 0
    git(ledger, "push", "-q", "origin", "main")
    before = journal(ledger)
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 1
    assert "already pushed to origin/main" in result.stderr
    assert "--correct" in result.stderr
    assert journal(ledger) == before


def test_today_is_never_needed_for_a_correction_date() -> None:
    # a correction row carries the day it corrects, not the day it was written
    rows = f'2026-11-01,mrr,1,\n2026-11-01,mrr,2,"correction: $1 -> $2"\n{dt.date(2026, 11, 5)},mrr,3,\n'
    assert ledger_from_strings(GOALS, rows).series["mrr"].dates == [
        dt.date(2026, 11, 1),
        dt.date(2026, 11, 5),
    ]
