"""Running declared sources (sources.py): each adapter reads its file, database or program and
gives the metric's observations, or says what is wrong. Paths are the ledger's own: a path that
leaves the ledger (.., absolute, a symbolic link out) is refused."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.sourcespec import (
    BeancountSource,
    CommandSource,
    CsvSource,
    HledgerSource,
    JsonSource,
    SqliteSource,
)
from smartgoals.ledger.values import parse_value

MAX_SOURCE_BYTES = 200_000_000
MAX_OUTPUT_BYTES = 50_000_000


class SourceError(Exception):
    """What is wrong with one source: it becomes a problem at the metric's source."""


class Pulled(NamedTuple):
    values: list[tuple[dt.date, float]]
    left_out: list[str]


class Context(NamedTuple):
    root: Path
    metric: MetricDef
    metrics: Mapping[str, MetricDef]
    today: dt.date


def pull_source(spec: Any, context: Context) -> Pulled:
    """The observations one source gives now; SourceError says why it gives none."""
    reader: Callable[[Any, Context], Pulled] = _READERS[type(spec).__name__]
    return reader(spec, context)


def inside(root: Path, rel: str) -> Path:
    """rel as a file of the ledger; SourceError when it is absolute or leads out of it."""
    if os.path.isabs(rel):
        raise SourceError(f"{rel}: a source file is a path in the ledger, not an absolute one")
    base = root.resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base):
        raise SourceError(f"{rel}: leads out of the ledger")
    return path


def _read(path: Path, rel: str) -> bytes:
    from smartgoals.files import read_limited

    try:
        return read_limited(path, MAX_SOURCE_BYTES, rel)
    except ValueError as exc:
        raise SourceError(str(exc)) from None


def _value(raw: Any, metric: MetricDef, where: str) -> float:
    if isinstance(raw, bool) or raw is None or isinstance(raw, dict | list):
        raise SourceError(f"{where}: {json.dumps(raw)} is not a value")
    try:
        return parse_value(raw if isinstance(raw, str) else repr(raw), metric)
    except ValueError as exc:
        raise SourceError(f"{where}: {exc}") from None


def _day(raw: Any, where: str, date_format: str | None = None) -> dt.date:
    text = str(raw).strip()
    try:
        if date_format:
            return dt.datetime.strptime(text, date_format).date()
        if len(text) < 10 or (len(text) > 10 and text[10] not in "T "):
            raise ValueError
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise SourceError(
            f"{where}: {text!r} is not a date ({date_format or 'YYYY-MM-DD'})"
        ) from None


def _csv(spec: CsvSource, context: Context) -> Pulled:
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
        path = inside(root, rel)
        data = _read(path, rel)
        if spec.rules is not None:
            found = _with_rules(spec.rules, data, rel, context)
            values.extend(found.values)
            left_out.extend(found.left_out)
            continue
        import csv
        import io

        try:
            reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), strict=True)
            for row in reader:
                where = f"{rel}:{reader.line_num}"
                if spec.date not in row or spec.value not in row:
                    missing = spec.date if spec.date not in row else spec.value
                    raise SourceError(f"{rel}: no column {missing!r}")
                if not (row[spec.value] or "").strip():
                    continue
                day = _day(row[spec.date], where, spec.date_format)
                values.append((day, _value(row[spec.value].strip(), context.metric, where)))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise SourceError(f"{rel}: cannot read it as CSV ({exc})") from None
    return Pulled(values, left_out)


def _with_rules(rules_rel: str, data: bytes, rel: str, context: Context) -> Pulled:
    from smartgoals.importing.mapping import map_rows
    from smartgoals.importing.records import read_table
    from smartgoals.importing.rules import MetricColumn, parse_rules, resolve

    parsed, problems = parse_rules(_read(inside(context.root, rules_rel), rules_rel), rules_rel)
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


def _json(spec: JsonSource, context: Context) -> Pulled:
    from smartgoals.importing.records import locate

    path = inside(context.root, spec.json_file)
    try:
        data = json.loads(_read(path, spec.json_file).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{spec.json_file}: not valid JSON ({exc})") from None
    found, missing = locate(data, spec.path)
    if missing:
        raise SourceError(f"{spec.json_file}: path {missing}")
    value = _value(found, context.metric, f"{spec.json_file}: {spec.path}")
    if spec.date is not None:
        raw, missing = locate(data, spec.date)
        if missing:
            raise SourceError(f"{spec.json_file}: date {missing}")
        day = _day(raw, f"{spec.json_file}: {spec.date}")
    else:
        from smartgoals.vcs.log import file_commit_date

        committed, dirty = file_commit_date(path)
        day = context.today if dirty or committed is None else committed
    if day > context.today:
        raise SourceError(f"{spec.json_file}: {day.isoformat()} is in the future")
    return Pulled([(day, value)], [])


def _sqlite(spec: SqliteSource, context: Context) -> Pulled:
    import sqlite3

    path = inside(context.root, spec.sqlite)
    if not path.is_file():
        raise SourceError(f"{spec.sqlite}: no such database file")
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise SourceError(f"{spec.sqlite}: {exc}") from None
    try:
        rows = connection.execute(spec.query).fetchall()
    except sqlite3.Error as exc:
        raise SourceError(f"{spec.sqlite}: the query failed: {exc}") from None
    finally:
        connection.close()
    return Pulled(_pairs(rows, spec.sqlite, context), [])


def _pairs(rows: list[Any], where: str, context: Context) -> list[tuple[dt.date, float]]:
    values = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise SourceError(f"{where}: row {number} has {len(row)} columns, not (date, value)")
        if row[1] is None:
            continue
        values.append(
            (
                _day(row[0], f"{where}: row {number}"),
                _value(row[1], context.metric, f"{where}: row {number}"),
            )
        )
    return values


def _run(argv: list[str], cwd: Path, timeout: float, what: str) -> str:
    try:
        done = subprocess.run(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise SourceError(f"{what}: {argv[0]} is not installed (or not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"{what}: stopped after {timeout:g} s") from None
    except OSError as exc:
        raise SourceError(f"{what}: cannot run {argv[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        first = (done.stderr.decode("utf-8", "replace").strip().splitlines() or [""])[0]
        raise SourceError(f"{what}: exited with code {done.returncode}: {first}".rstrip(": "))
    if len(done.stdout) > MAX_OUTPUT_BYTES:
        raise SourceError(f"{what}: printed more than {MAX_OUTPUT_BYTES:,} bytes")
    return done.stdout.decode("utf-8", "replace")


def _hledger(spec: HledgerSource, context: Context) -> Pulled:
    import csv
    import io
    import shlex

    path = inside(context.root, spec.file)
    try:
        words = shlex.split(spec.hledger)
    except ValueError as exc:
        raise SourceError(f"hledger: {exc}") from None
    if not words or words[0] not in ("bal", "balance"):
        raise SourceError("hledger: the query is a balance report, starting with bal")
    argv = ["hledger", "-f", str(path), *words, "-O", "csv", "--layout=tidy"]
    text = _run(argv, context.root, 120.0, "hledger")
    totals: dict[dt.date, float] = {}
    commodities: set[str] = set()
    try:
        for row in csv.DictReader(io.StringIO(text)):
            end = _day(row["end_date"], "hledger")
            commodities.add(row.get("commodity", ""))
            totals[end] = totals.get(end, 0.0) + _value(
                row["value"].replace(",", ""), context.metric, "hledger"
            )
    except (KeyError, csv.Error) as exc:
        raise SourceError(f"hledger: unexpected output ({exc})") from None
    commodities.discard("")
    if len(commodities) > 1:
        raise SourceError(
            f"hledger: several commodities ({', '.join(sorted(commodities))}): convert them "
            "(-X USD) or narrow the query to one"
        )
    values, left_out = [], []
    for end, total in sorted(totals.items()):
        if end >= context.today:
            left_out.append(f"{context.metric.id}: the period ending {end.isoformat()} is not over")
        else:
            values.append((end, float(f"{total:.12g}")))
    return Pulled(values, left_out)


def _beancount(spec: BeancountSource, context: Context) -> Pulled:
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
    return Pulled(_pairs([_plain_row(row) for row in rows], "beancount", context), [])


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


def _command(spec: CommandSource, context: Context) -> Pulled:
    import shlex

    try:
        argv = shlex.split(spec.command)
    except ValueError as exc:
        raise SourceError(f"command: {exc}") from None
    if not argv:
        raise SourceError("command: empty")
    text = _run(argv, context.root, spec.timeout, f"command {argv[0]}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and "," not in lines[0]:
        return Pulled([(context.today, _value(lines[0], context.metric, "command"))], [])
    rows = []
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.lower().replace(" ", "") == "date,value":
            continue
        parts = line.split(",")
        rows.append(tuple(parts))
    return Pulled(_pairs(rows, "command", context), [])


_READERS: dict[str, Callable[[Any, Context], Pulled]] = {
    "CsvSource": _csv,
    "JsonSource": _json,
    "SqliteSource": _sqlite,
    "HledgerSource": _hledger,
    "BeancountSource": _beancount,
    "CommandSource": _command,
}
