"""`schema`: write schemas/*.json from the models, or check that they are up to date."""

from __future__ import annotations

from pathlib import Path

from smartgoals.views.schema import SchemaView
from smartgoals.write.schemas import stale_schemas, write_schemas


def schema(root: Path, check_only: bool = False) -> SchemaView:
    if check_only:
        return SchemaView(True, tuple(stale_schemas(root)))
    return SchemaView(False, tuple(p.relative_to(root).as_posix() for p in write_schemas(root)))
