"""Import rules: the YAML that maps a CSV or JSON file to observations, its Pydantic model (the
contract, and the source of schemas/import-rules.schema.json), presets shipped with smartgoals,
and where the rules for a file are found."""

from __future__ import annotations

import datetime as dt
import fnmatch
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.files import read_limited
from smartgoals.ledger.goalfile import METRIC_ID_PATTERN
from smartgoals.quantity import MAX_ABS
from smartgoals.suggest import suggest

MetricId = Annotated[str, StringConstraints(pattern=METRIC_ID_PATTERN, min_length=1, max_length=64)]
Column = Annotated[str, StringConstraints(min_length=1, max_length=200)]
RULES_SUFFIX = ".rules.yaml"
IMPORTERS = "importers"
MAX_RULES_BYTES = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Anchor(_Strict):
    """The known running total at a date, for a file whose rows are increments."""

    value: float | None = Field(
        default=None,
        description="The running total at `date` (e.g. today's follower count). A preset leaves "
        "it empty: the rules' top-level `anchor:` gives it.",
    )
    date: dt.date | None = Field(
        default=None, description="The day the total was known. Default: the file's last date."
    )


class MetricColumn(_Strict):
    """The metric chosen by a column's value, through a mapping; rows with other values are
    skipped (and counted)."""

    column: Column
    map: dict[str, MetricId] = Field(min_length=1, description="Column value -> metric id.")


class ValueRule(_Strict):
    """One stream of observations: a metric (or a column choosing it) and its value column."""

    metric: MetricId | MetricColumn = Field(
        description="A metric id, or {column: COL, map: {VALUE: metric_id, ...}}."
    )
    value: Column | None = Field(
        default=None,
        description="The value column (a JSON record's key). Without it, each row counts 1 (with "
        "aggregate: sum, rows are counted).",
    )
    scale: float = Field(
        default=1.0,
        ge=-MAX_ABS,
        le=MAX_ABS,
        allow_inf_nan=False,
        description="Multiply each value, e.g. 0.01 for cents to dollars.",
    )
    negate: bool = Field(default=False, description="Change each value's sign (after scale).")
    aggregate: Literal["last", "sum", "mean", "max", "min"] = Field(
        default="last",
        description="How the rows of one metric and period become its value: last (default, in "
        "file order), sum, mean, max or min.",
    )
    period: Literal["day", "week", "month"] = Field(
        default="day",
        description="day (default), week (Monday to Sunday) or month; a week's or month's value "
        "is dated its last day, and a week or month not over yet is left out.",
    )
    anchor: Anchor | None = Field(
        default=None,
        description="The rows are increments of a running total: each period's value becomes "
        "the total, counted from this known total.",
    )


class ImportRules(_Strict):
    """A rules file: FILE.rules.yaml, importers/*.yaml in the ledger, or --rules."""

    preset: str | None = Field(
        default=None,
        description="Start from a preset: plausible, linkedin, stripe-balance, "
        "stripe-subscriptions.",
    )
    match: str | None = Field(
        default=None,
        description="For importers/*.yaml: a glob on the imported file's name "
        "(e.g. 'visitors*.csv'); the first file in name order that matches is used.",
    )
    format: Literal["csv", "json"] | None = Field(
        default=None, description="Default: from the file's extension (.json: json, else csv)."
    )
    delimiter: Annotated[str, StringConstraints(min_length=1, max_length=1)] = Field(
        default=",", description="CSV: the field separator."
    )
    records: str | None = Field(
        default=None,
        description="JSON: where the list of records is, as a JSON Pointer (/data/items) or a "
        "dotted path (data.items). Default: the top level.",
    )
    date: Column | None = Field(default=None, description="The date column (a JSON key).")
    date_format: str | None = Field(
        default=None,
        description="A strftime format such as %m/%d/%Y. Default: an ISO date (YYYY-MM-DD), "
        "optionally followed by a time, which is ignored.",
    )
    note: str = Field(default="", max_length=2000, description="A note for every row appended.")
    values: list[ValueRule] | None = Field(default=None, min_length=1)
    rename: dict[MetricId, MetricId] | None = Field(
        default=None,
        description="With a preset: its metric ids -> this ledger's (visitors: website_visitors).",
    )
    anchor: Anchor | None = Field(
        default=None,
        description="With a preset whose rows are increments (linkedin): the known total.",
    )


class Rules(BaseModel):
    """Rules after a preset is applied: what mapping.py works from."""

    model_config = ConfigDict(frozen=True)

    name: str  # the preset's name or the rules file's, for messages and the commit
    format: str | None
    delimiter: str
    records: str | None
    date: str
    date_format: str | None
    note: str
    values: tuple[ValueRule, ...]
    preset_values: bool = False  # values came from a preset: metrics not in the ledger skip


def preset_names() -> list[str]:
    from importlib import resources

    folder = resources.files("smartgoals") / "presets"
    return sorted(
        item.name.removesuffix(".yaml") for item in folder.iterdir() if item.name.endswith(".yaml")
    )


def _preset_bytes(name: str) -> bytes:
    from importlib import resources

    if name not in preset_names():
        raise InvalidInputError(
            f"unknown preset {name!r}{suggest(name, preset_names())}; presets: "
            + ", ".join(preset_names())
        )
    return (resources.files("smartgoals") / "presets" / f"{name}.yaml").read_bytes()


def parse_rules(data: bytes, rel: str) -> tuple[ImportRules | None, list[Problem]]:
    """A rules file's bytes -> the model, or every problem at file:line:column."""
    from pydantic import ValidationError

    from smartgoals.ledger.yamlfile import parse_yaml

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem(rel, 0, 0, f"not UTF-8 text ({exc.reason})")]
    doc = parse_yaml(text, rel)
    if doc.problems:
        return None, list(doc.problems)
    if not isinstance(doc.data, dict):
        return None, [Problem(rel, 1, 1, "import rules are a mapping (date:, values: ...)")]
    try:
        return ImportRules.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _problems(doc, exc.errors(include_url=False))


def _problems(doc: Any, errors: list[Any]) -> list[Problem]:
    problems = []
    for error in errors:
        loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
        message = str(error["msg"]).removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            key = str(loc[-1])
            fields = _fields_at(loc[:-1])
            message = f"unknown key {key!r}{suggest(key, fields)}"
        elif error["type"] == "missing":
            problems.append(doc.problem(loc[:-1], f"missing required key {loc[-1]!r}"))
            continue
        problems.append(doc.problem(loc, message))
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))


def _is_union_tag(part: Any) -> bool:
    return isinstance(part, str) and (part in ("str", "MetricColumn") or "[" in part)


def _fields_at(loc: tuple[Any, ...]) -> set[str]:
    if not loc:
        return set(ImportRules.model_fields)
    if loc[-1] == "anchor":
        return set(Anchor.model_fields)
    if loc[-1] == "metric":
        return set(MetricColumn.model_fields)
    return set(ValueRule.model_fields)


def resolve(rules: ImportRules, name: str) -> tuple[Rules | None, list[Problem]]:
    """Rules with their preset applied (the rules' own keys win; rename and anchor fill the
    preset's values), or the problems that make them unusable."""
    preset_values = False
    values = rules.values
    base = rules
    if rules.preset is not None:
        preset_name = rules.preset
        preset, problems = parse_rules(_preset_bytes(preset_name), f"preset {preset_name}")
        if preset is None:  # pragma: no cover - the shipped presets are tested
            return None, problems
        base = preset
        if values is None:
            values = preset.values
            preset_values = True
        name = preset_name
    elif rules.rename is not None or rules.anchor is not None:
        return None, [Problem(name, 0, 0, "rename: and anchor: apply to a preset's values only")]
    renamed = tuple(_renamed(value, rules.rename or {}, rules.anchor) for value in values or ())
    date = rules.date or base.date
    problems = []
    if date is None:
        problems.append(Problem(name, 0, 0, "missing required key 'date' (the date column)"))
    if not renamed:
        problems.append(Problem(name, 0, 0, "missing required key 'values' (what to import)"))
    for value in renamed:
        if value.anchor is not None and value.anchor.value is None:
            problems.append(
                Problem(
                    name,
                    0,
                    0,
                    "the rows are increments of a running total: give the known total as "
                    "anchor: {value: N, date: YYYY-MM-DD} in the rules",
                )
            )
            break
    if problems:
        return None, problems
    assert date is not None
    return (
        Rules(
            name=name,
            format=rules.format or base.format,
            delimiter=rules.delimiter if "delimiter" in rules.model_fields_set else base.delimiter,
            records=rules.records or base.records,
            date=date,
            date_format=rules.date_format or base.date_format,
            note=rules.note or base.note,
            values=renamed,
            preset_values=preset_values,
        ),
        [],
    )


def _renamed(value: ValueRule, rename: dict[str, str], anchor: Anchor | None) -> ValueRule:
    metric: str | MetricColumn = value.metric
    if isinstance(metric, str):
        metric = rename.get(metric, metric)
    else:
        metric = MetricColumn(
            column=metric.column, map={k: rename.get(v, v) for k, v in metric.map.items()}
        )
    update: dict[str, Any] = {"metric": metric}
    if value.anchor is not None and value.anchor.value is None and anchor is not None:
        update["anchor"] = anchor
    return value.model_copy(update=update)


def find_rules(
    root: Path, file: Path, rules_path: str | None, preset: str | None
) -> tuple[Rules | None, list[Problem]]:
    """The rules for file: --rules, else FILE.rules.yaml beside it, else the first of the
    ledger's importers/*.yaml whose `match:` fits its name, else --preset alone. --preset with
    rules names (or checks) the rules' preset."""
    found: tuple[bytes, str] | None = None
    if rules_path is not None:
        found = (_read(Path(rules_path), "--rules"), rules_path)
    else:
        beside = file.with_name(file.name + RULES_SUFFIX)
        if beside.is_file():
            found = (_read(beside, "rules"), str(beside))
        elif preset is None:
            found = _importer(root, file.name)
    if found is None:
        if preset is None:
            raise InvalidInputError(
                f"no rules for {file.name}: give --preset NAME ({', '.join(preset_names())}) or "
                f"--rules FILE, or write {file.name}{RULES_SUFFIX} beside it or "
                f"{IMPORTERS}/NAME.yaml with match: in the ledger"
            )
        return resolve(ImportRules(preset=preset), preset)
    data, rel = found
    rules, problems = parse_rules(data, rel)
    if rules is None:
        return None, problems
    if preset is not None:
        if rules.preset not in (None, preset):
            raise InvalidInputError(f"--preset {preset}: {rel} says preset: {rules.preset}")
        rules = rules.model_copy(update={"preset": preset})
    return resolve(rules, Path(rel).name)


def _importer(root: Path, name: str) -> tuple[bytes, str] | None:
    folder = root / IMPORTERS
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.yaml")):
        data = _read(path, "rules")
        rules, _problems = parse_rules(data, path.name)
        pattern = rules.match if rules is not None else None
        if rules is None or (pattern is not None and fnmatch.fnmatch(name, pattern)):
            if rules is None and not _mentions_match(data, name):
                continue
            return data, f"{IMPORTERS}/{path.name}"
    return None


def _mentions_match(data: bytes, name: str) -> bool:
    """A broken importer is reported only when it was probably meant for this file."""
    for line in data.decode("utf-8", "replace").splitlines():
        key, _, pattern = line.partition(":")
        if key.strip() == "match":
            return fnmatch.fnmatch(name, pattern.strip().strip("'\""))
    return False


def _read(path: Path, what: str) -> bytes:
    try:
        return read_limited(path, MAX_RULES_BYTES, str(path))
    except ValueError as exc:
        raise InvalidInputError(f"{what}: {exc}") from None
