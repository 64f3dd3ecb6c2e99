"""Issue 27's defects, each through the real CLI, where tests/engine/ has no CLI test of it yet:
the report against status (the value judged at the due, a held target, a quota's plan, a level's
plan at its latest row), quotas at a period boundary on the demo, and a risk's `prev(nrr)` with
its unit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """
metrics:
  activation: {name: Activation, unit: percent}
  uptime: {name: Uptime, unit: percent}
  hires: {name: Hires, unit: count, aggregate: sum}
  mrr: {name: MRR, unit: USD, cadence: monthly}
  nrr: {name: Net revenue retention, unit: percent, cadence: monthly}
goals:
  - id: company
    title: Company
    start: 2025-10-01
    due: 2026-12-31
    targets:
      - {metric: activation, target: ">= 25%", due: 2025-12-31}
      - {metric: uptime, target: ">= 99%", hold: true}
      - {metric: hires, target: 2, every: quarter}
      - {metric: mrr, target: 10000}
risks:
  - id: nrr-falls
    title: Net revenue retention falls
    when: "nrr < prev(nrr)"
    actions: [call the five largest customers]
"""
JOURNAL = """\
date,metric,value,note
2025-10-01,activation,10,
2025-12-20,activation,45.31,
2026-03-01,activation,12.5,
2026-10-01,uptime,99.9,
2026-11-01,uptime,99.95,
2026-10-28,hires,1,
2025-10-01,mrr,1000,
2026-10-31,mrr,4000,
2026-10-31,nrr,112,
2026-11-30,nrr,104,
"""
AS_OF = "2026-12-31"


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    write_ledger(tmp_path, GOALS, JOURNAL)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "ledger")
    return tmp_path


def _json(cli: CliRunner, root: Path, *args: str) -> Any:
    result = invoke(cli, root, *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _both(cli: CliRunner, root: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    status = _json(cli, root, "status", "--json", "--as-of", AS_OF)["goals"][0]["targets"]
    report = _json(cli, root, "report", "quarterly", "--format", "json", "--as-of", AS_OF)
    return status, sorted(report["targets"], key=lambda t: t["index"])


def test_the_report_shows_the_value_judged_at_the_due(ledger: Path, cli: CliRunner) -> None:
    """It printed today's 12.5% beside `achieved`; status shows the judged 45.31%."""
    status, report = _both(cli, ledger)
    assert status[0]["status"] == report[0]["status"] == "achieved"
    assert status[0]["judged_value"] == report[0]["value_at_basis"] == 45.31
    assert report[0]["why"] == status[0]["why"] == "judged at due 2025-12-31: 45.31% >= 25%"


def test_the_report_keeps_a_held_target_that_held(ledger: Path, cli: CliRunner) -> None:
    """It dropped `held`: passing values read `breached` with no breach shown."""
    status, report = _both(cli, ledger)
    assert status[1]["status"] == report[1]["status"] != "breached"
    assert status[1]["breaches"] == []


def test_the_report_gives_a_quota_no_plan_and_no_variance(ledger: Path, cli: CliRunner) -> None:
    """It printed +64% above plan for one hire of two at two thirds of the quarter."""
    status, report = _both(cli, ledger)
    assert status[2]["status"] == report[2]["status"] == "off_track"  # 1 of 2 at the due
    assert (report[2]["plan"], report[2]["variance"], report[2]["variance_pct"]) == (None,) * 3
    assert status[2]["open_period"] == report[2]["open_period"] == "pace"


def test_the_report_takes_a_level_s_plan_at_its_latest_row(ledger: Path, cli: CliRunner) -> None:
    """It took plan and variance at the as-of date beside a status judged at the latest row."""
    status, report = _both(cli, ledger)
    assert status[3]["basis_date"] == report[3]["basis_date"] == "2026-10-31"
    for field in ("status", "plan", "variance", "variance_pct", "progress", "score"):
        assert status[3][field] == report[3][field], field


def test_a_risk_s_prev_value_carries_its_unit(ledger: Path, cli: CliRunner) -> None:
    """`prev(nrr) = 112` was printed without its unit."""
    result = invoke(cli, ledger, "risks", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "prev(nrr) = 112%" in result.output
    assert "nrr = 104%" in result.output


def test_on_6_december_finished_months_are_not_no_data(cli: CliRunner) -> None:
    """On the demo on 6 December, monthly quotas without a December row read `no data`, the
    goal above them too, and the report announced `on track -> no data`."""
    from tests.conftest import REPO_ROOT

    goals = _json(cli, REPO_ROOT, "status", "--json", "--as-of", "2026-12-06")["goals"]
    quotas = [t for g in goals for t in g["targets"] if t["periods"]]
    assert quotas
    for target in quotas:
        if any(p["finished"] for p in target["periods"]):
            assert target["status"] != "no_data", target["metric"]
    assert next(g for g in goals if g["id"] == "lightning-revenue")["status"] != "no_data"
    report = _json(cli, REPO_ROOT, "report", "monthly", "--format", "json", "--as-of", "2026-12-06")
    changes = report["headline"]["changes"]
    assert not [c for c in changes if c["new"] == "no_data" and c["old"] == "on_track"]
