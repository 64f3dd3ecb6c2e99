"""write/corrections.py: correction rows for `log --correct`, and the plan of `undo` (which
rows put each touched day back, which check-ins to withdraw), through real files and a real
git repository with a pinned identity."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.errors import InvalidInputError
from smartgoals.ledger.checkins import Checkin
from smartgoals.ledger.loader import load_definitions
from smartgoals.ledger.model import MetricDef, Series
from smartgoals.write.corrections import (
    correction_note,
    corrections,
    day_value,
    plan_undo,
    shown,
)
from smartgoals.write.recording import entry_for
from tests.conftest import git, ledger_files, write_ledger

D = dt.date.fromisoformat
MRR = MetricDef("mrr", "MRR", "USD")
SIGNUPS = MetricDef("signups", "Signups", aggregate="sum")
PHASE = MetricDef("phase", "Phase", stages=("idea", "beta", "live"))
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  signups: {name: Signups, aggregate: sum}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 10k}
"""
HEADER = "date,metric,value,note\n"
START = "2026-11-01,mrr,7400,\n2026-11-01,signups,30,\n2026-11-01,signups,20,\n"


@pytest.mark.parametrize(
    ("metric", "value", "text"),
    [
        (MRR, 7400, "$7,400"),
        (MRR, None, "none"),
        (PHASE, 1, "beta"),
        (PHASE, 9, "-"),
        (SIGNUPS, 5, "5"),
    ],
)
def test_shown(metric: MetricDef, value: float | None, text: str) -> None:
    assert shown(metric, value) == text


def test_day_value_last_row_or_the_sum() -> None:
    series = Series([D("2026-11-01")] * 2 + [D("2026-11-02")], [30.0, 20.0, 5.0], ["", "", ""])
    assert day_value(MRR, series, D("2026-11-01")) == 20  # the last counts
    assert day_value(SIGNUPS, series, D("2026-11-01")) == 50  # sum adds the day's rows
    assert day_value(SIGNUPS, series, D("2026-11-03")) is None
    assert day_value(SIGNUPS, None, D("2026-11-01")) is None


def test_correction_note() -> None:
    assert correction_note(MRR, 7400, 7450, "") == "correction: $7,400 -> $7,450"
    assert correction_note(MRR, 7400, None, "typo") == "correction: $7,400 -> none; typo"
    with pytest.raises(InvalidInputError, match=r"^--note: "):
        correction_note(MRR, 1, 2, "two\nlines")


def test_corrections_of_days_with_a_value(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER + START)
    metrics = load_definitions(ledger_files(GOALS), use_cache=False).metrics
    entries = [
        entry_for(metrics["mrr"], D("2026-11-01"), 7450.0, "typo"),
        entry_for(metrics["signups"], D("2026-11-01"), 45.0, ""),
    ]
    rows = corrections(tmp_path, metrics, entries)
    assert [r.row for r in rows] == [
        '2026-11-01,mrr,7450,"correction: $7,400 -> $7,450; typo"\n',
        "2026-11-01,signups,45,correction: 50 -> 45\n",
    ]
    assert (tmp_path / "goals" / "log.csv").read_text() == HEADER + START  # nothing written
    missing = [entry_for(metrics["mrr"], D("2026-11-02"), 1.0, "")]
    with pytest.raises(InvalidInputError) as caught:
        corrections(tmp_path, metrics, missing)
    assert str(caught.value) == (
        "--correct: mrr has no value on 2026-11-02 to correct; log it without --correct"
    )


def test_corrections_see_every_shard(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    (tmp_path / "goals" / "log.d").mkdir()
    (tmp_path / "goals" / "log.d" / "ada.csv").write_text(HEADER + "2026-11-01,mrr,100,\n")
    metrics = load_definitions(ledger_files(GOALS), use_cache=False).metrics
    [row] = corrections(tmp_path, metrics, [entry_for(metrics["mrr"], D("2026-11-01"), 120.0, "")])
    assert row.note == "correction: $100 -> $120"


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER + START)
    (repo / "goals" / "checkins.csv").write_text("date,goal,confidence,note\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def commit(root: Path, subject: str, journal: str = "", checkins: str = "") -> None:
    with (root / "goals" / "log.csv").open("a") as handle:
        handle.write(journal)
    with (root / "goals" / "checkins.csv").open("a") as handle:
        handle.write(checkins)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", subject)


def definitions():  # type: ignore[no-untyped-def]
    return load_definitions(ledger_files(GOALS), use_cache=False)


def test_plan_undo_puts_each_touched_day_back(ledger: Path) -> None:
    commit(
        ledger,
        "log: mrr, signups",
        "2026-11-01,mrr,7600,\n2026-11-01,signups,5,\n2026-11-02,mrr,7700,\n",
    )
    plan = plan_undo(ledger, definitions())
    assert plan.commit.message == "log: mrr, signups"
    short = plan.commit.short
    assert [e.row for e in plan.entries] == [
        f'2026-11-01,mrr,7400,"correction: $7,600 -> $7,400; undo of {short}"\n',
        f'2026-11-02,mrr,,"correction: $7,700 -> none; undo of {short}"\n',
        f"2026-11-01,signups,50,correction: 55 -> 50; undo of {short}\n",  # no comma: unquoted
    ]
    assert plan.withdrawals == ()


def test_plan_undo_withdraws_the_checkins_it_appended(ledger: Path) -> None:
    commit(ledger, "check-in: grow", checkins="2026-11-05,grow,at_risk,slow\n")
    plan = plan_undo(ledger, definitions())
    assert plan.entries == ()
    assert plan.withdrawals == (Checkin(D("2026-11-05"), "grow", "at_risk", "slow", 2),)


def test_plan_undo_skips_other_peoples_and_other_commits(ledger: Path) -> None:
    commit(ledger, "log: mrr", "2026-11-02,mrr,1,\n")
    commit(ledger, "tidy the journal", "2026-11-03,mrr,2,\n")  # not a recording commit
    git(ledger, "-c", "user.email=bob@example.com", "commit", "-q", "--allow-empty", "-m", "log: x")
    plan = plan_undo(ledger, definitions())
    assert plan.commit.message == "log: mrr"


def test_plan_undo_refusals(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"^undo: nothing to undo \(no log or check-in"):
        plan_undo(ledger, definitions())
    # a commit that rewrote earlier lines is not undone
    (ledger / "goals" / "log.csv").write_text(HEADER + "2026-11-01,mrr,1,\n")
    git(ledger, "commit", "-q", "-am", "log: rewrite")
    with pytest.raises(InvalidInputError, match=r"changed earlier journal lines; not undone$"):
        plan_undo(ledger, definitions())


def test_plan_undo_refuses_a_pushed_commit(
    ledger: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    remote = tmp_path_factory.mktemp("remote")
    git(remote, "init", "-q", "--bare", "-b", "main")
    git(ledger, "remote", "add", "origin", str(remote))
    commit(ledger, "log: mrr", "2026-11-02,mrr,1,\n")
    git(ledger, "push", "-q", "origin", "main")
    with pytest.raises(InvalidInputError, match=r"is already pushed to origin"):
        plan_undo(ledger, definitions())
