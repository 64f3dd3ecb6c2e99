"""`pull`: the metrics whose `source:` declares an adapter read their sources; what is new is
appended in one locked append and one commit (a value already recorded is skipped), or, on
any problem, nothing is. Programs run only where the user allowed them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.files import read_work_tree
from smartgoals.suggest import suggest
from smartgoals.views.exchange import PullView
from smartgoals.views.log import RefusedView
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, Entry, Refused, Written

BODY_LINES = 100


def declared_sources(
    root: Path, metrics: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """Metric id -> its adapter model, for every metric whose source is a mapping, read back
    from the goal files' YAML (definitions keep only its display text)."""
    from pydantic import ValidationError

    from smartgoals.ledger.sourcespec import parse_spec
    from smartgoals.ledger.yamlfile import parse_yaml

    files = read_work_tree(root, journal=False).files
    specs: dict[str, Any] = {}
    problems: list[Problem] = []
    docs: dict[str, Any] = {}
    for metric_id, metric in metrics.items():
        rel = metric.where.path
        if not metric.source or rel not in files:
            continue
        doc = docs.get(rel)
        if doc is None:
            doc = docs[rel] = parse_yaml(files[rel].decode("utf-8-sig", "replace"), rel)
        data = doc.data if isinstance(doc.data, dict) else {}
        found = data.get("metrics")
        body = found.get(metric_id) if isinstance(found, dict) else None
        source = body.get("source") if isinstance(body, dict) else None
        if not isinstance(source, dict):
            continue
        try:
            specs[metric_id] = (
                parse_spec(source),
                doc.locate(("metrics", metric_id, "source")),
                rel,
            )
        except ValidationError as exc:  # `check` reports it too
            line, column = doc.locate(("metrics", metric_id, "source"))
            problems.append(
                Problem(
                    rel, line, column, str(exc.errors()[0]["msg"]), f"metrics.{metric_id}.source"
                )
            )
    return specs, problems


def pull(
    root: Path,
    today: dt.date,
    chosen: Sequence[str] = (),
    dry_run: bool = False,
    allow_commands: bool = False,
    update: bool = False,
    environ: Mapping[str, str] | None = None,
) -> PullView | RefusedView:
    from smartgoals.ledger.loader import load_ledger
    from smartgoals.ledger.sourcespec import commands_allowed
    from smartgoals.sources.registry import runs_program
    from smartgoals.write.importplan import plan

    ledger = load_ledger(root)  # the journal is read once, here
    specs, problems = declared_sources(root, ledger.metrics)
    for metric_id in chosen:
        if metric_id not in ledger.metrics:
            raise InvalidInputError(
                f"unknown metric {metric_id!r}{suggest(metric_id, ledger.metrics)}"
            )
        if metric_id not in specs and not problems:
            raise InvalidInputError(
                f"{metric_id} declares no source to pull (source: {{json: FILE, path: ...}} and "
                "the other adapters: see README, Declared sources)"
            )
    selected = [m for m in (chosen or list(specs)) if m in specs]
    if not selected and not problems:
        raise InvalidInputError("no metric declares a source to pull (source: as a mapping)")
    allowed = allow_commands
    config = ""
    if not allowed and any(runs_program(specs[m][0].adapter) for m in selected):
        allowed, config = commands_allowed(root, environ if environ is not None else os.environ)
    observations = []
    left_out: list[str] = []
    for metric_id in selected:
        found, missed, trouble = _pull_one(root, today, ledger, metric_id, specs, (allowed, config))
        observations.extend(found)
        left_out.extend(missed)
        problems.extend(trouble)
    if problems:
        return RefusedView(tuple(problems))
    observations = _last_per_day(observations)
    planned = plan(observations, ledger.series, "", update)
    written: Written | None = None
    if planned.entries and not dry_run:
        done = commit_batch(
            root, Batch(planned.entries, message(planned.entries)), ledger.definitions
        )
        if isinstance(done, Refused):
            return RefusedView(done.problems)
        written = done
    return PullView(
        tuple(selected),
        planned.entries,
        planned.same,
        planned.conflicts,
        tuple(dict.fromkeys(left_out)),
        dry_run,
        update,
        written,
    )


def _pull_one(
    root: Path,
    today: dt.date,
    ledger: Any,
    metric_id: str,
    specs: dict[str, Any],
    allowed: tuple[bool, str],  # whether programs may run, and the config file that says so
) -> tuple[list[Any], list[str], list[Problem]]:
    """One metric's observations from its declared source, what the source left out, and its
    problems."""
    from smartgoals.importing.mapping import Observation
    from smartgoals.sources.common import Context, SourceError
    from smartgoals.sources.registry import pull_source, runs_program

    spec, (line, column), rel = specs[metric_id]
    metric = ledger.metrics[metric_id]
    field = f"metrics.{metric_id}.source"
    if metric.formula is not None:
        return (
            [],
            [],
            [Problem(rel, line, column, f"{metric_id} is derived: nothing to pull", field)],
        )
    if runs_program(spec.adapter) and not allowed[0]:
        message = (
            f"not run: the {spec.adapter} adapter runs a program, and this ledger is not "
            f"allowed to run programs: add {root.resolve()} to allow_commands: in "
            f"{allowed[1]}, or pass --allow-commands"
        )
        return [], [], [Problem(rel, line, column, message, field)]
    try:
        pulled = pull_source(spec, Context(root, metric, ledger.metrics, today))
    except SourceError as exc:
        return [], [], [Problem(rel, line, column, str(exc), field)]
    observations, problems = [], []
    for day, value in pulled.values:
        if day > today:
            problems.append(
                Problem(rel, line, column, f"{day.isoformat()} is in the future", field)
            )
            continue
        observations.append(Observation(metric, day, value))
    return observations, list(pulled.left_out), problems


def _last_per_day(observations: list[Any]) -> list[Any]:
    """One value per metric and day: a source that gives a day twice counts its last."""
    found: dict[tuple[str, dt.date], Any] = {}
    for item in observations:
        found[(item.metric.id, item.day)] = item
    return sorted(found.values(), key=lambda o: (o.day, o.metric.id))


def message(entries: tuple[Entry, ...]) -> str:
    """`pull: 3 values (linkedin_followers, revenue)`, then one line per value."""
    count = f"{len(entries)} value{'s' if len(entries) != 1 else ''}"
    names = ", ".join(dict.fromkeys(entry.metric.id for entry in entries))
    lines = [entry.summary for entry in entries[:BODY_LINES]]
    if len(entries) > BODY_LINES:
        lines.append(f"... and {len(entries) - BODY_LINES} more")
    return f"pull: {count} ({names})\n\n" + "\n".join(lines)
