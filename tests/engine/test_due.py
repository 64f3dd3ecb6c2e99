"""`smartgoals due`: lapsed cadences, review checkpoints without a check-in in their period,
risks triggered since the last check-in; exit 0 when nothing is due, 1 when something is."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.engine.dueness import review_span
from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  mau: {name: MAU, unit: count, cadence: weekly}
  cash: {name: Cash, unit: USD}
  arpu: {name: ARPU, unit: USD, cadence: monthly, formula: "mrr / mau"}
goals:
  - id: revenue
    title: Revenue
    review: {monthly: Revenue review, quarterly: Calibration, fortnightly: not scheduled}
    targets:
      - {metric: mrr, target: 100k, due: 2030}
  - id: done
    title: Done already
    review: {monthly: Never again}
    targets:
      - {metric: mau, target: 1}
risks:
  - id: cash-low
    title: Cash is low
    when: "cash < 5000"
"""
JOURNAL = """\
date,metric,value,note
2026-10-31,mrr,8200,
2026-11-10,mau,100,
2026-11-01,cash,10000,
2026-11-15,cash,3000,
"""
CHECKINS = "date,goal,confidence,note\n2026-11-05,revenue,on_track,\n"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    write_ledger(tmp_path, GOALS, JOURNAL)
    (tmp_path / "goals" / "checkins.csv").write_text(CHECKINS)
    return tmp_path


def due(cli: CliRunner, root: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = invoke(cli, root, "due", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def test_nothing_due_exits_0(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "due", "--as-of", "2026-11-12")
    assert result.exit_code == 0, result.output
    assert result.stdout == "nothing is due on 2026-11-12\n"


def test_a_lapsed_cadence_is_due_from_the_first_stale_day(ledger: Path, cli: CliRunner) -> None:
    code, data = due(cli, ledger, "--as-of", "2026-11-17")  # mau: 7 days after 11-10
    assert [m["id"] for m in data["metrics"]] == []
    code, data = due(cli, ledger, "--as-of", "2026-11-18")
    assert code == 1
    assert data["metrics"] == [
        {
            "id": "mau",
            "name": "MAU",
            "cadence": "weekly",
            "last_value": 100,
            "last_date": "2026-11-10",
            "due": "2026-11-18",
            "overdue": True,
        }
    ]


def test_within_lists_what_lapses_soon(ledger: Path, cli: CliRunner) -> None:
    # mrr (2026-10-31, monthly: 31 days) is stale from 2026-12-02
    _code, data = due(cli, ledger, "--as-of", "2026-11-12", "--within", "19")
    assert [m["id"] for m in data["metrics"]] == ["mau"]  # from 2026-11-18
    _code, data = due(cli, ledger, "--as-of", "2026-11-12", "--within", "20")
    assert [(m["id"], m["due"], m["overdue"]) for m in data["metrics"]] == [
        ("mrr", "2026-12-02", False),
        ("mau", "2026-11-18", False),
    ]
    assert data["within"] == 20


def test_a_review_is_due_until_a_check_in_in_its_period(ledger: Path, cli: CliRunner) -> None:
    code, data = due(cli, ledger, "--as-of", "2026-12-01")
    assert code == 1
    assert [(r["goal"], r["cadence"], r["due"], r["last_checkin"]) for r in data["reviews"]] == [
        ("revenue", "monthly", "2026-12-01", "2026-11-05")
    ]  # the quarter is done (2026-11-05 is in Q4); unknown keys and finished goals: never
    (ledger / "goals" / "checkins.csv").write_text(CHECKINS + "2026-12-01,revenue,at_risk,\n")
    _code, data = due(cli, ledger, "--as-of", "2026-12-01")
    assert data["reviews"] == []
    _code, data = due(cli, ledger, "--as-of", "2027-01-01")
    assert [r["cadence"] for r in data["reviews"]] == ["monthly", "quarterly"]


def test_risks_triggered_since_the_last_check_in(ledger: Path, cli: CliRunner) -> None:
    code, data = due(cli, ledger, "--as-of", "2026-11-16")
    assert code == 1
    assert [r["id"] for r in data["risks"]] == ["cash-low"]
    assert data["last_checkin"] == "2026-11-05"
    (ledger / "goals" / "checkins.csv").write_text(CHECKINS + "2026-11-15,revenue,at_risk,\n")
    _code, data = due(cli, ledger, "--as-of", "2026-11-16")
    assert data["risks"] == []  # it was already triggered at the last check-in


def test_plain_output_names_what_is_due(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "due", "--as-of", "2026-12-03")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "due on 2026-12-03:"
    assert "metrics to record (2):" in lines
    assert any(
        line.split()
        == ["mrr", "monthly", "last", "$8,200", "on", "2026-10-31", "stale", "since", "2026-12-02"]
        for line in lines
    )
    assert "risks triggered since the last check-in (2026-11-05) (1):" in lines


def test_a_bad_within_is_refused(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "due", "--within", "-1")
    assert result.exit_code == 1
    assert "--within" in result.stderr


@pytest.mark.parametrize(
    ("cadence", "first", "last"),
    [
        ("daily", "2026-11-18", "2026-11-18"),
        ("weekly", "2026-11-16", "2026-11-22"),
        ("monthly", "2026-11-01", "2026-11-30"),
        ("Quarterly", "2026-10-01", "2026-12-31"),
        ("bi-annually", "2026-07-01", "2026-12-31"),
        ("semi-annually", "2026-07-01", "2026-12-31"),
        ("yearly", "2026-01-01", "2026-12-31"),
        ("annually", "2026-01-01", "2026-12-31"),
    ],
)
def test_review_periods(cadence: str, first: str, last: str) -> None:
    span = review_span(dt.date(2026, 11, 18), cadence)
    assert span == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_an_unknown_review_key_is_not_scheduled() -> None:
    assert review_span(dt.date(2026, 11, 18), "fortnightly") is None
