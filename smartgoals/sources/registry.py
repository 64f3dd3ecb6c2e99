"""Every pull adapter by its kind (the key its `source:` mapping names): a new adapter is its
module here, one line below, and its declaration model in ledger/sourcespec.py."""

from __future__ import annotations

from typing import Any, Protocol

from smartgoals.sources import beancount, command, csvfile, hledger, jsonfile, sqlite
from smartgoals.sources.common import Context, Pulled


class Adapter(Protocol):
    """What each adapter module has."""

    RUNS_PROGRAM: bool  # it runs only where the user allowed programs for the ledger

    def read(self, spec: Any, context: Context) -> Pulled:
        """The observations the declared source gives now, or SourceError."""


ADAPTERS: dict[str, Adapter] = {
    "csv": csvfile,
    "json": jsonfile,
    "sqlite": sqlite,
    "hledger": hledger,
    "beancount": beancount,
    "command": command,
}


def runs_program(kind: str) -> bool:
    """Whether the adapter runs a program (so only where the user allowed programs)."""
    return ADAPTERS[kind].RUNS_PROGRAM


def pull_source(spec: Any, context: Context) -> Pulled:
    """The observations one source gives now; SourceError says why it gives none."""
    return ADAPTERS[spec.adapter].read(spec, context)
