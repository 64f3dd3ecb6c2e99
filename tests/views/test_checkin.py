"""views/checkin.py: one line saying what a check-in recorded and its commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.checkin import Judgement, plan, read_answer, record
from smartgoals.rendering import Display
from smartgoals.views.checkin import checkin_lines
from tests.conftest import git, write_ledger


def test_counts_and_commit(repo: Path) -> None:
    write_ledger(
        repo,
        """\
        metrics:
          mrr: {name: MRR, unit: USD}
        goals:
          - id: revenue
            title: Revenue
            targets:
              - {metric: mrr, target: 1000}
          - id: other
            title: Other
            targets:
              - {metric: mrr, target: 10}
        """,
        "date,metric,value,note\n2026-02-28,mrr,300,\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    found = plan(repo, dt.date(2026, 3, 1), ("revenue", "other"), False)
    entry = read_answer(found, found.questions[0], "330")
    judgements = [Judgement(goal, "on_track", "") for goal in found.goals]
    view = record(repo, found, [entry], judgements)
    head = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    assert checkin_lines(view, Display()) == [
        f"check-in 2026-03-01: 1 value, 2 goals: committed {head}"
    ]
    assert view.exit_code == 0
