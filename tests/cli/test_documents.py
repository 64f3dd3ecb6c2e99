"""cli/documents.py: report, export and calendar through the real CLI, to stdout or a file."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: revenue
    title: Revenue
    start: 2026-01-01
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31, baseline: 0}
"""
JOURNAL = 'date,metric,value,note\n2026-01-31,mrr,100,\n2026-02-28,mrr,300,"deal, signed"\n'


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path / "ledger", GOALS, JOURNAL)


def test_report_json_and_markdown(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "report", "--as-of", "2026-02-28", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["kind"], data["period"]) == ("monthly", "2026-02")
    assert [t["value"] for t in data["targets"]] == [300]
    md = invoke(cli, ledger, "report", "--as-of", "2026-02-28", "--format", "md")
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# Monthly report 2026-02 (to 2026-02-28)")


def test_report_to_a_file(ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke(
        cli, ledger, "report", "--as-of", "2026-02-28", "--format", "html", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_csv_and_json(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "export", "--format", "csv", "--as-of", "2026-03-01")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["date", "metric", "value", "unit", "derived", "note"],
        ["2026-01-31", "mrr", "100", "USD", "false", ""],
        ["2026-02-28", "mrr", "300", "USD", "false", "deal, signed"],
    ]
    status = invoke(cli, ledger, "export", "--what", "status", "--json", "--as-of", "2026-03-01")
    assert status.exit_code == 0, status.output
    (row,) = json.loads(status.stdout)["rows"]
    assert (row["goal"], row["metric"], row["current"]) == ("revenue", "mrr", 300)


def test_calendar_to_stdout_and_a_file(ledger: Path, cli: CliRunner, tmp_path: Path) -> None:
    result = invoke(cli, ledger, "calendar")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Record MRR (monthly)" in result.stdout
    out = tmp_path / "goals.ics"
    written = invoke(cli, ledger, "calendar", "-o", str(out))
    assert written.exit_code == 0, written.output
    data = out.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
