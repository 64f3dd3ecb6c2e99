"""`export`: observations (recorded and derived) or the evaluated status of every target, as
rows for spreadsheets and other tools (CSV or JSON); with --to CONNECTION (publish), the
observations, every target's judgement and the goals' scores written into three tables of the
user's own database (docs/dashboards.md has their schema), created if absent and upserted by
their natural keys in one transaction. The judgements are `status --json`'s (status_rows), so a
dashboard never disagrees with the terminal. Only a connection the user defined is written to."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.selection import sort_goals
from smartgoals.errors import DatabaseError, InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.periods import as_of_date
from smartgoals.rendering.data import goal_data
from smartgoals.views.exchange import ExportView, PublishView

WHATS = ("observations", "status")
OBSERVATION_COLUMNS = ("date", "metric", "value", "unit", "derived", "note")
STATUS_COLUMNS = (
    "goal",
    "goal_title",
    "area",
    "owner",
    "goal_status",
    "goal_declared",  # the goal's declared state (state:), beside goal_status
    "goal_disagreement",  # where the two disagree, the engine's words
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
    "mix",  # a mix's parts (JSON: as status --json has them; CSV: that JSON as text)
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


def status_rows(
    evaluation: Any, columns: tuple[str, ...] = STATUS_COLUMNS
) -> tuple[tuple[Any, ...], ...]:
    """One row per target, its fields as `status --json` has them (rendering/data.py): these
    columns (`export --to` asks for plan too)."""

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
                "goal_declared": (data["declared"] or {}).get("state"),
                "goal_disagreement": (data["declared"] or {}).get("disagreement"),
                **target,
            }
            rows.append(tuple(fields.get(column) for column in columns))
    return tuple(rows)


OBSERVATIONS = (
    ("metric", "TEXT NOT NULL"),
    ("day", "DATE NOT NULL"),
    ("value", "DOUBLE PRECISION"),
    ("unit", "TEXT"),
    ("derived", "BOOLEAN NOT NULL"),
    ("note", "TEXT"),
)
JUDGEMENTS = (
    ("as_of", "DATE NOT NULL"),
    ("goal", "TEXT NOT NULL"),
    ("target", "INTEGER NOT NULL"),  # the target's place in its goal, from 1
    ("area", "TEXT"),
    ("owner", "TEXT"),
    ("metric", "TEXT NOT NULL"),
    ("status", "TEXT NOT NULL"),
    ("value", "DOUBLE PRECISION"),
    ("value_date", "DATE"),
    ("plan", "DOUBLE PRECISION"),
    ("variance", "DOUBLE PRECISION"),
    ("progress", "DOUBLE PRECISION"),
    ("target_value", "DOUBLE PRECISION"),
    ("due", "DATE"),
)
JUDGEMENT_FIELDS = ("metric", "status", "current", "current_date", "plan", "progress", "target")
GOALS = (
    ("as_of", "DATE NOT NULL"),
    ("goal", "TEXT NOT NULL"),
    ("title", "TEXT"),
    ("area", "TEXT"),
    ("owner", "TEXT"),
    ("status", "TEXT NOT NULL"),
    ("score", "DOUBLE PRECISION"),
    ("due", "DATE"),
)


def publish(
    root: Path,
    today: dt.date,
    to: str,
    as_of: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> PublishView:
    """Write the three tables to the connection the user defined as `to`; with problems in
    the ledger, nothing is written."""
    from smartgoals.sources.common import SourceError
    from smartgoals.sources.databases import Table, find_connection, write_tables

    try:  # an undefined name is refused before the ledger is evaluated
        connection = find_connection(to, environ if environ is not None else os.environ)
    except SourceError as exc:
        raise DatabaseError(f"export --to: {exc}") from None
    day = as_of_date(as_of, today)
    ledger = load_ledger(root, judged=True, until=day)
    if ledger.problems:
        return PublishView(to, day, 0, 0, 0, tuple(ledger.problems))
    evaluation = sort_goals(evaluate(ledger, day), "area")
    observations = observation_rows(ledger, day)
    judgements = judgement_rows(evaluation, day)
    goals = goal_rows(evaluation, day)
    tables = [
        Table("smartgoals_observations", OBSERVATIONS, ("metric", "day"), observations),
        Table("smartgoals_judgements", JUDGEMENTS, ("as_of", "goal", "target"), judgements),
        Table("smartgoals_goals", GOALS, ("as_of", "goal"), goals),
    ]
    try:
        write_tables(connection, tables)
    except SourceError as exc:
        raise DatabaseError(f"export --to: {exc}") from None
    return PublishView(to, day, len(observations), len(judgements), len(goals), ())


def observation_rows(ledger: Any, day: dt.date) -> list[tuple[Any, ...]]:
    """Every value on or before day, recorded and derived, the last one of each day."""
    found: dict[tuple[str, dt.date], tuple[Any, ...]] = {}
    for metric_id, series in ledger.series.items():
        metric = ledger.metrics.get(metric_id)
        if metric is None:
            continue
        unit = "stage" if metric.is_stage else metric.unit
        for i in range(series.count_until(day)):
            note = series.notes[i] if i < len(series.notes) else ""
            found[(metric_id, series.dates[i])] = (
                metric_id,
                series.dates[i],
                float(series.values[i]),
                unit,
                metric.formula is not None,
                note,
            )
    return list(found.values())


def judgement_rows(evaluation: Any, day: dt.date) -> list[tuple[Any, ...]]:
    """One row per target, from export's status rows (status --json's data)."""
    rows = []
    number: dict[str, int] = {}
    keys = ("goal", "area", "owner", *JUDGEMENT_FIELDS, "due")
    for row in status_rows(evaluation, keys):
        fields = dict(zip(keys, row, strict=True))
        number[fields["goal"]] = number.get(fields["goal"], 0) + 1
        value, plan = _number(fields["current"]), _number(fields["plan"])
        progress = _number(fields["progress"])
        rows.append(
            (
                day,
                fields["goal"],
                number[fields["goal"]],
                fields["area"],
                fields["owner"],
                fields["metric"],
                fields["status"],
                value,
                _day(fields["current_date"]),
                plan,
                None if value is None or plan is None else value - plan,
                None if progress is None else min(max(progress, 0.0), 1.0),
                _number(fields["target"]),
                _day(fields["due"]),
            )
        )
    return rows


def goal_rows(evaluation: Any, day: dt.date) -> list[tuple[Any, ...]]:
    rows = []
    for goal in evaluation.goals:
        data = goal_data(goal)
        rows.append(
            (
                day,
                data["id"],
                data["title"],
                data["area"],
                data["owner"],
                data["status"],
                _number(data["score"]),
                _day(data["due"]),
            )
        )
    return rows


def _number(value: Any) -> float | None:
    """A number as a float; text (a stage's name), None and booleans as None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) and value else None
