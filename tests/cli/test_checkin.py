"""`checkin` through a real pseudo-terminal: values typed, an invalid value asked again, a
skip, a confidence and a note, one commit with both files; Ctrl-C writes nothing. And
goals/checkins.csv: checked like the journal; `undo` after a check-in."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  mau: {name: MAU, unit: count, cadence: monthly}
  nps: {name: NPS, unit: count}
goals:
  - id: revenue
    title: Revenue
    review: {monthly: Revenue review}
    targets:
      - {metric: mrr, target: 10k, due: 2999}
  - id: users
    title: Users
    targets:
      - {metric: mau, target: 10k, due: 2999}
      - {metric: nps, target: 50}
"""
TODAY = dt.date.today()
OLD = (TODAY - dt.timedelta(days=60)).isoformat()
HEADER = "date,metric,value,note\n"
START = f"{OLD},mrr,8200,\n{OLD},mau,5000,\n{OLD},nps,40,\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + START)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def spawn(root: Path, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(REPO_ROOT), NO_COLOR="1", GIT_CONFIG_GLOBAL="/dev/null")
    return pexpect.spawn(
        sys.executable,
        ["-m", "smartgoals", "-C", str(root), "checkin", *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 150),
        # Ctrl-C reaches the child even when these tests run where SIGINT is ignored (a
        # background job, some CI runners): the child gets the default disposition back
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def test_a_check_in_records_values_confidence_and_note_in_one_commit(ledger: Path) -> None:
    before = head(ledger)
    child = spawn(ledger)
    child.expect_exact("Check-in " + TODAY.isoformat() + ": 2 metrics")
    child.expect_exact("[1/2] MRR (mrr): last $8,200 on " + OLD)
    child.expect_exact("target revenue: >= $10,000 by 2999")
    child.expect_exact("mrr value")
    child.sendline("lots")
    child.expect_exact("error: mrr: 'lots' is not a number")
    child.expect_exact("mrr value")
    child.sendline("$9k")
    child.expect_exact("[2/2] MAU (mau): last 5,000 on " + OLD)
    child.expect_exact("mau value")
    child.sendline("")  # skipped
    child.expect_exact("Revenue (revenue)")
    child.expect_exact("confidence")
    child.sendline("at risk")
    child.expect_exact("note")
    child.sendline("two deals slipped, to December")
    child.expect_exact("mrr = $9,000")
    child.expect_exact("revenue: at_risk (two deals slipped, to December)")
    child.expect_exact("Record 1 value and 1 check-in in one commit?")
    child.sendline("y")
    child.expect_exact(f"check-in {TODAY.isoformat()}: 1 value, 1 goal: committed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert git(ledger, "rev-parse", "HEAD~1").strip() == before
    assert git(ledger, "log", "-1", "--format=%s").strip() == (
        f"check-in {TODAY.isoformat()}: 1 value, 1 goal"
    )
    changed = git(ledger, "show", "--name-only", "--format=", "HEAD").split()
    assert sorted(changed) == ["goals/checkins.csv", "goals/log.csv"]
    journal = (ledger / "goals" / "log.csv").read_text()
    assert journal == HEADER + START + f"{TODAY.isoformat()},mrr,9000,\n"
    checkins = (ledger / "goals" / "checkins.csv").read_text()
    assert checkins == (
        "date,goal,confidence,note\n"
        f'{TODAY.isoformat()},revenue,at_risk,"two deals slipped, to December"\n'
    )
    assert git(ledger, "status", "--porcelain") == ""


def test_ctrl_c_in_the_middle_writes_nothing(ledger: Path) -> None:
    before = head(ledger)
    child = spawn(ledger)
    child.expect_exact("mrr value")
    child.sendline("9000")
    child.expect_exact("mau value")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "interrupted by SIGINT" in (child.before or "")
    assert head(ledger) == before
    assert git(ledger, "status", "--porcelain", "--untracked-files=all") == ""
    assert (ledger / "goals" / "log.csv").read_text() == HEADER + START


# Answers given before Ctrl-D: at the first value, after a value (the next value), at a doubt,
# at the confidence, at the note and at the summary's question.
EOF_AT = {
    "value": [("mrr value", None)],
    "next value": [("mrr value", "9000"), ("mau value", None)],
    "doubt": [("mrr value", "900000"), ("record it?", None)],
    "confidence": [("mrr value", "9000"), ("mau value", ""), ("confidence", None)],
    "note": [("mrr value", "9000"), ("mau value", ""), ("confidence", ""), ("note", None)],
    "summary": [
        ("mrr value", "9000"),
        ("mau value", ""),
        ("confidence", ""),
        ("note", ""),
        ("in one commit?", None),
    ],
}


@pytest.mark.parametrize("where", list(EOF_AT))
def test_ctrl_d_at_any_prompt_cancels_and_writes_nothing(ledger: Path, where: str) -> None:
    before = head(ledger)
    child = spawn(ledger)
    for prompt, answer in EOF_AT[where]:
        child.expect_exact(prompt)
        if answer is None:
            child.sendeof()
        else:
            child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before
    assert "end of input (Ctrl-D); nothing was recorded" in (child.before or "")
    assert "Traceback" not in (child.before or "")
    assert head(ledger) == before
    assert git(ledger, "status", "--porcelain", "--untracked-files=all") == ""


def test_a_summary_not_confirmed_writes_nothing(ledger: Path) -> None:
    before = head(ledger)
    child = spawn(ledger, "--goal", "users")
    child.expect_exact("mau value")
    child.sendline("5100")
    child.expect_exact("nps value")
    child.sendline("-45")  # a sign change: asked, declined, asked again
    child.expect_exact("NPS -45 after 40 (the sign changed): record it?")
    child.sendline("n")
    child.expect_exact("nps value")
    child.sendline("")
    child.expect_exact("confidence")
    child.sendline("sure")
    child.expect_exact("'sure' is not one of on_track, at_risk, off_track")
    child.sendline("")
    child.expect_exact("note")
    child.sendline("")
    child.expect_exact("Record 1 value and 0 check-ins in one commit?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "nothing was written" in (child.before or "")
    assert head(ledger) == before


def test_without_a_terminal_it_points_to_the_batch_form(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "checkin")
    assert result.exit_code == 1
    assert "smartgoals log --from FILE" in result.stderr


def test_check_validates_checkins_like_the_journal(ledger: Path, cli: CliRunner) -> None:
    (ledger / "goals" / "checkins.csv").write_text(
        "date,goal,confidence,note\n"
        "2026-01-05,revenue,on_track,fine\n"
        "2026-01-05,revenu,on_track,\n"
        "2026-01-32,users,at_risk,\n"
        "2026-01-06,users,great,\n"
    )
    result = invoke(cli, ledger, "check")
    assert result.exit_code == 1
    assert (
        "goals/checkins.csv:3: goal: unknown goal 'revenu' (did you mean 'revenue'?)"
        in result.stdout
    )
    assert "goals/checkins.csv:4:1: date: '2026-01-32' is not a date (YYYY-MM-DD)" in result.stdout
    assert "goals/checkins.csv:5: confidence: 'great' is not a confidence" in result.stdout


def test_undo_after_a_check_in_cancels_its_values(ledger: Path, cli: CliRunner) -> None:
    child = spawn(ledger, "--goal", "revenue")
    child.expect_exact("mrr value")
    child.sendline("9100")
    child.expect_exact("confidence")
    child.sendline("on_track")
    child.expect_exact("note")
    child.sendline("")
    child.expect_exact("in one commit?")
    child.sendline("")  # the default is yes
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 0, result.output
    sha = git(ledger, "rev-parse", "--short=10", "HEAD~1").strip()
    assert (
        (ledger / "goals" / "log.csv")
        .read_text()
        .endswith(f'{TODAY.isoformat()},mrr,,"correction: $9,100 -> none; undo of {sha}"\n')
    )


def test_status_json_and_show_carry_the_check_ins(ledger: Path, cli: CliRunner) -> None:
    import json

    (ledger / "goals" / "checkins.csv").write_text(
        "date,goal,confidence,note\n"
        f"{OLD},revenue,on_track,first\n"
        f"{TODAY.isoformat()},revenue,at_risk,deals slipped\n"
    )
    git(ledger, "add", "goals/checkins.csv")
    git(ledger, "commit", "-q", "-m", "check-in by hand")
    data = json.loads(invoke(cli, ledger, "status", "--json").stdout)
    by_id = {goal["id"]: goal for goal in data["goals"]}
    assert by_id["revenue"]["checkin"] == {
        "date": TODAY.isoformat(),
        "confidence": "at_risk",
        "note": "deals slipped",
        "author": "Ada Founder",
    }
    assert by_id["users"]["checkin"] is None
    shown = invoke(cli, ledger, "show", "revenue")
    assert shown.exit_code == 0, shown.output
    assert f"{TODAY.isoformat()}  at_risk  deals slipped  by Ada Founder" in shown.stdout
    assert f"{OLD}  on_track  first  by Ada Founder" in shown.stdout
    card = json.loads(invoke(cli, ledger, "show", "revenue", "--json").stdout)
    assert [c["confidence"] for c in card["checkins"]] == ["on_track", "at_risk"]


def test_undo_of_a_check_in_without_values_withdraws_it(ledger: Path, cli: CliRunner) -> None:
    assert invoke(cli, ledger, "log", "mau", "5100").exit_code == 0
    child = spawn(ledger, "--goal", "revenue")
    child.expect_exact("mrr value")
    child.sendline("")
    child.expect_exact("confidence")
    child.sendline("off-track")
    child.expect_exact("note")
    child.sendline("")
    child.expect_exact("Record 0 values and 1 check-in in one commit?")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    checkins = (ledger / "goals" / "checkins.csv").read_text()
    assert checkins.endswith(f"{TODAY.isoformat()},revenue,off_track,\n")
    before = (ledger / "goals" / "log.csv").read_text()
    result = invoke(cli, ledger, "undo", "--yes")
    assert result.exit_code == 0, result.output
    assert "0 correction rows and 1 check-in withdrawal" in result.stdout
    assert (ledger / "goals" / "log.csv").read_text() == before  # never the log commit before
    assert (ledger / "goals" / "checkins.csv").read_text() == (
        checkins + f"{TODAY.isoformat()},revenue,,withdrawn: off_track\n"
    )
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["goals/checkins.csv"]
