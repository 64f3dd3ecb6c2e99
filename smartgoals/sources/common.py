"""What every pull adapter shares: the context it reads in, what it gives back, its one error,
and the helpers that keep paths in the ledger and turn cells into dates and values."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.files import read_limited
from smartgoals.ledger.model import MetricDef
from smartgoals.ledger.values import parse_value

MAX_SOURCE_BYTES = 200_000_000
MAX_OUTPUT_BYTES = 50_000_000


class SourceError(Exception):
    """What is wrong with one source: it becomes a problem at the metric's source."""


class Pulled(NamedTuple):
    values: list[tuple[dt.date, float]]
    left_out: list[str]
    shown: str = ""  # what pull --dry-run says the source ran (the sql adapter's query)


class PulledMany(NamedTuple):
    """What a source that gives several metrics gives (smartgoals.yaml's sources:)."""

    values: dict[str, list[tuple[dt.date, float]]]  # by metric id
    left_out: list[str]
    shown: str = ""


class Context(NamedTuple):
    root: Path
    metric: MetricDef
    metrics: Mapping[str, MetricDef]
    today: dt.date
    environ: Mapping[str, str] | None = None  # the sql adapter's connections; None: os.environ


def inside(root: Path, rel: str) -> Path:
    """rel as a file of the ledger; SourceError when it is absolute or leads out of it."""
    if os.path.isabs(rel):
        raise SourceError(f"{rel}: a source file is a path in the ledger, not an absolute one")
    base = root.resolve()
    path = (base / rel).resolve()
    if not path.is_relative_to(base):
        raise SourceError(f"{rel}: leads out of the ledger")
    return path


def read_bytes(path: Path, rel: str) -> bytes:
    """A source file's bytes, at most MAX_SOURCE_BYTES."""

    try:
        return read_limited(path, MAX_SOURCE_BYTES, rel)
    except ValueError as exc:
        raise SourceError(str(exc)) from None


def to_value(raw: Any, metric: MetricDef, where: str) -> float:
    """A cell as the metric's value; SourceError naming `where` when it is not one."""
    if isinstance(raw, bool) or raw is None or isinstance(raw, dict | list):
        raise SourceError(f"{where}: {json.dumps(raw)} is not a value")
    try:
        return parse_value(raw if isinstance(raw, str) else repr(raw), metric)
    except ValueError as exc:
        raise SourceError(f"{where}: {exc}") from None


def to_day(raw: Any, where: str, date_format: str | None = None) -> dt.date:
    """A cell as a date: ISO (a timestamp's day counts) or date_format."""
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


def to_pairs(rows: list[Any], where: str, context: Context) -> list[tuple[dt.date, float]]:
    """Rows of (date, value) as observations; a row whose value is empty is skipped."""
    values = []
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise SourceError(f"{where}: row {number} has {len(row)} columns, not (date, value)")
        if row[1] is None:
            continue
        values.append(
            (
                to_day(row[0], f"{where}: row {number}"),
                to_value(row[1], context.metric, f"{where}: row {number}"),
            )
        )
    return values


def run_program(argv: list[str], cwd: Path, timeout: float, what: str) -> str:
    """A program's standard output: no shell, no input, a timeout and a size cap."""
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
