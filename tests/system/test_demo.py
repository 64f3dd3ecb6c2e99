"""The bundled demo expresses both reference documents with the goal semantics (issue 11)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, invoke

AS_OF = "2026-11-22"
EVERY_STATUS = {
    "achieved",
    "achieved_late",
    "on_track",
    "at_risk",
    "off_track",
    "breached",
    "missed",
    "in_progress",
    "no_data",
    "not_started",
}


def _status(cli: CliRunner) -> dict:
    result = invoke(cli, REPO_ROOT, "status", "--json", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.xfail(
    strict=True,
    reason="demo data (issue 27 item 6, the demo engineer): under the basis-date rules no goal "
    "is at_risk at 2026-11-22 (success-2026 is off_track: api_calls judged at its latest row)",
)
def test_every_status_word_appears_at_goal_level(cli: CliRunner) -> None:
    goals = {g["id"]: g for g in _status(cli)["goals"]}
    assert {g["status"] for g in goals.values()} == EVERY_STATUS
    expected = {
        "success-2025": "achieved_late",  # 10,000 MAU and 500 developers reached in January 2026
        "technical-platform": "breached",  # the September 2026 relay outage: 99.86% uptime
        "early-adopters": "missed",  # day-7 retention never above 65%
        "lightning-revenue": "on_track",  # MRR ahead of the compound plan to $100K
        "success-2026": "at_risk",
        "api-adoption": "off_track",
        "brand-recognition": "no_data",
        "mrr-5k": "in_progress",
        "mrr-10k": "not_started",  # after mrr-5k
        "mrr-1k": "achieved",
    }
    assert {k: goals[k]["status"] for k in expected} == expected


def test_held_quota_and_late_verdicts_in_the_rows(cli: CliRunner) -> None:
    rows = {
        (g["id"], t["metric"], t["op"]): t["status"]
        for g in _status(cli)["goals"]
        for t in g["targets"]
    }
    assert rows[("early-adopters", "retention_d30", ">=")] == "breached"  # "maintain 60%+"
    assert rows[("early-adopters", "mau", ">=")] == "achieved_late"
    assert rows[("early-adopters", "signups", ">=")] == "achieved"  # 1,500/month in Q4 2025
    assert rows[("mainstream-market", "uptime", ">")] == "breached"


def test_journal_is_consistent(cli: CliRunner) -> None:
    with (REPO_ROOT / "goals" / "log.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert max(r["date"] for r in rows) <= AS_OF
    by = {(r["date"], r["metric"]): r["value"] for r in rows}
    for (date, metric), value in by.items():
        if metric == "dau":
            assert float(value) <= float(by[(date, "mau")])
        if metric == "mrr":
            streams = ("revenue_pow_fees", "revenue_premium", "revenue_developer_fees")
            total = sum(float(by.get((date, s), 0)) for s in streams)
            assert total == float(value), date
        if metric == "revenue_developer_fees":
            assert abs(float(by[(date, "developer_earnings")]) - float(value) * 85 / 15) <= 1


def test_risks_as_the_document_words_them(cli: CliRunner) -> None:
    risks = {r["id"]: r for r in _status(cli)["risks"]}
    assert risks["user-growth-shortfall"]["triggered"] is True
    assert "plan('lightning-revenue', 'mrr')" in risks["revenue-shortfall"]["when"]
    assert "as_of >= '2025-Q4'" in risks["developer-adoption-lag"]["when"]
    early = invoke(cli, REPO_ROOT, "risks", "--json", "--as-of", "2025-10-31")
    lag = {r["id"]: r for r in json.loads(early.stdout)["risks"]}["developer-adoption-lag"]
    assert lag["triggered"] is False  # 320 developers at the end of October 2025
