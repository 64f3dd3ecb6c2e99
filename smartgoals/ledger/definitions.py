"""Goal files and settings, as bytes -> validated, cross-checked Definitions: the YAML and
Pydantic side of loading, with a line and column for every problem.

Pure: it reads no file (the caller hands it the bytes, from the working tree or from git
objects) and is imported only when the definitions cache misses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from smartgoals.errors import Problem
from smartgoals.files import SETTINGS, is_goal_file
from smartgoals.ledger.alignment import break_cycles, check_alignment, listed_ids
from smartgoals.ledger.derived import compile_formulas, compile_risks
from smartgoals.ledger.gaps import Gaps
from smartgoals.ledger.model import (
    Definitions,
    GoalDef,
    MetricDef,
    RiskDef,
    SettingsDef,
    Where,
)
from smartgoals.ledger.targets import open_text, resolve_state, resolve_target
from smartgoals.ledger.yamlfile import YamlDocument, format_loc, parse_yaml
from smartgoals.periods import OPEN
from smartgoals.quantity import parse_quantity
from smartgoals.suggest import suggest

if TYPE_CHECKING:  # the models need Pydantic: it loads lazily
    from smartgoals.ledger.goalfile import Goal, Metric, Risk, Settings
    from smartgoals.ledger.yamlfile import Path_

_TOP_KEYS = ("metrics", "goals", "risks")


_SMART = ("specific", "measurable", "achievable", "relevant", "time_bound")


@dataclass
class LoadedFile:
    """A goal file after schema validation: its models and where each came from."""

    doc: YamlDocument
    area: str
    metrics: list[tuple[str, Metric]]
    goals: list[ValidatedGoal]
    risks: list[tuple[int, Risk]]
    declared: list[str] = field(default_factory=list)  # every metric id, valid or not, in order
    readable: bool = True  # False: the file (or its metrics:) could not be read at all


@dataclass
class ValidatedGoal:
    index: int  # in the file's goals: list
    goal: Goal
    valid: bool  # False: kept only so that its targets are cross-checked too
    positions: list[int]  # each validated target's index in the file's targets: list


def _decode(data: bytes, rel: str) -> tuple[str | None, Problem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(rel, line, 0, f"not UTF-8 text ({exc.reason})")


def _validation_problems(doc: YamlDocument, prefix: tuple[Any, ...], exc: Any) -> None:
    _report(doc, prefix, exc.errors(include_url=False))


def describe_bad_id(value: str) -> str:
    """Why an id is refused, naming an invisible or look-alike character when there is one."""
    import unicodedata

    for char in value:
        if not char.isascii() or not char.isprintable():
            name = unicodedata.name(char, "unnamed")
            return (
                f"id {value!r} contains U+{ord(char):04X} ({name}); ids use lower-case letters, "
                "digits, - and _"
            )
    return (
        f"id {value!r} must be lower-case letters, digits, - and _, starting with a letter or digit"
    )


# Where each kind of key belongs, for a key written at the wrong level: (kind, the place to
# say, the kinds of place it is wrong in). Checked in order: a key that two kinds share (due,
# owner, notes) belongs to the first kind that is not the place it was written in.
_HOMES = (
    ("target", "belongs to a target, in an item under the goal's `targets:`"),
    ("goal", "belongs to a goal, in an item under `goals:`"),
    ("metric", "belongs to a metric, under `metrics:` and its id"),
    ("risk", "belongs to a risk, in an item under `risks:`"),
    ("step", "belongs to a rung, in an item under a target's `steps:`"),
    ("file", "is a top-level key of a goal file under goals/"),
)


def _fields(kind: str) -> set[str]:
    from smartgoals.ledger.goalfile import Goal, GoalFile, Metric, Risk, Settings, Step, Target

    models: dict[str, Any] = {
        "target": Target,
        "goal": Goal,
        "metric": Metric,
        "risk": Risk,
        "step": Step,
        "file": GoalFile,
        "settings": Settings,
    }
    return set(models[kind].model_fields)


def placement(key: str, kind: str) -> str:
    """A hint for a key that is not one of kind's but belongs to another kind of entry:
    ' (`target` belongs to a target, in an item under the goal's `targets:`)'; else ''."""
    if key in _fields(kind):
        return ""
    for home, where in _HOMES:
        if home == kind or key not in _fields(home):
            continue
        if kind == "settings":
            where = f"belongs in a goal file under goals/, not in {SETTINGS}"
        elif kind == "target" and home == "goal":
            where = "belongs to the goal, not to one of its targets"
        elif kind == "step" and home == "target":
            where = "belongs to the target, not to one rung of its `steps:`"
        return f" (`{key}` {where})"
    return ""


def _kind(loc: tuple[Any, ...]) -> str:
    """The kind of entry that loc (the path of a key's parent) names in a goal file."""
    if not loc:
        return "file"
    if loc[0] == "metrics":
        return "metric"
    if loc[0] == "risks":
        return "risk"
    names = [part for part in loc if isinstance(part, str)]
    return {"targets": "target", "steps": "step"}.get(names[-1], "goal")


def _report(
    doc: YamlDocument, prefix: tuple[Any, ...], errors: list[Any], keys: set[str] | None = None
) -> None:
    """Pydantic errors -> one Problem each, at the line of the key they concern. keys: the
    keys that may be suggested for an unknown one (None: the keys of the entry it is in)."""
    for error in errors:
        loc = (*prefix, *error["loc"])
        if any(loc[: len(bad)] == bad for bad in doc.unreadable):
            continue  # the YAML value itself was refused, and that problem is reported
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "too_short" and loc[-1] == "targets":
            message = "a goal needs at least one target (SMART goals are Measurable)"
        elif error["type"] == "string_pattern_mismatch" and isinstance(error.get("input"), str):
            message = describe_bad_id(error["input"])
        elif error["type"] == "extra_forbidden":
            key, kind = str(loc[-1]), "settings" if keys is not None else _kind(loc[:-1])
            hint = placement(key, kind) or suggest(key, keys or _fields(kind))
            message = f"unknown key {key!r}{hint}"
        elif error["type"] == "missing":
            message = f"missing required key {loc[-1]!r}"
            doc.problems.append(doc.problem(loc[:-1], message, field=doc.name(loc)))
            continue
        doc.problems.append(doc.problem(loc, message))


def load_file(rel: str, data: bytes) -> LoadedFile:
    """Parse and schema-check one goal file; every problem is kept on the document."""
    from pydantic import ValidationError

    from smartgoals.ledger.goalfile import METRIC_ID_PATTERN, Metric, Risk

    text, problem = _decode(data, rel)
    if text is None:
        doc = YamlDocument(rel, None)
        doc.problems.append(problem or Problem(rel, 0, 0, "cannot read"))
    else:
        doc = parse_yaml(text, rel)
    loaded = LoadedFile(doc, area_for(rel), [], [], [])
    data = doc.data
    if data is None:
        loaded.readable = not doc.problems  # an empty file defines nothing, and that is fine
        return loaded
    if not isinstance(data, dict):
        doc.problems.append(doc.problem((), "a goal file is a mapping with metrics: and goals:"))
        loaded.readable = False
        return loaded
    for key in data:
        if key not in _TOP_KEYS:
            hint = placement(str(key), "file") or suggest(str(key), _TOP_KEYS)
            doc.problems.append(doc.problem((key,), f"unknown key {key!r}{hint}"))
    id_pattern = re.compile(METRIC_ID_PATTERN)
    metrics = data.get("metrics") or {}
    if not isinstance(metrics, dict):
        doc.problems.append(doc.problem(("metrics",), "metrics: must be a mapping of id -> metric"))
        loaded.readable = False
        metrics = {}
    for metric_id, body in metrics.items():
        if not isinstance(metric_id, str) or not id_pattern.match(metric_id):
            message = describe_bad_id(str(metric_id))
            if "contains U+" not in message:
                message = (
                    f"metric id {metric_id!r} must be lower-case letters, digits and _, "
                    "starting with a letter (formulas use metric ids as names)"
                )
            doc.problems.append(doc.problem(("metrics", metric_id), message))
            continue
        if not isinstance(body, dict) and metric_id in _fields("metric"):
            message = (
                f"`{metric_id}:` is not a metric: a metric's keys go under its id "
                f"(metrics: -> mrr: -> {metric_id}: ...)"
            )
            doc.problems.append(doc.problem(("metrics", metric_id), message))
            continue
        loaded.declared.append(metric_id)
        try:
            loaded.metrics.append((metric_id, Metric.model_validate(body)))
        except ValidationError as exc:
            _validation_problems(doc, ("metrics", metric_id), exc)
    goals = data.get("goals") or []
    if not isinstance(goals, list):
        doc.problems.append(doc.problem(("goals",), "goals: must be a list"))
        goals = []
    for index, body in enumerate(goals):
        loaded.goals.append(_validate_goal(doc, index, body))
    risks = data.get("risks") or []
    if not isinstance(risks, list):
        doc.problems.append(doc.problem(("risks",), "risks: must be a list"))
        risks = []
    for index, body in enumerate(risks):
        try:
            loaded.risks.append((index, Risk.model_validate(body)))
        except ValidationError as exc:
            _validation_problems(doc, ("risks", index), exc)
    return loaded


def _validate_goal(doc: YamlDocument, index: int, body: Any) -> ValidatedGoal:
    """Validate a goal and, separately, each of its targets, so that one bad key does not hide
    the problems of the rest. An invalid goal is kept (valid=False) only for cross-checks."""
    from pydantic import ValidationError

    from smartgoals.ledger.goalfile import Goal, Target

    loc = ("goals", index)
    raw_targets = body.get("targets") if isinstance(body, dict) else None
    targets = []
    positions = []
    if isinstance(raw_targets, list):
        for t_index, raw in enumerate(raw_targets):
            try:
                targets.append(Target.model_validate(raw))
                positions.append(t_index)
            except ValidationError as exc:
                _validation_problems(doc, (*loc, "targets", t_index), exc)
    valid = len(targets) == len(raw_targets or ())
    try:
        if not isinstance(body, dict):
            return ValidatedGoal(index, Goal.model_validate(body), valid, positions)
        candidate = {**body, "targets": targets} if targets or not raw_targets else body
        return ValidatedGoal(index, Goal.model_validate(candidate), valid, positions)
    except ValidationError as exc:
        if isinstance(raw_targets, list) and raw_targets and not targets:
            # the targets' own problems are already reported
            errors = [e for e in exc.errors() if e["loc"][:1] != ("targets",)]
        else:
            errors = exc.errors()
        _report(doc, loc, errors)
    fields = body if isinstance(body, dict) else {}
    goal_id = fields.get("id") if isinstance(fields.get("id"), str) else None
    # id may be None: such a goal is only cross-checked, never added to the ledger
    construct: dict[str, Any] = {"id": goal_id, "title": "", "targets": targets}
    goal = Goal.model_construct(**construct)
    return ValidatedGoal(index, goal, False, positions)


def _settings_values(data: Any) -> Any:
    """Settings as people write them, as in goal files: `at_risk_band: 10%` is 0.10."""

    if not isinstance(data, dict) or not isinstance(data.get("at_risk_band"), str):
        return data
    try:
        quantity = parse_quantity(data["at_risk_band"])
    except ValueError:
        return data  # the model says what is wrong
    value = quantity.value / 100 if quantity.kind == "percent" else quantity.value
    return {**data, "at_risk_band": value}


def parse_settings(data: bytes | None) -> SettingsDef:
    """smartgoals.yaml's bytes -> the checked settings, with their problems (defaults where it
    cannot be read). The only parser of the file: everyone else gets its result on the loaded
    definitions (see ledger/settings.py)."""
    from pydantic import ValidationError

    from smartgoals.ledger.goalfile import Settings

    if data is None:
        return SettingsDef()
    text, problem = _decode(data, SETTINGS)
    if text is None:
        return _checked(Settings(), [problem] if problem else [], data)
    doc = parse_yaml(text, SETTINGS)
    try:
        settings = Settings.model_validate(_settings_values(doc.data or {}))
    except ValidationError as exc:
        _report(doc, (), exc.errors(include_url=False), _settings_keys())
        settings = Settings()
    return _checked(settings, doc.problems, data)


def _checked(settings: Settings, problems: list[Problem], data: bytes) -> SettingsDef:
    # a file with problems that mentions the journal anywhere may mean a shard: writers refuse
    # (journal.journal_target) rather than append where the team does not look; one that does
    # not mention it cannot name one, so goals/log.csv stays right whatever else is wrong
    unknown = problems[0] if problems and b"journal" in data else None
    return SettingsDef(
        settings.at_risk_band,
        tuple((settings.review or {}).items()),
        settings.pager,
        settings.journal,
        tuple(problems),
        unknown,
        tuple(settings.headline or ()),
    )


def _settings_keys() -> set[str]:
    from smartgoals.ledger.goalfile import Settings

    return set(Settings.model_fields)


def parse_definitions(files: Mapping[str, bytes]) -> Definitions:
    """Metrics, goals and risks from goal files and settings, cross-checked (no cache).

    files maps ledger-relative paths to bytes: `smartgoals.yaml` and `goals/*.yaml`, read in
    name order; anything else in the mapping (the journal) is ignored.
    """
    settings = parse_settings(files.get(SETTINGS))
    names = sorted(rel for rel in files if rel.startswith("goals/") and is_goal_file(rel))
    loaded_files = [load_file(rel, files[rel]) for rel in names]
    return _cross_check(loaded_files, settings)


def _cross_check(files: list[LoadedFile], settings: SettingsDef) -> Definitions:
    metrics: dict[str, MetricDef] = {}
    problems: list[Problem] = list(settings.problems)
    first_seen: dict[str, str] = {}  # metric id -> where it is first declared, valid or not
    unresolved: set[str] = set()  # declared, with problems of their own: still known by id
    for loaded in files:
        valid = dict(loaded.metrics)
        for metric_id in loaded.declared:
            doc = loaded.doc
            if metric_id in first_seen:
                message = f"metric {metric_id!r} is already defined at {first_seen[metric_id]}"
                doc.problems.append(doc.problem(("metrics", metric_id), message))
                continue
            line, _column = doc.locate(("metrics", metric_id))
            first_seen[metric_id] = f"{doc.path}:{line}"
            metric = valid.get(metric_id)
            resolved = resolve_metric(metric_id, metric, doc) if metric is not None else None
            if resolved is None:
                unresolved.add(metric_id)
            else:
                metrics[metric_id] = resolved
    unreadable = [loaded.doc.path for loaded in files if not loaded.readable]
    gaps = Gaps(unresolved, unreadable=unreadable)
    goals: list[GoalDef] = []
    invalid: list[GoalDef] = []
    seen: dict[str, GoalDef] = {}
    for loaded in files:
        for entry in loaded.goals:
            goal, index = entry.goal, entry.index
            resolved_goal = resolve_goal(entry, loaded.area, metrics, loaded.doc, gaps)
            if goal.id is None:
                continue  # its problems are reported; it was still cross-checked
            if goal.id in seen:
                loc: Path_ = ("goals", index, "id")
                message = f"goal {goal.id!r} is already defined at {seen[goal.id].where}"
                # by position: the id names two goals here
                loaded.doc.problems.append(loaded.doc.problem(loc, message, format_loc(loc)))
                continue
            seen[goal.id] = resolved_goal
            # an invalid goal's problems are reported; its id stays known for cross-checks
            (goals if entry.valid else invalid).append(resolved_goal)
    # invalid goals take part so that their `after` is checked and they can be waited on
    goals = check_dependencies(goals + invalid, problems, gaps)[: len(goals)]
    goals = check_alignment(goals + invalid, problems, gaps)[: len(goals)]
    risks: list[RiskDef] = []
    for loaded in files:
        for index, risk in loaded.risks:
            resolved_risk = resolve_risk(index, risk, loaded.doc, loaded.area)
            if any(r.id == risk.id for r in risks):
                message = f"risk {risk.id!r} is defined twice"
                problems.append(loaded.doc.problem(("risks", index, "id"), message))
                continue
            risks.append(resolved_risk)
    for loaded in files:
        problems.extend(loaded.doc.problems)
    formulas = compile_formulas(metrics, problems, gaps)
    conditions = compile_risks(risks, metrics, set(seen), problems, gaps)
    problems.extend(gaps.summary())
    problems.sort(key=lambda p: (p.path, p.line, p.column))
    return Definitions(
        metrics,
        tuple(goals),
        tuple(risks),
        formulas,
        conditions,
        tuple(problems),
        settings,
        unresolved=tuple(sorted(unresolved)),
        unreadable=tuple(unreadable),
    )


# --- validated models -> records ---------------------------------------------------------


def resolve_metric(metric_id: str, metric: Metric, doc: YamlDocument) -> MetricDef | None:
    loc: Path_ = ("metrics", metric_id)
    stages: tuple[str, ...] = ()
    if metric.type == "stage":
        stages = tuple(s.strip() for s in metric.stages or ())
        if len(stages) < 2:
            doc.problems.append(doc.problem((*loc, "stages"), "a stage metric needs 2+ stages"))
            return None
        if len(set(stages)) != len(stages):
            doc.problems.append(doc.problem((*loc, "stages"), "stages must be unique"))
            return None
    elif metric.stages is not None:
        doc.problems.append(doc.problem((*loc, "stages"), "stages need type: stage"))
        return None
    if metric.formula is not None and stages:
        doc.problems.append(doc.problem((*loc, "formula"), "a stage metric cannot have a formula"))
        return None
    line, column = doc.locate(loc)
    return MetricDef(
        id=metric_id,
        name=metric.name,
        unit=metric.unit,
        direction=metric.direction,
        cadence=metric.cadence,
        stages=stages,
        description=metric.description,
        source=metric.source,
        where=Where(doc.path, line, column),
        formula=metric.formula,
        formula_where=Where(doc.path, *doc.locate((*loc, "formula"))),
        aggregate=metric.aggregate,
        forecast=metric.forecast,
        precision=metric.precision,
    )


def resolve_risk(index: int, risk: Risk, doc: YamlDocument, area: str | None = None) -> RiskDef:
    loc: Path_ = ("risks", index)
    return RiskDef(
        id=risk.id,
        title=risk.title,
        when=risk.when,
        owner=risk.owner,
        actions=tuple(risk.actions),
        notes=risk.notes,
        where=Where(doc.path, *doc.locate(loc)),
        when_where=Where(doc.path, *doc.locate((*loc, "when"))),
        area=risk.area or area,
    )


def resolve_goal(
    entry: ValidatedGoal,
    area: str,
    metrics: dict[str, MetricDef],
    doc: YamlDocument,
    gaps: Gaps | None = None,
) -> GoalDef:
    goal = entry.goal
    loc: Path_ = ("goals", entry.index)
    targets = []
    for t_index, target in zip(entry.positions, goal.targets, strict=True):
        resolved = resolve_target(target, (*loc, "targets", t_index), goal, metrics, doc, gaps)
        if resolved is not None:
            targets.append(resolved)
    due = None if isinstance(goal.due, str) else goal.due  # a str: due: open
    if goal.start and due and due.last < goal.start.first:
        doc.problems.append(doc.problem((*loc, "due"), f"due {due} is before start {goal.start}"))
    due_text = open_text(goal.start) if goal.due == OPEN else due.text if due else None
    line, column = doc.locate(loc)
    return GoalDef(
        id=goal.id,
        title=goal.title,
        area=goal.area or area,
        targets=tuple(targets),
        owner=goal.owner,
        smart=tuple((key, text) for key in _SMART if (text := getattr(goal, key))),
        start=goal.start.first if goal.start else None,
        start_text=goal.start.text if goal.start else None,
        due=due.last if due else None,
        due_text=due_text,
        after=listed_ids(goal.after),
        review=tuple((goal.review or {}).items()),
        tags=tuple(goal.tags or ()),
        notes=goal.notes,
        where=Where(doc.path, line, column),
        after_where=Where(doc.path, *doc.locate((*loc, "after"))),
        weight=goal.weight,
        state=resolve_state(goal.state, (*loc, "state"), metrics, doc),
        contributes_to=listed_ids(goal.contributes_to),
        contributes_where=Where(doc.path, *doc.locate((*loc, "contributes_to"))),
        rollup=goal.rollup,
    )


def check_dependencies(
    goals: list[GoalDef], problems: list[Problem], gaps: Gaps | None = None
) -> list[GoalDef]:
    """Report unknown or circular `after:`; the goals with only their usable `after` ids.

    Iterative and linear in goals and edges, so a chain of thousands of goals is no risk.
    """
    by_id = {goal.id: goal for goal in goals}
    kept: dict[str, list[str]] = {}

    def report(goal: GoalDef, message: str, unknown: str | None = None) -> None:
        where = goal.after_where
        problem = Problem(where.path, where.line, where.column, message, f"{goal.id}.after")
        if unknown is not None and gaps is not None:
            found = gaps.unknown("goal", unknown, problem)
            if found is None:
                return
        problems.append(problem)

    for goal in goals:
        kept[goal.id] = []
        for after in goal.after:
            if after in by_id:
                kept[goal.id].append(after)
            else:
                report(goal, f"unknown goal {after!r}{suggest(after, by_id)}", after)
    break_cycles(kept, by_id, report, "goals wait on each other")
    return [goal._replace(after=tuple(kept[goal.id])) for goal in goals]


def area_for(path: str) -> str:
    """Default area from a file name: goals/user-growth.yaml -> User growth."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"^\d+[-_ ]+", "", stem)  # "1-user-growth": the number only orders files
    words = stem.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:] if words else stem
