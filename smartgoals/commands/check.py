"""`check`: every problem of the ledger, all at once."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from ..errors import EXIT_INVALID, EXIT_OK
from ..ledger import Ledger
from ..loader import load_ledger


class CheckView(NamedTuple):
    ledger: Ledger

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.ledger.problems else EXIT_OK


def check(root: Path) -> CheckView:
    return CheckView(load_ledger(root))
