"""commands/schema.py: write schemas/*.json, or name the ones that are out of date."""

from __future__ import annotations

from pathlib import Path

from smartgoals.commands.schema import schema


def test_write_then_check(tmp_path: Path) -> None:
    written = schema(tmp_path)
    assert written.check_only is False
    assert set(written.paths) == {
        "schemas/goals.schema.json",
        "schemas/settings.schema.json",
        "schemas/import-rules.schema.json",
    }
    assert all((tmp_path / path).is_file() for path in written.paths)
    assert schema(tmp_path, check_only=True).paths == ()


def test_check_names_a_stale_schema_and_writes_nothing(tmp_path: Path) -> None:
    schema(tmp_path)
    stale = tmp_path / "schemas" / "goals.schema.json"
    stale.write_text("{}", encoding="utf-8")
    view = schema(tmp_path, check_only=True)
    assert view.paths == ("schemas/goals.schema.json",)
    assert view.exit_code != 0
    assert stale.read_text(encoding="utf-8") == "{}"
    assert schema(tmp_path).paths == ("schemas/goals.schema.json",)  # only what changed
