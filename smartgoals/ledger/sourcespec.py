"""Declared sources: a metric's `source:` as a mapping names one adapter that reads its values
(csv, json, sqlite, hledger, beancount, command, sql); as a string it stays free text.

The adapter models here are part of the goal-file contract (goalfile.Metric.source) and of its
JSON Schema. `pull` reads them back from the goal files' YAML (definitions keep the source as
display text, so that the definitions cache stays plain data) and runs them through
sources/registry.py, one module per adapter. Adapters that run a program (hledger, beancount,
whose plugins are Python code, and command) run only when the user allowed it for this ledger:
see commands_allowed. A new adapter is its model here (in ADAPTERS, SourceSpec and the schema's
description), its module in sources/ and its line in the registry.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

ADAPTERS = ("csv", "json", "sqlite", "hledger", "beancount", "command", "sql")
MAX_SOURCE_TEXT = 10_000
CONFIG = "config.yaml"


class _Adapter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    @property
    def adapter(self) -> str:
        return next(iter(type(self).model_fields))


class CsvSource(_Adapter):
    """A CSV file (or a glob of files) in the ledger: a date column and a value column."""

    csv: str = Field(description="A path in the ledger, or a glob (exports/*.csv).")
    date: str = Field(default="date", description="The date column (default: date).")
    value: str = Field(default="value", description="The value column (default: value).")
    date_format: str | None = Field(
        default=None, description="A strftime format; default ISO (YYYY-MM-DD)."
    )
    rules: str | None = Field(
        default=None,
        description="An import rules file in the ledger instead of date/value: its values for "
        "this metric are taken.",
    )


class JsonSource(_Adapter):
    """A JSON file in the ledger and where the number is in it."""

    json_file: str = Field(alias="json", description="A path in the ledger.")
    path: str = Field(description="A JSON Pointer (/stats/followers) or a dotted path.")
    date: str | None = Field(
        default=None,
        description="Where the observation's date is in the file (pointer or dotted path). "
        "Default: the file's last commit date (today when it has uncommitted changes).",
    )

    @property
    def adapter(self) -> str:
        return "json"


class SqliteSource(_Adapter):
    """An SQLite database file in the ledger, opened read-only, and a query."""

    sqlite: str = Field(description="A path in the ledger.")
    query: str = Field(description="SQL returning rows of (date, value).")


class HledgerSource(_Adapter):
    """An hledger balance report, run as hledger -f FILE QUERY -O csv --layout=tidy."""

    hledger: str = Field(description='A balance report, e.g. "bal income -M --invert".')
    file: str = Field(description="The hledger journal, a path in the ledger.")


class BeancountSource(_Adapter):
    """A bean-query query over a Beancount ledger, through Beancount's Python API."""

    beancount: str = Field(description="A BQL query returning rows of (date, value).")
    file: str = Field(description="The Beancount ledger, a path in the ledger.")


class CommandSource(_Adapter):
    """A program run in the ledger's directory (no shell); it prints date,value rows, or one
    number for today."""

    command: str = Field(description="The command line, split like a shell's words.")
    timeout: float = Field(default=60.0, gt=0, le=3600, description="Seconds before it is stopped.")


CONNECTION_NAME = r"^[A-Za-z][A-Za-z0-9_-]{0,62}$"


class SqlSource(_Adapter):
    """One reading statement over a database the user connects to: the ledger names the
    connection, only the user's config or environment defines it (docs/import-and-pull.md)."""

    sql: str = Field(
        min_length=1,
        max_length=MAX_SOURCE_TEXT,
        description="One SELECT (or WITH, VALUES) returning (day, value) rows; in "
        "smartgoals.yaml's sources:, (metric, day, value) rows.",
    )
    connection: str = Field(
        description="A connection's name, defined in the user's config (connections:) or in "
        "$SMARTGOALS_CONNECTION_<NAME>; never a URL.",
    )
    timeout: float = Field(default=30.0, gt=0, le=3600, description="Seconds before it is stopped.")
    max_rows: int = Field(
        default=100_000, gt=0, le=10_000_000, description="Refused when it returns more rows."
    )

    @field_validator("connection")
    @classmethod
    def _a_name(cls, value: str) -> str:
        # the value is never quoted back: a URL put here by mistake may hold a password
        if not re.match(CONNECTION_NAME, value):
            raise ValueError(
                "a connection is a name (letters, digits, _ and -) defined in your own config "
                "(connections:) or environment, never a URL in the ledger"
            )
        return value


def _adapter_key(value: Any) -> str | None:
    if isinstance(value, dict):
        found = [key for key in ADAPTERS if key in value]
        return found[0] if len(found) == 1 else None
    if isinstance(value, _Adapter):
        return value.adapter
    return None


SourceSpec = Annotated[
    Annotated[CsvSource, Tag("csv")]
    | Annotated[JsonSource, Tag("json")]
    | Annotated[SqliteSource, Tag("sqlite")]
    | Annotated[HledgerSource, Tag("hledger")]
    | Annotated[BeancountSource, Tag("beancount")]
    | Annotated[CommandSource, Tag("command")]
    | Annotated[SqlSource, Tag("sql")],
    Discriminator(
        _adapter_key,
        custom_error_type="adapter",
        custom_error_message="a source mapping names exactly one adapter: " + ", ".join(ADAPTERS),
    ),
]

_ADAPTER: Any = None


def spec_adapter() -> Any:
    global _ADAPTER
    if _ADAPTER is None:
        from pydantic import TypeAdapter

        _ADAPTER = TypeAdapter(SourceSpec)
    return _ADAPTER


def parse_spec(value: Any) -> _Adapter:
    """A source mapping -> its adapter model; pydantic.ValidationError when it is wrong."""
    return spec_adapter().validate_python(value)  # type: ignore[no-any-return]


def check_source(value: Any) -> str:
    """goalfile.Metric.source: free text as it is; a mapping checked against the adapters and
    kept as its display text (`json: linkedin/profile.json, path: followers`)."""
    if isinstance(value, bool):
        raise ValueError("expected text or a source mapping, got a boolean")
    if isinstance(value, int | float | str):
        text = str(value)
        if len(text) > MAX_SOURCE_TEXT:
            raise ValueError(f"at most {MAX_SOURCE_TEXT:,} characters")
        return text
    if isinstance(value, dict):
        from pydantic import ValidationError

        try:
            spec = parse_spec(value)
        except ValidationError as exc:
            raise ValueError(
                "; ".join(_error_text(error) for error in exc.errors(include_url=False))
            ) from None
        return display(spec)
    raise ValueError(f"expected text or a source mapping, got {type(value).__name__}")


def _error_text(error: Any) -> str:
    loc = ".".join(str(part) for part in error["loc"][1:])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    return f"{loc}: {message}" if loc else message


def display(spec: _Adapter) -> str:
    """The mapping as one line: its adapter first, then the keys given."""
    data = spec.model_dump(by_alias=True, exclude_defaults=True)
    return ", ".join(f"{key}: {value}" for key, value in data.items())


def source_json_schema(handler: Any) -> dict[str, Any]:
    """The schema of `source:`: free text, or one adapter's mapping."""
    mapping = handler(spec_adapter().core_schema)
    return {
        "anyOf": [{"type": ["string", "number"], "maxLength": MAX_SOURCE_TEXT}, mapping],
        "description": "Where the number comes from: free text, or a mapping that declares an "
        "adapter for smartgoals pull: {json: FILE, path: a.b}, {csv: FILE, date: COL, value: "
        "COL}, {sqlite: FILE, query: SQL}, {hledger: QUERY, file: FILE}, {beancount: QUERY, "
        "file: FILE}, {command: CMD} or {sql: SELECT..., connection: NAME}.",
    }


def user_config(environ: Any) -> tuple[dict[str, Any], str]:
    """The user's own config ($XDG_CONFIG_HOME/smartgoals/config.yaml, ~/.config/...) as a
    mapping ({} when absent or unreadable), and its path. A ledger can never change it."""
    import os
    from pathlib import Path

    import yaml

    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = Path(base) / "smartgoals" / CONFIG
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):  # no file, or a bad one: nothing is allowed
        return {}, str(path)
    return (data if isinstance(data, dict) else {}), str(path)


def commands_allowed(root: Any, environ: Any) -> tuple[bool, str]:
    """Whether this ledger may run programs for its sources: its absolute path is listed under
    allow_commands: in the user's config (user_config). The ledger itself can never allow it.
    Returns (allowed, the config file's path)."""
    import os
    from pathlib import Path

    data, path = user_config(environ)
    allowed = data.get("allow_commands")
    if not isinstance(allowed, list):
        return False, path
    here = Path(root).resolve()
    for item in allowed:
        if isinstance(item, str) and os.path.isabs(item):
            try:
                if Path(item).resolve() == here:
                    return True, path
            except OSError:
                continue
    return False, path


Reading = tuple[list[tuple[dt.date, str]], list[str], list[str]]  # values, problems, left out
