"""`risks`: every risk's trigger, the values that decided it, and its actions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.evaluation import RiskStatus, evaluate
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import MetricDef
from smartgoals.periods import as_of_date


class RisksView(NamedTuple):
    as_of: dt.date
    risks: tuple[RiskStatus, ...]
    problems: tuple[Problem, ...]
    metrics: Mapping[str, MetricDef] = {}  # for the units of the values read

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def risks(root: Path, today: dt.date, as_of: str | None = None) -> RisksView:
    day = as_of_date(as_of, today)
    ledger = load_ledger(root, judged=True, until=day)  # the derived points evaluate reads
    return RisksView(day, evaluate(ledger, day).risks, ledger.problems, ledger.metrics)
