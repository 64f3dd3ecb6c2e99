"""The `schema` view: the schema files written, or (with --check) those out of date."""

from __future__ import annotations

from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK
from smartgoals.rendering import Display, Form, Format


class SchemaView(NamedTuple):
    check_only: bool
    paths: tuple[str, ...]  # written, or (with check_only) out of date

    @property
    def problems(self) -> tuple[str, ...]:
        """Shown on stderr: each schema file that is out of date."""
        if not self.check_only:
            return ()
        return tuple(f"{path} is out of date: run smartgoals schema" for path in self.paths)

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.check_only and self.paths else EXIT_OK


def schema_lines(view: SchemaView, display: Display) -> list[str]:
    if view.check_only:
        return [] if view.paths else ["schemas are up to date"]
    return [f"wrote {path}" for path in view.paths] or ["schemas are up to date"]


FORMS: dict[type, dict[Format, Form]] = {SchemaView: {Format.PLAIN: schema_lines}}
