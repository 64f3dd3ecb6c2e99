"""`log`: record one value (validate -> lock -> append -> commit, or nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from ..errors import EXIT_OK, InvalidInputError
from ..recording import Recorded, record


class RecordedView(NamedTuple):
    recorded: Recorded

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def log(
    root: Path,
    today: dt.date,
    metric: str,
    value: str,
    date: str | None = None,
    note: str = "",
    commit: bool = True,
) -> RecordedView:
    if value.startswith("--"):
        raise InvalidInputError(f"unknown option {value!r}")
    return RecordedView(record(root, metric, value, today, date, note, commit=commit))
