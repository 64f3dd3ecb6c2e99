"""Check-ins over time: withdrawals (the append-only cancellation `undo` writes) and how every
reader honours them; goals/checkins.csv read at a revision for `status --rev`; days as people
say them wherever a date is taken."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from smartgoals.ledger.checkins import read_checkins, withdrawal_note
from tests.cli.test_checkin import spawn
from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  mau: {name: MAU, unit: count}
goals:
  - id: revenue
    title: Revenue
    review: {monthly: Revenue review}
    targets:
      - {metric: mrr, target: 10k, due: 2999}
  - id: users
    title: Users
    targets:
      - {metric: mau, target: 20k, due: 2999}
"""
TODAY = dt.date.today()
DAY = TODAY.isoformat()
OLD = (TODAY - dt.timedelta(days=60)).isoformat()
HEADER = "date,metric,value,note\n"
CHECKINS_HEADER = "date,goal,confidence,note\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + f"{OLD},mrr,8200,\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def checkins(root: Path) -> str:
    return (root / "goals" / "checkins.csv").read_text()


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text()


def check_in(root: Path, value: str, confidence: str, note: str) -> None:
    """A check-in of the revenue goal through a real terminal."""
    child = spawn(root, "--goal", "revenue")
    child.expect_exact("mrr value")
    child.sendline(value)
    child.expect_exact("confidence")
    child.sendline(confidence)
    child.expect_exact("note")
    child.sendline(note)
    child.expect_exact("in one commit?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before


def status_checkin(cli: CliRunner, root: Path, *args: str) -> object:
    result = invoke(cli, root, "status", "--json", *args)
    assert result.exit_code == 0, result.output
    return {goal["id"]: goal for goal in json.loads(result.stdout)["goals"]}["revenue"]["checkin"]


# --- the rule, on bytes ------------------------------------------------------------------


def read(text: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    found, problems = read_checkins((CHECKINS_HEADER + text).encode(), ["revenue", "users"])
    return [(c.date.isoformat(), c.confidence, c.note) for c in found], [str(p) for p in problems]


def test_a_withdrawal_cancels_the_latest_earlier_row_with_the_same_four_fields() -> None:
    rows = (
        "2026-11-01,revenue,on_track,fine\n"
        "2026-11-01,revenue,on_track,fine\n"
        "2026-11-01,users,on_track,fine\n"
        "2026-11-01,revenue,,withdrawn: on_track; fine\n"
        "2026-11-02,revenue,,just a note\n"
        "2026-11-02,revenue,,withdrawn: none; just a note\n"
    )
    assert read(rows)[1] == []
    found, _ = read_checkins((CHECKINS_HEADER + rows).encode(), ["revenue", "users"])
    # one of the two revenue rows is left: the first, the latest one withdrawn
    assert [(c.goal, c.line) for c in found] == [("revenue", 2), ("users", 4)]


def test_a_note_keeps_its_semicolons_through_a_withdrawal() -> None:
    note = "slipped; two deals; December"
    rows = f'2026-11-01,revenue,at_risk,"{note}"\n2026-11-01,revenue,,"{withdrawal_note("at_risk", note)}"\n'
    assert read(rows) == ([], [])


def test_a_withdrawal_without_its_row_above_is_a_problem_at_its_line() -> None:
    found, problems = read(
        "2026-11-01,revenue,,withdrawn: at_risk; fine\n"  # nothing above
        "2026-11-01,revenue,on_track,fine\n"
        "2026-11-01,revenue,,withdrawn: at_risk; fine\n"  # confidence differs
        "2026-11-02,revenue,,withdrawn: on_track; fine\n"  # date differs
        "2026-11-01,users,,withdrawn: on_track; fine\n"  # goal differs
        "2026-11-01,revenue,on_track,withdrawn: on_track; fine\n"  # has a confidence
        "2026-11-01,revenue,,withdrawn: great; fine\n"  # not a confidence word
    )
    assert found == [("2026-11-01", "on_track", "fine")]
    assert problems[0].startswith("goals/checkins.csv:2: note: withdraws a check-in that is not")
    assert [p.split(":")[1] for p in problems] == ["2", "4", "5", "6", "7", "8"]
    assert "must have an empty confidence" in problems[4]
    assert "must be followed by the withdrawn confidence" in problems[5]


def test_check_reports_a_dangling_withdrawal(ledger: Path, cli: CliRunner) -> None:
    (ledger / "goals" / "checkins.csv").write_text(
        CHECKINS_HEADER + "2026-11-01,revenue,,withdrawn: on_track; fine\n"
    )
    result = invoke(cli, ledger, "check")
    assert result.exit_code == 1
    assert "goals/checkins.csv:2: note: withdraws a check-in that is not above it" in result.stdout


def test_a_check_in_note_may_not_pose_as_a_withdrawal(ledger: Path) -> None:
    child = spawn(ledger, "--goal", "revenue")
    child.expect_exact("mrr value")
    child.sendline("")
    child.expect_exact("confidence")
    child.sendline("on_track")
    child.expect_exact("note")
    child.sendline("withdrawn: sneaky")
    child.expect_exact("withdraws a check-in; smartgoals undo writes such rows")
    child.expect_exact("note")
    child.sendline("fine")
    child.expect_exact("in one commit?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert checkins(ledger).endswith(f"{DAY},revenue,on_track,fine\n")


# --- undo of a check-in, and every reader after it -------------------------------------------


def test_undo_of_a_check_in_withdraws_it_in_the_same_commit_as_its_corrections(
    ledger: Path, cli: CliRunner
) -> None:
    check_in(ledger, "8300", "on_track", "first")
    assert status_checkin(cli, ledger)["note"] == "first"  # type: ignore[index]
    check_in(ledger, "8400", "at_risk", "deals slipped; December")
    before_journal, before_checkins = journal(ledger), checkins(ledger)
    sha = git(ledger, "rev-parse", "--short=10", "HEAD").strip()
    head = git(ledger, "rev-parse", "HEAD").strip()
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 0, result.output
    assert "1 correction row and 1 check-in withdrawal" in result.stdout
    assert f"{DAY} revenue: withdrawn: at_risk; deals slipped; December" in result.stdout
    # one commit, both files, lines only appended
    assert git(ledger, "rev-parse", "HEAD~1").strip() == head
    assert sorted(git(ledger, "show", "--name-only", "--format=", "HEAD").split()) == [
        "goals/checkins.csv",
        "goals/log.csv",
    ]
    assert git(ledger, "log", "-1", "--format=%B").startswith(f"undo: {sha} (check-in {DAY}")
    assert "revenue (" + DAY + "): withdrawn: at_risk" in git(ledger, "log", "-1", "--format=%B")
    assert journal(ledger) == before_journal + (
        f'{DAY},mrr,8300,"correction: $8,400 -> $8,300; undo of {sha}"\n'
    )
    assert checkins(ledger) == before_checkins + (
        f"{DAY},revenue,,withdrawn: at_risk; deals slipped; December\n"
    )
    assert git(ledger, "status", "--porcelain") == ""
    # every reader honours it: the first check-in is the latest again
    assert status_checkin(cli, ledger) == {
        "date": DAY,
        "confidence": "on_track",
        "note": "first",
        "author": "Ada Founder",
    }
    shown = invoke(cli, ledger, "show", "revenue")
    assert "deals slipped" not in shown.stdout
    assert f"{DAY}  on_track  first  by Ada Founder" in shown.stdout
    card = json.loads(invoke(cli, ledger, "show", "revenue", "--json").stdout)
    assert [c["note"] for c in card["checkins"]] == ["first"]
    assert invoke(cli, ledger, "check").exit_code == 0
    # a second undo withdraws the first check-in too: its review is due again
    assert invoke(cli, ledger, "undo", "--yes").exit_code == 0
    assert status_checkin(cli, ledger) is None
    due = invoke(cli, ledger, "due", "--json")
    assert due.exit_code == 1
    data = json.loads(due.stdout)
    assert data["last_checkin"] is None
    assert [r["goal"] for r in data["reviews"]] == ["revenue"]
    assert invoke(cli, ledger, "check").exit_code == 0


def test_a_review_done_by_a_check_in_is_due_again_after_its_withdrawal(
    ledger: Path, cli: CliRunner
) -> None:
    (ledger / "goals" / "log.csv").write_text(HEADER + f"{DAY},mrr,8200,\n")
    (ledger / "goals" / "checkins.csv").write_text(CHECKINS_HEADER + f"{DAY},revenue,on_track,\n")
    assert invoke(cli, ledger, "due").exit_code == 0
    with (ledger / "goals" / "checkins.csv").open("a") as out:
        out.write(f"{DAY},revenue,,withdrawn: on_track\n")
    result = invoke(cli, ledger, "due", "--json")
    assert result.exit_code == 1
    assert [r["goal"] for r in json.loads(result.stdout)["reviews"]] == ["revenue"]


def spawn_undo(root: Path) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(REPO_ROOT), NO_COLOR="1", GIT_CONFIG_GLOBAL="/dev/null")
    return pexpect.spawn(
        sys.executable,
        ["-m", "smartgoals", "-C", str(root), "undo"],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 150),
    )


@pytest.mark.parametrize("answer", ["n", "y"])
def test_undo_in_a_terminal_shows_the_withdrawal_and_asks(
    ledger: Path, cli: CliRunner, answer: str
) -> None:
    check_in(ledger, "8300", "at_risk", "slipped")
    before_journal, before_checkins = journal(ledger), checkins(ledger)
    sha = git(ledger, "rev-parse", "--short=10", "HEAD").strip()
    child = spawn_undo(ledger)
    child.expect_exact(f"undo {sha} (check-in {DAY}: 1 value, 1 goal) by Ada Founder, appending:")
    child.expect_exact(f"{DAY} mrr: correction: $8,300 -> none; undo of {sha}")
    child.expect_exact(f"{DAY} revenue: withdrawn: at_risk; slipped")
    child.expect_exact("Append these rows and commit?")
    child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    if answer == "n":
        assert child.exitstatus == 1
        assert (journal(ledger), checkins(ledger)) == (before_journal, before_checkins)
        assert git(ledger, "rev-parse", "--short=10", "HEAD").strip() == sha
    else:
        assert child.exitstatus == 0, child.before
        assert checkins(ledger) == before_checkins + f"{DAY},revenue,,withdrawn: at_risk; slipped\n"
        assert status_checkin(cli, ledger) is None


def test_undo_of_a_pushed_check_in_is_refused(
    ledger: Path, cli: CliRunner, tmp_path_factory: pytest.TempPathFactory
) -> None:
    remote = tmp_path_factory.mktemp("remote") / "origin.git"
    git(ledger, "init", "-q", "--bare", str(remote))
    git(ledger, "remote", "add", "origin", str(remote))
    check_in(ledger, "8300", "on_track", "fine")
    git(ledger, "push", "-q", "origin", "main")
    before_journal, before_checkins = journal(ledger), checkins(ledger)
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 1
    assert "already pushed to origin/main" in result.stderr
    assert (journal(ledger), checkins(ledger)) == (before_journal, before_checkins)


# --- status --rev reads goals/checkins.csv from the revision ---------------------------------


def test_status_rev_carries_the_check_in_as_committed_there(ledger: Path, cli: CliRunner) -> None:
    (ledger / "goals" / "checkins.csv").write_text(CHECKINS_HEADER + f"{OLD},revenue,at_risk,old\n")
    git(ledger, "add", "goals/checkins.csv")
    git(ledger, "commit", "-q", "-m", "first check-in")
    with (ledger / "goals" / "checkins.csv").open("a") as out:
        out.write(f"{DAY},revenue,on_track,new\n")
    git(ledger, "commit", "-q", "--author=Bo Lead <bo@example.com>", "-am", "second check-in")
    with (ledger / "goals" / "checkins.csv").open("a") as out:
        out.write(f"{DAY},revenue,off_track,not committed\n")
    assert status_checkin(cli, ledger, "--rev", "HEAD~1", "--as-of", "today") == {
        "date": OLD,
        "confidence": "at_risk",
        "note": "old",
        "author": "Ada Founder",
    }
    assert status_checkin(cli, ledger, "--rev", "HEAD", "--as-of", "today") == {
        "date": DAY,
        "confidence": "on_track",
        "note": "new",
        "author": "Bo Lead",
    }
    assert status_checkin(cli, ledger, "--rev", "HEAD~2", "--as-of", "today") is None
    assert status_checkin(cli, ledger)["note"] == "not committed"  # type: ignore[index]


# --- days as people say them ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("status", "--json"),
        ("show", "revenue", "--json"),
        ("explain", "revenue", "mrr", "--json"),
        ("risks", "--json"),
        ("due", "--json"),
    ],
)
@pytest.mark.parametrize("word", ["today", "yesterday", "-3d", "-2w", "last-friday", "2026-Q3"])
def test_as_of_takes_every_day_word(
    ledger: Path, cli: CliRunner, args: tuple[str, ...], word: str
) -> None:
    result = invoke(cli, ledger, *args, "--as-of", word)
    assert result.exit_code in (0, 1), result.output
    assert "--as-of" not in result.stderr


@pytest.mark.parametrize("command", [("status",), ("show", "revenue"), ("due",), ("risks",)])
def test_a_wrong_as_of_lists_exactly_what_is_accepted(
    ledger: Path, cli: CliRunner, command: tuple[str, ...]
) -> None:
    result = invoke(cli, ledger, *command, "--as-of", "last-fryday")
    assert result.exit_code == 1
    assert (
        "--as-of: 'last-fryday' is not a date; --as-of takes YYYY-MM-DD, today, yesterday, -3d "
        "(days ago), -2w (weeks ago), last-friday (the latest Friday before today; any weekday, "
        "last-mon to last-sun), or a period (2026-11, 2026-Q3 or Q3 2026, 2026-H1, 2026: its "
        "last day)"
    ) in " ".join(result.stderr.split())


def test_history_since_takes_day_words(ledger: Path, cli: CliRunner) -> None:
    git(ledger, "commit", "-q", "--allow-empty", "-m", "nothing")
    assert invoke(cli, ledger, "log", "mrr", "8300", "--date", "-3d").exit_code == 0
    recent = json.loads(invoke(cli, ledger, "history", "mrr", "--since", "-7d", "--json").stdout)
    every = json.loads(invoke(cli, ledger, "history", "mrr", "--json").stdout)
    assert len(every["observations"]) == 2
    assert [o["date"] for o in recent["observations"]] == [
        (TODAY - dt.timedelta(days=3)).isoformat()
    ]
    wrong = invoke(cli, ledger, "history", "mrr", "--since", "soon")
    assert wrong.exit_code == 1
    assert "--since takes YYYY-MM-DD, today, yesterday, -3d" in " ".join(wrong.stderr.split())
