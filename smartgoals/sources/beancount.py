"""The beancount adapter: a BQL query over a Beancount ledger in the ledger, through Beancount's
Python API (optional: smartgoals[beancount]). Its plugins are Python code, so it runs only where
the user allowed programs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from smartgoals.ledger.sourcespec import BeancountSource
from smartgoals.sources.common import Context, Pulled, SourceError, inside, to_pairs

RUNS_PROGRAM = True


def read(spec: BeancountSource, context: Context) -> Pulled:
    """The query's rows of (date, value)."""
    path = inside(context.root, spec.file)
    try:
        from beancount import loader  # type: ignore[import-not-found, import-untyped, unused-ignore]
        from beanquery import query  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise SourceError(
            "beancount: not installed; pip install 'smartgoals[beancount]' adds Beancount and "
            "beanquery"
        ) from None
    entries, errors, options = loader.load_file(str(path))
    if errors:
        raise SourceError(
            f"beancount: {spec.file} has {len(errors)} errors (bean-check lists them)"
        )
    try:
        _types, rows = query.run_query(entries, options, spec.beancount)
    except Exception as exc:  # beanquery raises its own error types
        raise SourceError(f"beancount: the query failed: {exc}") from None
    return Pulled(to_pairs([_plain_row(row) for row in rows], "beancount", context), [])


def _plain_row(row: Any) -> tuple[Any, ...]:
    """beanquery rows hold Decimals, Amounts and Inventories: numbers as text."""
    cells = []
    for cell in row:
        number = getattr(cell, "number", None)
        if number is not None:
            cell = number
        elif hasattr(cell, "get_positions"):
            positions = cell.get_positions()
            cell = positions[0].units.number if len(positions) == 1 else None
        cells.append(str(cell) if cell is not None and not isinstance(cell, dt.date) else cell)
    return tuple(cells)
