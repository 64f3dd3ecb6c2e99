"""schemas/*.json: JSON Schema generated from the Pydantic models, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA_DIR = "schemas"


def expected_schemas() -> dict[str, str]:
    """File name -> the exact text the models produce."""
    from smartgoals.importing.rules import ImportRules
    from smartgoals.ledger.goalfile import GoalFile, Settings

    result = {}
    for name, model, title in (
        ("goals.schema.json", GoalFile, "smartgoals goal file (goals/*.yaml)"),
        ("settings.schema.json", Settings, "smartgoals settings (smartgoals.yaml)"),
        (
            "import-rules.schema.json",
            ImportRules,
            "smartgoals import rules (FILE.rules.yaml, importers/*.yaml)",
        ),
    ):
        schema = model.model_json_schema()
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
        schema["title"] = title
        result[name] = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return result


def write_schemas(root: Path) -> list[Path]:
    """Write the schema files that differ; returns the paths written."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for name, text in expected_schemas().items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def stale_schemas(root: Path) -> list[str]:
    """Schema files that are missing or differ from what the models produce."""
    folder = root / SCHEMA_DIR
    stale = []
    for name, text in expected_schemas().items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            stale.append(f"{SCHEMA_DIR}/{name}")
    return stale
