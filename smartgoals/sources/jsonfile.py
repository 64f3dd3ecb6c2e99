"""The json adapter: one number (and optionally its date) at a path in a JSON file in the ledger.
Reads only that file, and asks git (read-only) when it last changed when no date is given."""

from __future__ import annotations

import json

from smartgoals.ledger.sourcespec import JsonSource
from smartgoals.sources.common import (
    Context,
    Pulled,
    SourceError,
    inside,
    read_bytes,
    to_day,
    to_value,
)
from smartgoals.vcs.log import file_commit_date

RUNS_PROGRAM = False


def read(spec: JsonSource, context: Context) -> Pulled:
    """One observation: the value at spec.path, dated by spec.date or the file's last commit."""
    from smartgoals.importing.records import TOO_DEEP, load_json, locate

    path = inside(context.root, spec.json_file)
    try:
        data = load_json(read_bytes(path, spec.json_file).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SourceError(f"{spec.json_file}: not valid JSON ({exc})") from None
    except ValueError:
        raise SourceError(f"{spec.json_file}: {TOO_DEEP}") from None
    found, missing = locate(data, spec.path)
    if missing:
        raise SourceError(f"{spec.json_file}: path {missing}")
    value = to_value(found, context.metric, f"{spec.json_file}: {spec.path}")
    if spec.date is not None:
        raw, missing = locate(data, spec.date)
        if missing:
            raise SourceError(f"{spec.json_file}: date {missing}")
        day = to_day(raw, f"{spec.json_file}: {spec.date}")
    else:
        committed, dirty = file_commit_date(path)
        day = context.today if dirty or committed is None else committed
    if day > context.today:
        raise SourceError(f"{spec.json_file}: {day.isoformat()} is in the future")
    return Pulled([(day, value)], [])
