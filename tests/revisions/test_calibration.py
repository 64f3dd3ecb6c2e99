"""revisions/calibration.py: the baseline ledger of a period and the targets changed since, with
the commits that changed them."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from smartgoals.engine.evaluation import evaluate
from smartgoals.ledger.loader import load_ledger
from smartgoals.revisions.calibration import baseline_ledger, calibration
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= %s", due: 2026-12-31%s}
"""


def _commit(root: Path, message: str, day: str) -> None:
    env = {
        "GIT_AUTHOR_DATE": f"{day}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{day}T12:00:00+00:00",
    }
    os.environ.update(env)
    try:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", message)
    finally:
        for key in env:
            del os.environ[key]


def test_outside_git_the_baseline_is_this_ledger(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS % (1000, ""), "date,metric,value,note\n")
    ledger = load_ledger(tmp_path)
    base, baseline, repo = baseline_ledger(tmp_path, ledger, None, dt.date(2026, 6, 30))
    assert base is ledger and repo is None and baseline.commit is None
    assert baseline.note.startswith("outside git")


def test_an_eased_target_with_its_reason_and_commit(repo: Path) -> None:
    write_ledger(repo, GOALS % (1000, ""), "date,metric,value,note\n")
    _commit(repo, "start", "2026-06-01")
    write_ledger(repo, GOALS % (800, ", reason: the market shrank"))
    _commit(repo, "ease mrr", "2026-08-01")
    ledger = load_ledger(repo)
    base, baseline, found = baseline_ledger(repo, ledger, None, dt.date(2026, 6, 30))
    assert baseline.commit is not None and baseline.commit.message == "start"
    now, before = evaluate(ledger, dt.date(2026, 9, 30)), evaluate(base, baseline.date)
    changes, why = calibration(repo, found, base, ledger, before, now, baseline)
    assert why is None
    assert [(c.change.metric.id, c.change.eased, c.change.reasons) for c in changes] == [
        ("mrr", True, ("the market shrank",))
    ]
    assert changes[0].commit is not None and changes[0].commit.message == "ease mrr"
