"""`pull`: the metrics whose `source:` declares an adapter read their sources; what is new is
appended in one locked append and one commit (a value already recorded is skipped), or, on
any problem, nothing is. Programs run only where the user allowed them."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.files import SETTINGS, read_work_tree
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
    from smartgoals.write.importplan import plan

    ledger = load_ledger(root)  # the journal is read once, here
    specs, problems = declared_sources(root, ledger.metrics)
    shared = shared_sources(root)
    for metric_id in chosen:
        if metric_id not in ledger.metrics:
            raise InvalidInputError(
                f"unknown metric {metric_id!r}{suggest(metric_id, ledger.metrics)}"
            )
        if metric_id not in specs and not problems and not shared:
            raise InvalidInputError(
                f"{metric_id} declares no source to pull (source: {{json: FILE, path: ...}} and "
                "the other adapters: see docs/import-and-pull.md)"
            )
    selected = [m for m in (chosen or list(specs)) if m in specs]
    if not selected and not problems and not shared:
        raise InvalidInputError("no metric declares a source to pull (source: as a mapping)")
    read = _read_sources(
        root, ledger.metrics, selected, specs, today, allow_commands, environ, shared, chosen
    )
    problems.extend(read.problems)
    observations, left_out = read.observations, read.left_out
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
        tuple(dict.fromkeys([*selected, *read.pulled])),
        planned.entries,
        planned.same,
        planned.conflicts,
        tuple(dict.fromkeys(left_out)),
        dry_run,
        update,
        written,
        tuple(read.shown) if dry_run else (),
    )


class Read(NamedTuple):
    observations: list[Any]
    problems: list[Problem]
    left_out: list[str]
    shown: list[str]  # what each query source ran, for --dry-run
    pulled: list[str]  # the metrics a shared source gave values for


def shared_sources(root: Path) -> list[tuple[Any, tuple[int, int]]]:
    """smartgoals.yaml's sources: (queries that give several metrics), each with its place."""
    from pydantic import ValidationError

    from smartgoals.ledger.goalfile import Settings
    from smartgoals.ledger.yamlfile import parse_yaml

    # the settings record keeps plain values; the queries' models and places are read here,
    # where they are run (`check` reports a bad `sources:` with the rest of the settings)
    try:
        text = (root / SETTINGS).read_text(encoding="utf-8-sig", errors="replace")
    except OSError:
        return []
    doc = parse_yaml(text, SETTINGS)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not data.get("sources"):
        return []
    try:
        found = Settings.model_validate({"sources": data["sources"]}).sources or []
    except ValidationError:
        return []
    return [(spec, doc.locate(("sources", index))) for index, spec in enumerate(found)]


def _read_sources(
    root: Path,
    metrics: Mapping[str, Any],
    selected: list[str],
    specs: dict[str, Any],
    today: dt.date,
    allow_commands: bool,
    environ: Mapping[str, str] | None,
    shared: list[tuple[Any, tuple[int, int]]],
    chosen: Sequence[str],
) -> Read:
    """Every selected metric's source read, then smartgoals.yaml's shared sources (only the
    chosen metrics' values when some are chosen); programs only where the user allowed them."""
    from smartgoals.ledger.sourcespec import commands_allowed
    from smartgoals.sources.common import Context, PulledMany, SourceError
    from smartgoals.sources.registry import pull_shared, pull_source, runs_program

    read = Read([], [], [], [], [])
    allowed, config = allow_commands, ""
    if not allowed and any(runs_program(specs[m][0].adapter) for m in selected):
        allowed, config = commands_allowed(root, environ if environ is not None else os.environ)
    for metric_id in selected:
        spec, (line, column), rel = specs[metric_id]
        metric = metrics[metric_id]
        field = f"metrics.{metric_id}.source"
        if metric.formula is not None:
            read.problems.append(
                Problem(rel, line, column, f"{metric_id} is derived: nothing to pull", field)
            )
            continue
        if runs_program(spec.adapter) and not allowed:
            read.problems.append(
                Problem(
                    rel,
                    line,
                    column,
                    f"not run: the {spec.adapter} adapter runs a program, and this ledger is not "
                    f"allowed to run programs: add {root.resolve()} to allow_commands: in "
                    f"{config}, or pass --allow-commands",
                    field,
                )
            )
            continue
        try:
            pulled = pull_source(spec, Context(root, metric, metrics, today, environ))
        except SourceError as exc:
            read.problems.append(Problem(rel, line, column, str(exc), field))
            continue
        many = PulledMany({metric_id: pulled.values}, pulled.left_out, pulled.shown)
        _take(read, many, metrics, today, (rel, line, column, field))
    for index, (spec, (line, column)) in enumerate(shared):
        place = (SETTINGS, line, column, f"sources[{index}]")
        try:
            many = pull_shared(spec, metrics, environ)
        except SourceError as exc:
            read.problems.append(Problem(SETTINGS, line, column, str(exc), place[3]))
            continue
        if chosen:
            many = many._replace(values={m: v for m, v in many.values.items() if m in chosen})
        _take(read, many, metrics, today, place)
        read.pulled.extend(many.values)
    return read


def _take(
    read: Read,
    many: Any,
    metrics: Mapping[str, Any],
    today: dt.date,
    place: tuple[str, int, int, str],
) -> None:
    """A source's values as observations (a day in the future is a problem)."""
    from smartgoals.importing.mapping import Observation

    rel, line, column, field = place
    read.left_out.extend(many.left_out)
    if many.shown:
        read.shown.append(many.shown)
    for metric_id, values in many.values.items():
        for day, value in values:
            if day > today:
                read.problems.append(
                    Problem(rel, line, column, f"{day.isoformat()} is in the future", field)
                )
                continue
            read.observations.append(Observation(metrics[metric_id], day, value))


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
