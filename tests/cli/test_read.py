"""cli/read.py: the reading commands through the real CLI: their options parsed, their JSON, and
their exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  cash: {name: Cash, unit: USD}
goals:
  - id: revenue
    title: Revenue
    area: Sales
    owner: Ada
    start: 2026-01-01
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31, baseline: 0}
risks:
  - {id: low, title: Cash is low, when: "cash < 5000"}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,deal
2026-02-15,cash,3000,
"""
AS_OF = ("--as-of", "2026-03-01")


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, JOURNAL)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def run_json(cli: CliRunner, root: Path, *args: str, code: int = 0) -> dict:  # type: ignore[type-arg]
    result = invoke(cli, root, *args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_status(ledger: Path, cli: CliRunner) -> None:
    data = run_json(cli, ledger, "status", *AS_OF, "--area", "Sales")
    assert [(g["id"], g["status"]) for g in data["goals"]] == [("revenue", "on_track")]
    assert data["goals"][0]["targets"][0]["current"] == 300
    gate = invoke(cli, ledger, "status", *AS_OF, "--fail-on", "on_track")
    assert gate.exit_code == 4, gate.output


def test_status_format_and_json_exclude_each_other(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "status", "--format", "text", "--json")
    assert result.exit_code == 2
    assert "exclude each other" in result.output


def test_show_and_explain(ledger: Path, cli: CliRunner) -> None:
    show = run_json(cli, ledger, "show", "revenue", *AS_OF)
    assert (show["id"], show["owner"], show["score"]) == ("revenue", "Ada", 0.3)
    assert [c["message"] for c in show["history"]] == ["start"]
    explain = run_json(cli, ledger, "explain", "revenue", "mrr", *AS_OF)
    assert [t["metric"] for t in explain["targets"]] == ["mrr"]


def test_metrics_risks_and_due(ledger: Path, cli: CliRunner) -> None:
    metrics = run_json(cli, ledger, "metrics")
    assert [(m["id"], m["latest"]) for m in metrics["metrics"]] == [("mrr", 300), ("cash", 3000)]
    risks = run_json(cli, ledger, "risks", *AS_OF)
    assert [(r["id"], r["triggered"]) for r in risks["risks"]] == [("low", True)]
    due = run_json(cli, ledger, "due", "--as-of", "2026-04-15", code=1)  # something is due
    assert [m["id"] for m in due["metrics"]] == ["mrr"]


def test_history_chart_and_diff(ledger: Path, cli: CliRunner) -> None:
    history = run_json(cli, ledger, "history", "mrr")
    assert [(o["date"], o["value"]) for o in history["observations"]] == [
        ("2026-01-31", 100),
        ("2026-02-28", 300),
    ]
    chart = run_json(cli, ledger, "chart", "mrr", *AS_OF)
    assert chart["goal"] == "revenue" and len(chart["points"]) == 2
    with (ledger / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-28,cash,2000,\n")
    diff = run_json(cli, ledger, "diff", *AS_OF)
    assert [o["metric"] for o in diff["observations"]] == ["cash"]
    assert diff["changed"] is True


def test_plain_text_when_piped(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "metrics")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert result.stdout.splitlines()[-1] == "2 metrics"
