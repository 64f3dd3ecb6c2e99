"""ledger.derived on real ledgers: derived metrics computed where an input changed, risks
judged and reported, formula problems at their lines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import evaluate_strings, invoke, write_ledger

DERIVED = """\
metrics:
  dau: {name: DAU}
  mau: {name: MAU}
  dau_mau: {name: DAU/MAU, unit: percent, formula: "dau / mau * 100"}
  mau_growth: {name: MAU growth, unit: percent, formula: "growth(mau, 'month') * 100"}
  engagement: {name: Engagement, formula: "dau_mau / 10"}
goals:
  - id: engaged
    title: Engaged users
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: dau_mau, target: "> 25%"}
      - {metric: mau_growth, target: "25%", baseline: 0}
      - {metric: engagement, target: 3}
risks:
  - id: shortfall
    title: Growth shortfall
    owner: Head of Growth
    when: "mau_growth < 15 or dau_mau < 10"
    actions: [Accelerate referrals, Talk to users]
  - id: launch-late
    title: Launch late
    when: "status('engaged') in ('off_track', 'missed')"
    actions: [Cut scope]
  - id: unknown-input
    title: Unknown input
    when: "dau > 5 and mau < 1"
    actions: []
"""
ROWS = """\
2026-01-31,mau,1000,
2026-01-31,dau,200,
2026-02-28,mau,1100,
2026-03-15,dau,330,
"""
JOURNAL = "date,metric,value,note\n" + ROWS


def test_derived_metrics_are_computed_where_an_input_changed() -> None:
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-03-31")
    dau_mau, growth, engagement = evaluation.goals[0].targets
    assert dau_mau.current == pytest.approx(30)  # 330 / 1100
    assert dau_mau.current_date == dt.date(2026, 3, 15)  # the latest of its inputs' dates
    assert dau_mau.status == "achieved"
    assert growth.current == pytest.approx(10)  # 1100 / 1000 - 1
    assert growth.current_date == dt.date(2026, 2, 28)
    assert engagement.current == pytest.approx(3)  # a formula over a formula
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-02-28")
    assert evaluation.goals[0].targets[0].current == pytest.approx(200 / 1100 * 100)


def test_a_derived_metric_without_value_says_why() -> None:
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-02-01")
    growth = evaluation.goals[0].targets[1]
    assert growth.status == "no_data"
    assert growth.reason == "no value for mau a month before 2026-01-31"


def test_risks_in_status_json_and_risks_command(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    result = invoke(cli, tmp_path, "status", "--json", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    risks = {r["id"]: r for r in json.loads(result.stdout)["risks"]}
    assert risks["shortfall"] == {
        "id": "shortfall",
        "title": "Growth shortfall",
        "owner": "Head of Growth",
        "when": "mau_growth < 15 or dau_mau < 10",
        "triggered": True,
        "actions": ["Accelerate referrals", "Talk to users"],
        "values": {"mau_growth": 10, "dau_mau": 30},
        "missing": [],
        "file": "goals/goals.yaml",
        "line": 17,
        "area": "Goals",
    }
    assert risks["launch-late"]["triggered"] is False
    assert risks["launch-late"]["values"] == {"status('engaged')": "on_track"}
    assert risks["unknown-input"]["triggered"] is False
    assert risks["unknown-input"]["missing"] == []  # decided: mau < 1 is false
    table = invoke(cli, tmp_path, "status", "--as-of", "2026-03-31").stdout
    assert "Triggered risks (1)" in table
    assert "TRIGGERED  Growth shortfall" in table
    assert "values: mau_growth = 10%, dau_mau = 30%" in table
    assert "- Accelerate referrals" in table
    assert table.rstrip().endswith("1 risk triggered")
    listing = invoke(cli, tmp_path, "risks", "--as-of", "2026-03-31")
    assert listing.exit_code == 0
    assert "Risks (3)" in listing.stdout
    assert "quiet  Launch late" in listing.stdout


def test_a_risk_without_data_is_not_triggered_and_names_what_is_missing(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    data = json.loads(invoke(cli, tmp_path, "risks", "--json", "--as-of", "2026-01-15").stdout)
    shortfall = next(r for r in data["risks"] if r["id"] == "shortfall")
    assert shortfall["triggered"] is False
    assert shortfall["missing"] == ["no value for mau_growth", "no value for dau_mau"]


BAD = """\
metrics:
  a: {name: A}
  b: {name: B, formula: "a +"}
  c: {name: C, formula: "d * 2"}
  d: {name: D, formula: "c + 1"}
  e: {name: E, formula: "aa * 2"}
  f: {name: F, formula: "a"}
goals: []
risks:
  - {id: r1, title: R1, when: "a <", actions: []}
  - {id: r2, title: R2, when: "status('nope') == 'missed'", actions: []}
  - {id: r3, title: R3, when: "a + 1", actions: []}
"""


def test_check_reports_formula_and_risk_problems_at_their_lines(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, BAD, "date,metric,value,note\n2026-01-01,f,5,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        "goals/goals.yaml:3:16: b.formula: expected a number, metric or (, found 'the end' (at character 4 of the formula)",
        "goals/goals.yaml:4:16: c.formula: formulas refer to each other: c -> d -> c",
        "goals/goals.yaml:6:16: e.formula: unknown metric 'aa' (did you mean 'a'?) (at character 1 of the formula)",
        "goals/goals.yaml:7:16: formula: f is computed from its formula, but goals/log.csv:2 records it; remove the formula or the rows",
        "goals/goals.yaml:10:25: r1.when: expected a number, metric or (, found 'the end' (at character 4 of the formula)",
        "goals/goals.yaml:11:25: r2.when: unknown goal 'nope' (at character 1 of the formula)",
        "goals/goals.yaml:12:25: r3.when: when: must be a condition: compare with < <= > >= == != or in, and combine with and, or, not (at character 1 of the formula)",
    ]


def test_log_refuses_a_derived_metric(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    before = (tmp_path / "goals" / "log.csv").read_bytes()
    result = invoke(cli, tmp_path, "log", "dau_mau", "30")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: dau_mau is computed from its formula (dau / mau * 100)")
    assert (tmp_path / "goals" / "log.csv").read_bytes() == before


def test_demo_has_derived_metrics_and_a_firing_risk(cli: CliRunner) -> None:
    from tests.conftest import REPO_ROOT

    data = json.loads(invoke(cli, REPO_ROOT, "status", "--json", "--as-of", "2026-11-22").stdout)
    risks = {r["id"]: r for r in data["risks"]}
    assert set(risks) == {
        "user-growth-shortfall",
        "revenue-shortfall",
        "developer-adoption-lag",
        "technical-scaling",
    }
    assert risks["user-growth-shortfall"]["triggered"] is True
    derived = {t["metric"] for g in data["goals"] for t in g["targets"] if t["derived"]}
    assert {"dau_mau", "ltv_cac", "mau_growth", "api_growth"} <= derived
