"""The Pages site: one HTML board report per finished period and an index, built by the
script the example workflow runs, on a real ledger in git."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

from smartgoals.cli.pages import finished_periods
from tests.conftest import REPO_ROOT, git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: grow
    title: Grow <b>revenue</b>
    start: 2026-06-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 10000, baseline: 0}
"""


def test_finished_periods_newest_first_from_the_first_observation() -> None:
    pages = finished_periods("monthly", dt.date(2026, 12, 7), 12, dt.date(2026, 8, 15))
    assert [p.label for p in pages] == ["2026-11", "2026-10", "2026-09", "2026-08"]
    assert pages[0].last == dt.date(2026, 11, 30) and pages[0].file == "2026-11.html"
    quarters = finished_periods("quarterly", dt.date(2026, 12, 7), 2, None)
    assert [p.label for p in quarters] == ["2026-Q3", "2026-Q2"]


def test_the_site_has_one_report_per_period_and_an_index(repo: Path, tmp_path: Path) -> None:
    rows = "".join(f"2026-{m:02d}-28,mrr,{m * 1000},\n" for m in range(7, 12))
    write_ledger(repo, GOALS, "date,metric,value,note\n" + rows)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    site = tmp_path / "site"
    command = [sys.executable, "-m", "smartgoals.cli.pages", "-C", str(repo), "--out", str(site)]
    done = subprocess.run(
        [*command, "--today", "2026-12-07", "--periods", "3"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in site.iterdir()) == [
        "2026-09.html",
        "2026-10.html",
        "2026-11.html",
        "index.html",
        "periods.json",
    ]
    index = (site / "index.html").read_text()
    assert re.findall(r'<li><a href="([^"]+)">', index) == [
        "2026-11.html",
        "2026-10.html",
        "2026-09.html",
    ]
    november = (site / "2026-11.html").read_text()
    assert november.startswith("<!DOCTYPE html>") and "2026-11" in november
    assert "<b>revenue</b>" not in november  # goal text escaped by the report itself
    assert json.loads((site / "periods.json").read_text())[0]["last"] == "2026-11-30"


def test_the_example_workflow_publishes_this_site() -> None:
    workflow = (REPO_ROOT / "docs" / "smartgoals-workflow.yml").read_text()
    assert "run: python -m smartgoals.cli.pages --kind monthly --periods 24 --out site" in workflow
    assert "path: site" in workflow
    assert workflow.count("persist-credentials: false") == workflow.count("actions/checkout@")
