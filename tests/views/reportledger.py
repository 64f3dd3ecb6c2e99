"""A small report for the views/report*.py tests: one target ahead of plan with a note, one
newly triggered risk, outside git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.report import ReportRequest, report
from smartgoals.views.report import ReportView
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  cash: {name: Cash, unit: USD}
goals:
  - id: revenue
    title: Revenue <b>now</b> | more
    area: Sales
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
risks:
  - {id: low, title: Cash is low, owner: Ada, when: "cash < 5000"}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,deal
2026-02-15,cash,3000,
"""


def monthly(root: Path) -> ReportView:
    """February 2026 against the ledger at 2026-01-31 (outside git: this ledger, earlier)."""
    write_ledger(root, GOALS, JOURNAL)
    return report(root, dt.date(2026, 3, 1), ReportRequest(kind="monthly", as_of="2026-02-28"))


ALIGNED = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  state: {name: Declared, type: stage, stages: [not_started, in_progress, done]}
goals:
  - id: vision
    title: Vision "big"
    rollup: children
    targets:
      - {metric: mrr, target: ">= 10000"}
  - id: revenue
    title: Revenue <b>now</b>
    contributes_to: vision
    state: state
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
  - id: lonely
    title: Lonely
    targets:
      - {metric: mrr, target: ">= 5"}
"""
ALIGNED_JOURNAL = """\
date,metric,value,note
2026-01-02,state,not_started,Status: Not started
2026-01-31,mrr,100,
2026-02-28,mrr,300,
"""


def aligned(root: Path) -> ReportView:
    """February 2026 of a ledger with a tree (vision <- revenue; lonely outside it) and a
    declared state that disagrees (declared not started, computed on track)."""
    write_ledger(root, ALIGNED, ALIGNED_JOURNAL)
    return report(root, dt.date(2026, 3, 1), ReportRequest(kind="monthly", as_of="2026-02-28"))
