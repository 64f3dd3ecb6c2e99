"""`schema`: write schemas/*.json from the models, or check that they are up to date."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK
from smartgoals.write.schemas import stale_schemas, write_schemas


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


def schema(root: Path, check_only: bool = False) -> SchemaView:
    if check_only:
        return SchemaView(True, tuple(stale_schemas(root)))
    return SchemaView(False, tuple(p.relative_to(root).as_posix() for p in write_schemas(root)))
