"""Every pull adapter by its kind (the key its `source:` mapping names): a new adapter is its
module here, one line below, and its declaration model in ledger/sourcespec.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from smartgoals.ledger.model import MetricDef
from smartgoals.sources import beancount, command, csvfile, hledger, jsonfile, sql, sqlite
from smartgoals.sources.common import Context, Pulled, PulledMany


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
    "sql": sql,
}


def runs_program(kind: str) -> bool:
    """Whether the adapter runs a program (so only where the user allowed programs)."""
    return ADAPTERS[kind].RUNS_PROGRAM


def pull_source(spec: Any, context: Context) -> Pulled:
    """The observations one source gives now; SourceError says why it gives none."""
    return ADAPTERS[spec.adapter].read(spec, context)


def pull_shared(spec: Any, metrics: Mapping[str, MetricDef], environ: Any) -> PulledMany:
    """The observations of a source that gives several metrics (smartgoals.yaml's sources:,
    all sql sources); SourceError says why it gives none."""
    return sql.read_many(spec, metrics, environ)
