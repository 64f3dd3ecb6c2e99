"""`export`'s output: CSV text (spreadsheet-safe, see exporting.py) or JSON rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..commands.export import ExportView


def export_csv(view: ExportView) -> str:
    from ..exporting import csv_text

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
