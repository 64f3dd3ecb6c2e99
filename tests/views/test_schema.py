"""views/schema.py: what `schema` wrote, or which schema files are out of date."""

from __future__ import annotations

from smartgoals.rendering import Display
from smartgoals.views.schema import SchemaView, schema_lines


def test_written_paths() -> None:
    view = SchemaView(False, ("schemas/goals.schema.json", "schemas/settings.schema.json"))
    assert schema_lines(view, Display()) == [
        "wrote schemas/goals.schema.json",
        "wrote schemas/settings.schema.json",
    ]
    assert (view.problems, view.exit_code) == ((), 0)


def test_nothing_written_is_up_to_date() -> None:
    assert schema_lines(SchemaView(False, ()), Display()) == ["schemas are up to date"]
    assert schema_lines(SchemaView(True, ()), Display()) == ["schemas are up to date"]


def test_check_lists_stale_files_as_problems_and_fails() -> None:
    view = SchemaView(True, ("schemas/goals.schema.json",))
    assert schema_lines(view, Display()) == []  # the problems go to stderr
    assert view.problems == ("schemas/goals.schema.json is out of date: run smartgoals schema",)
    assert view.exit_code == 1
