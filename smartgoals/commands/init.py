"""`init`: a new ledger, with a starter goal file, a journal, schemas and git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.views.init import InitView
from smartgoals.write.scaffold import init_ledger


def init(directory: Path, today: dt.date, team: bool = False) -> InitView:
    quarter = (today.month - 1) // 3 + 1
    return InitView(directory, init_ledger(directory, today.year, quarter, team))
