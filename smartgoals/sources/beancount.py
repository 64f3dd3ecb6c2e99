"""The beancount adapter: one BQL SELECT over a Beancount ledger in the ledger, through
Beancount's Python API (optional: smartgoals[beancount]). Its plugins are Python code, so it runs
only where the user allowed programs; it never writes Beancount's pickle cache next to the file."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from smartgoals.ledger.sourcespec import BeancountSource
from smartgoals.sources.common import Context, Pulled, SourceError, inside, to_pairs

RUNS_PROGRAM = True


def read(spec: BeancountSource, context: Context) -> Pulled:
    """The query's rows of (date, value)."""
    path = inside(context.root, spec.file)
    try:
        from beancount import loader  # type: ignore[import-not-found, import-untyped, unused-ignore]
        from beanquery import parser, query  # type: ignore[import-not-found, import-untyped, unused-ignore]
    except ImportError:
        raise SourceError(
            "beancount: not installed; pip install 'smartgoals[beancount]' adds Beancount and "
            "beanquery"
        ) from None
    _refuse_all_but_select(parser, spec.beancount)
    # load_file writes (or, with BEANCOUNT_DISABLE_LOAD_CACHE, deletes) a .picklecache file
    # beside the ledger; the uncached loader behind it only reads.
    load = loader._uncached_load_file
    entries, errors, options = load(str(path), None, None, None)  # type: ignore[no-untyped-call, unused-ignore]
    if errors:
        raise SourceError(
            f"beancount: {spec.file} has {len(errors)} errors (bean-check lists them)"
        )
    try:
        _types, rows = query.run_query(entries, options, spec.beancount)
    except Exception as exc:  # beanquery raises its own error types
        raise SourceError(f"beancount: the query failed: {exc}") from None
    return Pulled(to_pairs([_plain_row(row) for row in rows], "beancount", context), [])


def _refuse_all_but_select(parser: Any, text: str) -> None:
    """BQL also has CREATE TABLE ... USING 'csv:PATH' (a file anywhere) and INSERT: a source
    runs one of the statements that only read the loaded entries."""
    try:
        # run_query formats the text before it parses it: check what it will run
        statement = parser.parse(text.format())
    except Exception as exc:  # beanquery's ParseError; run_query would fail the same way
        raise SourceError(f"beancount: the query failed: {exc}") from None
    if not isinstance(statement, parser.ast.Select | parser.ast.Balances | parser.ast.Journal):
        kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type(statement).__name__).upper()
        raise SourceError(f"beancount: query refused: {kind}; a source runs one SELECT")


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
