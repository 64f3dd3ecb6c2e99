"""The csv adapter: CSV files in the ledger (one path or a glob), by date and value columns or
through an import rules file. Reads only files inside the ledger; writes nothing."""

from __future__ import annotations

import datetime as dt

from smartgoals.ledger.sourcespec import CsvSource
from smartgoals.sources.common import (
    Context,
    Pulled,
    SourceError,
    inside,
    read_bytes,
    to_day,
    to_value,
)

RUNS_PROGRAM = False


def read(spec: CsvSource, context: Context) -> Pulled:
    """Every row of every matching file, in file name order."""
    import glob

    root = context.root.resolve()
    paths = (
        sorted(glob.glob(spec.csv, root_dir=root))
        if any(c in spec.csv for c in "*?[")
        else [spec.csv]
    )
    if not paths:
        raise SourceError(f"{spec.csv}: no file matches")
    values: list[tuple[dt.date, float]] = []
    left_out: list[str] = []
    for rel in paths:
        data = read_bytes(inside(root, rel), rel)
        if spec.rules is not None:
            found = _with_rules(spec.rules, data, rel, context)
            values.extend(found.values)
            left_out.extend(found.left_out)
        else:
            values.extend(_columns(spec, data, rel, context))
    return Pulled(values, left_out)


def _columns(
    spec: CsvSource, data: bytes, rel: str, context: Context
) -> list[tuple[dt.date, float]]:
    import csv
    import io

    values = []
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True)
        for row in reader:
            where = f"{rel}:{reader.line_num}"
            if spec.date not in row or spec.value not in row:
                missing = spec.date if spec.date not in row else spec.value
                raise SourceError(f"{rel}: no column {missing!r}")
            if not (row[spec.value] or "").strip():
                continue
            day = to_day(row[spec.date], where, spec.date_format)
            values.append((day, to_value(row[spec.value].strip(), context.metric, where)))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SourceError(f"{rel}: cannot read it as CSV ({exc})") from None
    return values


def _with_rules(rules_rel: str, data: bytes, rel: str, context: Context) -> Pulled:
    from smartgoals.importing.mapping import map_rows
    from smartgoals.importing.records import read_table
    from smartgoals.importing.rules import MetricColumn, parse_rules, resolve

    rules_data = read_bytes(inside(context.root, rules_rel), rules_rel)
    parsed, problems = parse_rules(rules_data, rules_rel)
    rules = None
    if parsed is not None:
        rules, problems = resolve(parsed, rules_rel)
    if rules is None:
        raise SourceError("; ".join(str(p) for p in problems))
    wanted = [rules.date]
    for value in rules.values:
        wanted.extend([value.value] if value.value else [])
        if isinstance(value.metric, MetricColumn):
            wanted.append(value.metric.column)
    fmt = rules.format or ("json" if rel.lower().endswith(".json") else "csv")
    table, problems = read_table(data, rel, fmt, rules.delimiter, rules.records, wanted)
    if table is None or problems:
        raise SourceError("; ".join(str(p) for p in problems))
    mapped = map_rows(table, rules, dict(context.metrics), rel, context.today)
    if mapped.problems:
        raise SourceError("; ".join(str(p) for p in mapped.problems))
    values = [(o.day, o.value) for o in mapped.observations if o.metric.id == context.metric.id]
    return Pulled(values, mapped.left_out)
