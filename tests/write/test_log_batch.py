"""Several values in one `log`: METRIC=VALUE ..., --from FILE|-; all checked first, then one
append and one commit, or nothing. Days as people say them; plausibility and --strict."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from smartgoals.engine.plausibility import judge
from smartgoals.ledger.model import MetricDef
from smartgoals.periods import DAY_WORDS, relative_day
from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mau: {name: MAU, unit: count}
  retention: {name: Retention, unit: percent}
  balance: {name: Balance, unit: USD}
  mvp: {name: MVP, type: stage, stages: [idea, beta, live]}
  ratio: {name: Ratio, unit: ratio, formula: "mrr / mau"}
"""
HEADER = "date,metric,value,note\n"
START = "2026-01-01,mrr,8200,\n2026-01-01,retention,48,\n2026-01-01,balance,100,\n"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + START)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text()


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--count", "HEAD").strip())


def test_several_values_make_one_append_and_one_commit(ledger: Path, cli: CliRunner) -> None:
    result = invoke(
        cli, ledger, "log", "mrr=9k", "mau=8.1k", "mvp=beta", "--date", "2026-02-01", "-n", "x"
    )
    assert result.exit_code == 0, result.output
    assert journal(ledger) == HEADER + START + (
        "2026-02-01,mrr,9000,x\n2026-02-01,mau,8100,x\n2026-02-01,mvp,beta,x\n"
    )
    assert commits(ledger) == 2
    message = git(ledger, "log", "-1", "--format=%B").strip().splitlines()
    assert message[0] == "log: 3 values (2026-02-01)"
    assert "mau = 8100 (2026-02-01)" in message
    assert git(ledger, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
    assert result.stdout.splitlines()[-1].startswith("3 values: committed ")


def test_the_one_value_form_stays(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "log", "mrr", "9000", "--date", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("mrr = $9,000 on 2026-02-01: committed ")
    assert git(ledger, "log", "-1", "--format=%s").strip() == "log: mrr = 9000 USD (2026-02-01)"


def test_every_bad_value_is_listed_and_nothing_is_written(ledger: Path, cli: CliRunner) -> None:
    before = journal(ledger)
    result = invoke(cli, ledger, "log", "mrr=9k", "mmr=5", "mau=lots", "ratio=2", "oops")
    assert result.exit_code == 1
    assert "mmr=5: unknown metric 'mmr' (did you mean 'mrr'?)" in result.stderr
    assert "mau=lots: mau: 'lots' is not a number" in result.stderr
    assert "ratio=2: ratio is computed from its formula" in result.stderr
    assert "oops: expected METRIC=VALUE" in result.stderr
    assert "nothing was recorded: 4 problems" in result.stdout
    assert journal(ledger) == before
    assert commits(ledger) == 1


def batch(rows: int, bad: int | None = None) -> str:
    lines = [HEADER]
    for i in range(rows):
        day = dt.date(2026, 2, 1) + dt.timedelta(days=i)
        value = "lots" if i == bad else str(8200 + i)
        lines.append(f"{day.isoformat()},mrr,{value},row {i}\n")
    return "".join(lines)


def test_from_file_one_bad_row_among_100_writes_nothing(ledger: Path, cli: CliRunner) -> None:
    source = ledger.parent / "values.csv"
    source.write_text(batch(100, bad=57))
    before = journal(ledger)
    result = invoke(cli, ledger, "log", "--from", str(source))
    assert result.exit_code == 1
    # the header is line 1, so row 57 (from 0) is line 59
    assert f"{source}:59: mrr: 'lots' is not a number" in result.stderr
    assert result.stderr.count("\n") == 1
    assert journal(ledger) == before
    assert commits(ledger) == 1


def test_from_file_100_rows_in_one_commit(ledger: Path, cli: CliRunner) -> None:
    source = ledger.parent / "values.csv"
    source.write_text(batch(100))
    result = invoke(cli, ledger, "log", "--from", str(source))
    assert result.exit_code == 0, result.output
    assert commits(ledger) == 2
    added = journal(ledger).removeprefix(HEADER + START)
    assert added == batch(100).removeprefix(HEADER)
    assert git(ledger, "log", "-1", "--format=%s").strip() == (
        "log: 100 values (2026-02-01..2026-05-11)"
    )


def test_from_standard_input_without_header_lists_every_problem(
    ledger: Path, cli: CliRunner
) -> None:
    rows = "2026-02-01,mrr,9000,\n2026-02-31,mrr,1,\n,mau,5,\n2026-02-02,mau\n2999-01-01,mau,1,\n"
    result = cli.invoke(
        __import__("smartgoals.cli.app", fromlist=["app"]).app,
        ["-C", str(ledger), "log", "--from", "-"],
        input=rows,
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("-:2: date: '2026-02-31' is not a real date")
    assert lines[1] == "-:4: expected date,metric,value,note; found 2 fields"
    assert lines[2] == "-:5: date: 2999-01-01 is in the future"
    assert len(lines) == 3
    good = cli.invoke(
        __import__("smartgoals.cli.app", fromlist=["app"]).app,
        ["-C", str(ledger), "log", "--from", "-", "--date", "2026-02-03"],
        input="2026-02-01,mrr,9000,\n,mau,5,\n",
    )
    assert good.exit_code == 0, good.output
    assert journal(ledger).endswith("2026-02-01,mrr,9000,\n2026-02-03,mau,5,\n")


# --- days as people say them ---------------------------------------------------------------

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", MONDAY),
        ("yesterday", dt.date(2026, 11, 22)),
        ("-3d", dt.date(2026, 11, 20)),
        ("-0d", MONDAY),
        ("-2w", dt.date(2026, 11, 9)),
        ("last-friday", dt.date(2026, 11, 20)),
        ("last friday", dt.date(2026, 11, 20)),
        ("Last-Fri", dt.date(2026, 11, 20)),
        ("last-sunday", dt.date(2026, 11, 22)),
        ("last-monday", dt.date(2026, 11, 16)),  # never today itself
        ("last-tue", dt.date(2026, 11, 17)),
    ],
)
def test_relative_days(text: str, day: dt.date) -> None:
    assert relative_day(text, MONDAY) == day


@pytest.mark.parametrize("text", ["2026-11-01", "soon", "last-t", "last-week", "-3m", "3d"])
def test_what_is_not_a_relative_day(text: str) -> None:
    assert relative_day(text, MONDAY) is None


def test_log_date_accepts_relative_days_and_lists_them_on_error(
    ledger: Path, cli: CliRunner
) -> None:
    assert invoke(cli, ledger, "log", "mau", "5", "--date", "-3d", "--no-commit").exit_code == 0
    expected = (dt.date.today() - dt.timedelta(days=3)).isoformat()
    assert journal(ledger).endswith(f"{expected},mau,5,\n")
    result = invoke(cli, ledger, "log", "mau", "5", "--date", "last-fryday")
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith(f"--date takes a day: {DAY_WORDS}")
    status = invoke(cli, ledger, "status", "--as-of", "-2w", "--json")
    assert status.exit_code == 0, status.output
    bad = invoke(cli, ledger, "status", "--as-of", "someday")
    assert f"--as-of takes {DAY_WORDS}" in bad.stderr


# --- plausibility ----------------------------------------------------------------------------

MRR = MetricDef("mrr", "MRR", unit="USD")
PERCENT = MetricDef("retention", "Retention", unit="percent")
STAGE = MetricDef("mvp", "MVP", stages=("a", "b"))


@pytest.mark.parametrize(
    ("value", "recent", "flagged"),
    [
        (82_000, [8_200], True),  # exactly 10x: an extra digit (issue 27; was not flagged)
        (82_001, [8_200], True),
        (820, [8_200], True),  # exactly a tenth: a lost digit (issue 27; was not flagged)
        (819, [8_200], True),
        (0.3, [3], True),  # a tenth, where floating point division would say less: a digit
        (-5, [5], True),  # a sign change
        (0, [5], False),  # zero has no sign and no ratio
        (5, [0], False),
        (5, [], False),  # no history
        (95_000, [8_200], True),
    ],
)
def test_jump_and_sign_rules_at_their_boundaries(
    value: float, recent: list[float], flagged: bool
) -> None:
    assert (judge(MRR, value, recent) is not None) is flagged


def test_the_jump_message_reads_like_a_question() -> None:
    assert judge(MRR, 95_000, [7_000, 8_200]) == "MRR $95,000 after $8,200 (11.6x)"


@pytest.mark.parametrize(
    ("value", "recent", "flagged"),
    [
        (0.48, [48, 51], True),
        (0.99, [10, 12], True),
        (1, [48], True),  # not the percent rule, but below a tenth
        # the history is not all in tens, nor a jump (0.103x), but 9.8 after 9.5 would be in
        # line: a lost digit (issue 27; was not flagged)
        (0.98, [48, 9.5], True),
        (0.48, [0.5], False),
        (0, [48], False),
    ],
)
def test_percent_under_one_after_tens(value: float, recent: list[float], flagged: bool) -> None:
    assert (judge(PERCENT, value, recent) is not None) is flagged


def test_percent_message_says_how_it_is_stored() -> None:
    reason = judge(PERCENT, 0.48, [48])
    assert reason == "Retention 0.48% after 48%: a percent is stored as written (0.48%, not 48%)"


def test_stages_are_never_judged() -> None:
    assert judge(STAGE, 0, [1]) is None


def test_without_a_terminal_an_implausible_value_is_recorded_with_a_warning(
    ledger: Path, cli: CliRunner
) -> None:
    result = invoke(cli, ledger, "log", "mrr", "95000", "--date", "2026-02-01")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: MRR $95,000 after $8,200 (11.6x): recorded anyway (--strict refuses such "
        "values)\n"
    )
    assert journal(ledger).endswith("2026-02-01,mrr,95000,\n")


def test_strict_refuses_and_writes_nothing(ledger: Path, cli: CliRunner) -> None:
    before = journal(ledger)
    result = invoke(
        cli, ledger, "log", "retention=0.48", "mau=5", "--strict", "--date", "2026-02-01"
    )
    assert result.exit_code == 1
    assert "--strict: Retention 0.48% after 48%" in result.stderr
    assert journal(ledger) == before
    fine = invoke(cli, ledger, "log", "retention=49", "--strict", "--date", "2026-02-01")
    assert fine.exit_code == 0, fine.output


def test_values_in_one_batch_are_judged_against_each_other(ledger: Path, cli: CliRunner) -> None:
    source = ledger.parent / "values.csv"
    source.write_text("2026-02-01,balance,100,\n2026-02-02,balance,-100,\n2026-02-03,balance,50\n")
    result = invoke(cli, ledger, "log", "--from", str(source), "--strict")
    assert result.exit_code == 1
    assert "Balance -$100 after $100 (the sign changed)" in result.stderr
    assert "Balance $50 after -$100" in result.stderr


def spawn(root: Path, *args: str) -> pexpect.spawn:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PYTHONPATH=str(REPO_ROOT), NO_COLOR="1", GIT_CONFIG_GLOBAL="/dev/null")
    return pexpect.spawn(
        sys.executable,
        ["-m", "smartgoals", "-C", str(root), *args],
        env=env,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )


def test_in_a_terminal_an_implausible_value_is_asked_about(ledger: Path) -> None:
    before = journal(ledger)
    child = spawn(ledger, "log", "mrr", "95000", "--date", "2026-02-01")
    child.expect_exact("MRR $95,000 after $8,200 (11.6x): record it? [y/N]")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "nothing was recorded" in (child.before or "")
    assert journal(ledger) == before
    child = spawn(ledger, "log", "mrr", "95000", "--date", "2026-02-01")
    child.expect_exact("record it? [y/N]")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert journal(ledger).endswith("2026-02-01,mrr,95000,\n")
