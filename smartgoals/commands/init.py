"""`init`: a new ledger, with a starter goal file, a journal, schemas and git."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.write.scaffold import Initialized, init_ledger


class InitView(NamedTuple):
    directory: Path
    done: Initialized

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def init(directory: Path, today: dt.date, team: bool = False) -> InitView:
    quarter = (today.month - 1) // 3 + 1
    return InitView(directory, init_ledger(directory, today.year, quarter, team))
