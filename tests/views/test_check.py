"""views/check.py: `check` as JSON, plain lines and GitHub workflow commands."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.check import check, check_github
from smartgoals.rendering import Display
from smartgoals.views.check import check_json, check_lines, github_check_lines
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
goals:
  - id: g
    title: G
    targets:
      - {metric: arpu, target: 50}
"""


def test_json_counts_and_warnings(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        GOALS,
        "date,metric,value,note\n2026-01-31,mrr,100,\n2026-01-31,users,4,\n2027-01-01,mrr,1,\n",
    )
    data = check_json(check(tmp_path, dt.date(2026, 3, 1)), Display())
    assert data == {
        "ok": True,
        "problems": [],
        "goals": 1,
        "metrics": 3,
        "observations": 3,
        "derived_values": 2,  # arpu on 2026-01-31 and on 2027-01-01
        "warnings": ["goals/log.csv:4: date: 2027-01-01 is after today (2026-03-01)"],
    }


def test_problems_in_json_and_plain(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,mrr,lots,\n")
    view = check(tmp_path)
    (problem,) = check_json(view, Display())["problems"]
    assert (problem["path"], problem["line"]) == ("goals/log.csv", 2)
    assert check_json(view, Display())["ok"] is False
    lines = check_lines(view, Display())
    assert lines[0].startswith("goals/log.csv:2:")
    assert lines[1] == "1 problem(s): 1 goals, 3 metrics, 0 observations"


def test_plain_ok_line(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n")
    assert check_lines(check(tmp_path), Display()) == ["ok: 1 goals, 3 metrics, 1 observations"]


def test_github_workflow_commands(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,nope,1,\n2027-01-01,mrr,1,\n")
    lines = github_check_lines(check_github(tmp_path, dt.date(2026, 3, 1)), Display())
    assert lines[0].startswith("::error file=goals/log.csv,line=2,")
    assert lines[1].startswith("::warning file=goals/log.csv,line=3,")
    assert lines[1].endswith("2027-01-01 is after today (2026-03-01)")
    assert lines[2] == "1 problem(s): 1 goals, 3 metrics, 1 observations"
    assert len(lines) == 3
