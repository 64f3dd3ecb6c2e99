"""`export`: observations (recorded and derived) or the evaluated status of every target, as
rows for spreadsheets and other tools (CSV or JSON)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.selection import sort_goals
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.views.exchange import ExportView

WHATS = ("observations", "status")
OBSERVATION_COLUMNS = ("date", "metric", "value", "unit", "derived", "note")
STATUS_COLUMNS = (
    "goal",
    "goal_title",
    "area",
    "owner",
    "goal_status",
    "metric",
    "metric_name",
    "unit",
    "status",
    "current",
    "current_date",
    "target",
    "target_high",
    "op",
    "due",
    "baseline",
    "progress",
    "expected",
    "left",
    "stale",
    "derived",
    "plan",
    "basis_date",
    "value_at_basis",
    "variance",
    "variance_pct",
    "beyond_band",
    "score",
    "open_period",
    "why",
)


def export(
    root: Path,
    today: dt.date,
    what: str = "observations",
    as_of: str | None = None,
) -> ExportView:
    """Every observation dated on or before as_of (default today), derived ones marked; or
    every target's status at as_of, one row per target, as `status --json` computes it."""
    if what not in WHATS:
        raise InvalidInputError(f"--what: {what!r} is not observations or status")
    day = as_of_date(as_of, today)
    if what == "status":
        # the goals as `status` judges them at as_of, in its order
        ledger = load_ledger(root, judged=True, until=day)
        evaluation = sort_goals(evaluate(ledger, day), "area")
        return ExportView(what, day, STATUS_COLUMNS, status_rows(evaluation), ledger.problems)
    ledger = load_ledger(root)
    order = {metric_id: index for index, metric_id in enumerate(ledger.metrics)}
    found: list[tuple[dt.date, int, int, tuple[Any, ...]]] = []
    for metric_id, series in ledger.series.items():
        metric = ledger.metrics.get(metric_id)
        if metric is None:
            continue
        end = series.count_until(day)
        for i in range(end):
            value: Any = series.values[i]
            if metric.is_stage:
                value = metric.stage_name(value)
            row = (
                series.dates[i].isoformat(),
                metric_id,
                value,
                metric.unit if not metric.is_stage else "stage",
                metric.formula is not None,
                series.notes[i] if i < len(series.notes) else "",
            )
            found.append((series.dates[i], order.get(metric_id, len(order)), i, row))
    found.sort(key=lambda item: item[:3])
    rows = tuple(item[3] for item in found)
    return ExportView(what, day, OBSERVATION_COLUMNS, rows, ledger.problems)


def status_rows(evaluation: Any) -> tuple[tuple[Any, ...], ...]:
    """One row per target, its fields as `status --json` has them (rendering/data.py)."""
    from smartgoals.rendering.data import goal_data

    rows = []
    for goal in evaluation.goals:
        data = goal_data(goal)
        for target in data["targets"]:
            fields = {
                "goal": data["id"],
                "goal_title": data["title"],
                "area": data["area"],
                "owner": data["owner"],
                "goal_status": data["status"],
                **target,
            }
            rows.append(tuple(fields.get(column) for column in STATUS_COLUMNS))
    return tuple(rows)
