"""The sql adapter: one reading statement over a database the user connects to (PostgreSQL,
DuckDB files; sources/databases.py opens them).

The statement is checked before anything is sent: it starts with SELECT, WITH or VALUES and
nothing but blanks and comments follows its end, quotes, dollar quotes and comments read as
PostgreSQL reads them. It then runs in a READ ONLY transaction (so a function or a CTE that
writes fails on the server), with a statement timeout and a row limit. A metric's query returns
(day, value); smartgoals.yaml's `sources:` queries return (metric, day, value), one query for
many metrics. A day is a date, a timestamp's date in its own zone (PostgreSQL gives a
`timestamptz` in the session's TimeZone), or ISO text; a NULL value is skipped; a day twice with
two values is refused (aggregate in the query).
"""

from __future__ import annotations

import datetime as dt
import decimal
import os
import re
from collections.abc import Mapping
from typing import Any

from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.sourcespec import SqlSource
from smartgoals.sources.common import (
    Context,
    Pulled,
    PulledMany,
    SourceError,
    to_day,
    to_value,
)
from smartgoals.suggest import suggest

RUNS_PROGRAM = False

READING_STATEMENTS = ("SELECT", "WITH", "VALUES")


def read(spec: SqlSource, context: Context) -> Pulled:
    """The query's rows of (day, value) for the context's metric."""
    rows, skipped = run(spec, context.environ, 2)
    return Pulled(_values(rows, context.metric, _where(spec)), skipped, shown(spec))


def read_many(
    spec: SqlSource, metrics: Mapping[str, MetricDef], environ: Mapping[str, str] | None
) -> PulledMany:
    """A `sources:` query's rows of (metric, day, value), by metric."""

    rows, skipped = run(spec, environ, 3)
    where = _where(spec)
    by_metric: dict[str, list[tuple[Any, ...]]] = {}
    for number, raw_metric, day, value in rows:
        metric_id = str(raw_metric)
        if metric_id not in metrics:
            raise SourceError(
                f"{where}: row {number}: unknown metric {metric_id!r}{suggest(metric_id, metrics)}"
            )
        by_metric.setdefault(metric_id, []).append((number, day, value))
    values = {m: _values(found, metrics[m], where) for m, found in by_metric.items()}
    return PulledMany(values, skipped, shown(spec))


def shown(spec: SqlSource) -> str:
    """What `pull --dry-run` says it ran: the connection's name and the query."""
    return f"{_where(spec)}: {' '.join(spec.sql.split())}"


def _where(spec: SqlSource) -> str:
    return f"sql on {spec.connection}"


def run(
    spec: SqlSource, environ: Mapping[str, str] | None, width: int
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows with a value, each (its number from 1, its `width` columns), and what was
    left out."""
    from smartgoals.sources.databases import fetch, find_connection

    where = _where(spec)
    refusal = check_statement(spec.sql)
    if refusal:
        raise SourceError(f"{where}: query refused: {refusal}")
    connection = find_connection(spec.connection, environ if environ is not None else os.environ)
    fetched = fetch(connection, spec.sql, spec.timeout, spec.max_rows)
    if len(fetched.rows) > spec.max_rows:
        raise SourceError(
            f"{where}: the query returns more than {spec.max_rows:,} rows (max_rows:); "
            "narrow it with WHERE or aggregate it"
        )
    if len(fetched.columns) != width:
        wanted = "(day, value)" if width == 2 else "(metric, day, value)"
        count = len(fetched.columns)
        raise SourceError(f"{where}: the query returns {count} columns, not {wanted}")
    numbered = enumerate(fetched.rows, start=1)
    kept = [(number, *row) for number, row in numbered if row[-1] is not None]
    nulls = len(fetched.rows) - len(kept)
    plural = "s" if nulls != 1 else ""
    skipped = [f"{where}: {nulls} row{plural} with a NULL value skipped"] if nulls else []
    return kept, skipped


def _values(
    rows: list[tuple[Any, ...]], metric: MetricDef, where: str
) -> list[tuple[dt.date, float]]:
    """(row number, day, value) rows as observations; a day twice must repeat its value."""
    found: dict[dt.date, float] = {}
    for number, raw_day, raw_value in rows:
        at = f"{where}: row {number}"
        day = day_of(raw_day, at)
        if isinstance(raw_value, decimal.Decimal):  # NUMERIC: its digits, as log reads them
            raw_value = str(raw_value)
        value = to_value(raw_value, metric, at)
        if found.get(day, value) != value:
            raise SourceError(
                f"{at}: {metric.id} on {day.isoformat()} twice, with two values; aggregate in "
                "the query (GROUP BY)"
            )
        found[day] = value
    return sorted(found.items())


def day_of(raw: Any, where: str) -> dt.date:
    """A date as it is, a timestamp's date in its own zone, or text as log reads it."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if raw is None:
        raise SourceError(f"{where}: the day is NULL")
    return to_day(raw, where)


def check_statement(sql: str) -> str | None:
    """Why sql is not one reading statement, or None."""
    start = _skip_blank(sql, 0)
    if start < 0:
        return "a comment is not closed"
    word = re.match(r"[A-Za-z_]*", sql[start:])
    first = word.group().upper() if word else ""
    if first not in READING_STATEMENTS:
        shown = f"it starts with {first}" if first else "it is empty"
        return f"{shown}; a sql source runs one SELECT"
    end = _statement_end(sql)
    if end is None:
        return "a quote or a comment is not closed"
    rest = _skip_blank(sql, end + 1)
    if rest < 0:
        return "a comment is not closed"
    if rest < len(sql):
        return "a second statement follows the first; a sql source runs one SELECT"
    return None


def _statement_end(sql: str) -> int | None:
    """The index of the `;` that ends the first statement (len(sql) when none does), reading
    '...', E'...', "...", $tag$...$tag$, -- and nested /* */ as PostgreSQL does; None when one
    is not closed."""
    index = 0
    while index < len(sql):
        char = sql[index]
        if char == ";":
            return index
        if char in "'\"":
            escapes = char == "'" and index > 0 and sql[index - 1] in "eE"
            index = _quoted_end(sql, index, char, escapes)
        elif sql.startswith("--", index) or sql.startswith("/*", index):
            index = _comment_end(sql, index) - 1
        elif char == "$":
            tag = re.match(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$", sql[index:])
            if tag:
                close = sql.find(tag.group(), index + len(tag.group()))
                if close < 0:
                    return None
                index = close + len(tag.group()) - 1
        if index < 0:
            return None
        index += 1
    return len(sql)


def _quoted_end(sql: str, index: int, quote: str, escapes: bool) -> int:
    """The index of the quote that closes the one at index; -1 when none does."""
    index += 1
    while index < len(sql):
        if escapes and sql[index] == "\\":
            index += 2
            continue
        if sql[index] == quote:
            if sql.startswith(quote * 2, index):
                index += 2
                continue
            return index
        index += 1
    return -1


def _skip_blank(text: str, index: int) -> int:
    """The index of the first character from index on that is not a blank or in a comment;
    -1 when a comment is not closed."""
    while 0 <= index < len(text):
        if text[index].isspace():
            index += 1
        elif text.startswith("--", index) or text.startswith("/*", index):
            index = _comment_end(text, index)
        else:
            break
    return index


def _comment_end(text: str, index: int) -> int:
    """The index just after the comment at index (block comments nest, as in PostgreSQL);
    -1 when a block comment is not closed."""
    if text.startswith("--", index):
        end = text.find("\n", index)
        return len(text) if end < 0 else end + 1
    depth, index = 1, index + 2
    while index < len(text) and depth:
        if text.startswith("/*", index):
            depth, index = depth + 1, index + 2
        elif text.startswith("*/", index):
            depth, index = depth - 1, index + 2
        else:
            index += 1
    return index if depth == 0 else -1
