"""Ledgers that a command's tests and its view's share: the command (commands/) makes the view
from the ledger, the view (views/) renders it; both read the same data."""

from __future__ import annotations

import datetime as dt

# status: two goals, one on track and one off track at STATUS_TODAY; mrr has a later value
STATUS_GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  tickets: {name: Tickets, unit: count, direction: down}
goals:
  - id: revenue
    title: Grow revenue
    area: Sales
    owner: Ada
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: ">= 1000", baseline: 0}
  - id: support
    title: Fewer tickets
    area: Product
    owner: Bob
    start: 2026-01-01
    due: 2026-03-31
    targets:
      - {metric: tickets, target: "<= 10", baseline: 50}
"""
STATUS_JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
2026-02-28,tickets,48,
2026-03-31,mrr,900,
"""
STATUS_TODAY = dt.date(2026, 3, 1)

# due: a monthly metric, a monthly review and a risk that cash triggers on 2026-02-15
DUE_GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  cash: {name: Cash, unit: USD}
goals:
  - id: revenue
    title: Revenue
    review: {monthly: Revenue review}
    targets:
      - {metric: mrr, target: 1000, due: 2026-12-31}
risks:
  - id: cash-low
    title: Cash is low
    when: "cash < 5000"
    actions: [cut costs]
"""
DUE_JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-01,cash,10000,
2026-02-15,cash,3000,
2026-02-28,mrr,300,
"""
