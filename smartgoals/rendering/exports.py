"""Numbers in and out: `export`'s CSV text (spreadsheet-safe, see exporting.py) and JSON rows;
what `import` and `pull` appended, skipped and found in conflict, as plain lines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smartgoals.commands.export import ExportView
    from smartgoals.commands.importing import ImportView
    from smartgoals.commands.pull import PullView


def export_csv(view: ExportView) -> str:
    from smartgoals.rendering.spreadsheet import csv_text

    return csv_text(view.columns, view.rows)


def export_json(view: ExportView) -> dict[str, Any]:
    """{"as_of", "what", "columns", "rows": [{column: value}]}: the same rows as the CSV, with
    numbers, booleans and nulls as JSON has them."""
    return {
        "as_of": view.as_of.isoformat(),
        "what": view.what,
        "columns": list(view.columns),
        "rows": [dict(zip(view.columns, row, strict=True)) for row in view.rows],
    }


def import_lines(view: ImportView) -> list[str]:
    """`import`: what was appended (with --dry-run: each journal row it would append), the
    conflicts, and what was skipped."""
    return transfer_lines(view, view.file, view.rules)


def pull_lines(view: PullView) -> list[str]:
    """`pull`: as import_lines, for the metrics' sources."""
    return transfer_lines(view, "sources of " + ", ".join(view.metrics), "")


def transfer_lines(view: Any, source: str, rules: str) -> list[str]:
    from smartgoals.quantity import format_value

    lines = []
    count = len(view.entries)
    values = f"{count} value{'s' if count != 1 else ''}"
    for conflict in view.conflicts:
        metric = conflict.metric
        old, new = (
            (metric.stage_name(v) or "-") if metric.is_stage else format_value(v, metric.unit)
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
