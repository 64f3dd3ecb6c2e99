"""The views of numbers in and out: `export`'s rows as CSV text (spreadsheet-safe, see
rendering/spreadsheet.py) or JSON; what `import` and `pull` appended, skipped and found in
conflict, as plain lines."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.quantity import format_value
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.spreadsheet import csv_text
from smartgoals.write.importplan import Conflict
from smartgoals.write.recording import Entry, Written


class ExportView(NamedTuple):
    what: str  # observations | status
    as_of: dt.date
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    problems: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


class ImportView(NamedTuple):
    file: str  # the file's name
    rules: str  # the preset's or the rules file's name
    entries: tuple[Entry, ...]  # appended (or, with dry_run, to append)
    same: int  # already in the journal
    conflicts: tuple[Conflict, ...]
    skipped_rows: int  # rows whose metric column maps to no metric
    left_out: tuple[str, ...]
    dry_run: bool
    update: bool
    written: Written | None  # None: nothing was written

    @property
    def exit_code(self) -> int:
        return EXIT_OK


class PullView(NamedTuple):
    metrics: tuple[str, ...]  # the metrics pulled
    entries: tuple[Entry, ...]
    same: int
    conflicts: tuple[Conflict, ...]
    left_out: tuple[str, ...]
    dry_run: bool
    update: bool
    written: Written | None
    queries: tuple[str, ...] = ()  # with dry_run: what each query source ran

    @property
    def exit_code(self) -> int:
        return EXIT_OK


class PublishView(NamedTuple):
    connection: str  # its name, never its URL
    as_of: dt.date
    observations: int
    judgements: int
    goals: int
    problems: tuple[Problem, ...]  # in the ledger: then nothing was written

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def publish_lines(view: PublishView, display: Display) -> list[str]:
    """`export --to`: what was written where, or that nothing was."""
    if view.problems:
        count = len(view.problems)
        return [f"nothing was written to {view.connection}: {count} problem{'s'[: count - 1]}"]
    return [
        f"wrote to {view.connection} as of {view.as_of.isoformat()}: "
        f"{view.observations:,} observations (smartgoals_observations), {view.judgements:,} "
        f"judgements (smartgoals_judgements), {view.goals:,} goals (smartgoals_goals)"
    ]


def publish_json(view: PublishView, display: Display) -> dict[str, Any]:
    return {
        "connection": view.connection,
        "as_of": view.as_of.isoformat(),
        "written": None
        if view.problems
        else {
            "smartgoals_observations": view.observations,
            "smartgoals_judgements": view.judgements,
            "smartgoals_goals": view.goals,
        },
    }


def export_csv(view: ExportView) -> str:
    """The rows as CSV; a mix's parts (a mapping) as compact JSON text in their cell."""
    rows = tuple(
        tuple(_cell(value) for value in row) if any(type(v) is dict for v in row) else row
        for row in view.rows
    )
    return csv_text(view.columns, rows)


def _cell(value: Any) -> Any:
    if type(value) is not dict:
        return value
    import json

    return json.dumps(value, separators=(",", ":"))


def export_json(view: ExportView, display: Display) -> dict[str, Any]:
    """{"as_of", "what", "columns", "rows": [{column: value}]}: the same rows as the CSV, with
    numbers, booleans and nulls as JSON has them."""
    return {
        "as_of": view.as_of.isoformat(),
        "what": view.what,
        "columns": list(view.columns),
        "rows": [dict(zip(view.columns, row, strict=True)) for row in view.rows],
    }


def import_lines(view: ImportView, display: Display) -> list[str]:
    """`import`: what was appended (with --dry-run: each journal row it would append), the
    conflicts, and what was skipped."""
    return transfer_lines(view, view.file, view.rules)


def pull_lines(view: PullView, display: Display) -> list[str]:
    """`pull`: as import_lines, for the metrics' sources; with --dry-run, each query first."""
    ran = [f"query: {query}" for query in view.queries]
    named = ", ".join(view.metrics) if len(view.metrics) <= 10 else f"{len(view.metrics)} metrics"
    return ran + transfer_lines(view, "sources of " + named, "")


def transfer_lines(view: Any, source: str, rules: str) -> list[str]:
    lines = []
    count = len(view.entries)
    values = f"{count} value{'s' if count != 1 else ''}"
    for conflict in view.conflicts:
        metric = conflict.metric
        old, new = (
            (metric.stage_name(v) or "-")
            if metric.is_stage
            else format_value(v, metric.unit, metric.precision)
            for v in (conflict.old, conflict.new)
        )
        then = "appended as a correction" if view.update else "not appended (--update corrects it)"
        lines.append(
            f"conflict: {metric.id} on {conflict.day.isoformat()}: the journal has {old}, "
            f"{source} {new}: {then}"
        )
    lines.extend(f"left out: {reason}" for reason in view.left_out)
    where = f"{source} ({rules})" if rules else source
    if view.dry_run and view.entries:
        lines.append(f"would append {values} from {where}:")
        lines.extend(entry.row.rstrip("\n") for entry in view.entries)
    elif view.written is None and not view.entries:
        lines.append(f"nothing new from {where}")
    elif view.written.commit:
        lines.append(f"{values} from {where}: committed {view.written.commit[:10]}")
    else:
        lines.append(f"{values} from {where}: not committed ({view.written.not_committed_reason})")
    extra = []
    if view.same:
        extra.append(f"{view.same} already recorded")
    if getattr(view, "skipped_rows", 0):
        extra.append(f"{view.skipped_rows} rows of other kinds")
    if extra:
        lines.append("skipped: " + "; ".join(extra))
    return lines


FORMS: dict[type, dict[Format, Form]] = {
    ExportView: {Format.JSON: export_json},  # the CSV is written by the cli: export_csv
    ImportView: {Format.PLAIN: import_lines},
    PullView: {Format.PLAIN: pull_lines},
    PublishView: {Format.PLAIN: publish_lines, Format.JSON: publish_json},
}
