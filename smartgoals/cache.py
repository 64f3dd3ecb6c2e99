"""A cache of checked definitions: a wrapper around the pure `parse_definitions`.

Parsing YAML and building the Pydantic models costs more than everything else `status` does on
a typical ledger. Goal files change rarely and the journal often, so the checked definitions
(metrics, goals, risks, settings and their problems) are kept as JSON in the user's cache
directory, under a key that is a BLAKE2b digest of smartgoals' version, the record shapes, and
the names and bytes of the very files that are parsed on a miss. Reading happens before the
cache (files.py), so cached and uncached loads see the same bytes under the same rules; a file
edited during a run can never leave definitions of the new content under the old content's key.

An entry stores its key and a digest of its own payload; both are verified on every hit, so a
damaged, truncated, foreign or hand-edited entry is a miss, never a different answer than
`SMARTGOALS_NO_CACHE=1`, which turns the cache off. Entries are content-addressed, so the
working tree and any git revision with the same goal files share one; the oldest are pruned.

The journal (goals/log.csv and every shard in goals/log.d/) is never part of an entry: it is
read on every run, so a row added to any shard is seen at once. The `journal:` setting that
chooses the file `log` appends to lives in smartgoals.yaml, which is part of the key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem
from .files import SETTINGS, is_goal_file
from .formula import parse
from .ledger import Definitions, GoalDef, MetricDef, RiskDef, Rung, TargetDef, Where

try:  # the C module behind hashlib.blake2b: importing hashlib loads OpenSSL, about 2 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

FORMAT = 6
MAX_ENTRIES = 64
_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (MetricDef, GoalDef, TargetDef, Rung, RiskDef, Where, Problem)
}


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smartgoals"


def definition_files(files: Mapping[str, bytes]) -> list[str]:
    """The paths the definitions are made from, in the order they are parsed and hashed."""
    names = sorted(rel for rel in files if rel.startswith("goals/") and is_goal_file(rel))
    return [SETTINGS, *names] if SETTINGS in files else names


def digest(files: Mapping[str, bytes]) -> str:
    """The key: a digest of everything the definitions are made from."""
    shape = [(name, cls._fields) for name, cls in _TYPES.items()]
    hasher = blake2b(f"smartgoals {__version__} cache {FORMAT} {shape}\n".encode())
    for rel in definition_files(files):
        data = files[rel]
        hasher.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def _encode(value: Any) -> Any:
    """Records as {"$t": type, "$v": [fields in order]}, dates as {"$d": iso}; positional, so
    that decoding is one tuple per record (a record whose fields changed is a miss)."""
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    kind = type(value)
    if _TYPES.get(kind.__name__) is kind:  # before tuples: the records are NamedTuples
        return {"$t": kind.__name__, "$v": [_encode(item) for item in value]}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return tuple([_decode(item) for item in value])
    if kind is dict:
        if "$d" in value:
            return _date(value["$d"])
        cls = _TYPES[value["$t"]]
        fields = [_decode(item) for item in value["$v"]]
        if len(fields) != len(cls._fields):
            raise TypeError(f"{cls.__name__} has changed")  # a foreign entry: a miss
        return cls._make(fields)
    return value


_date = dt.date.fromisoformat


def encode(definitions: Definitions) -> dict[str, Any]:
    return {
        "metrics": [_encode(m) for m in definitions.metrics.values()],
        "goals": [_encode(g) for g in definitions.goals],
        "risks": [_encode(r) for r in definitions.risks],
        "problems": [_encode(p) for p in definitions.problems],
        "formulas": sorted(definitions.formulas),
        "conditions": sorted(definitions.conditions),
        "at_risk_band": definitions.at_risk_band,
        "unresolved": list(definitions.unresolved),
        "unreadable": list(definitions.unreadable),
    }


def decode(data: dict[str, Any]) -> Definitions:
    metrics = {m.id: m for m in (_decode(item) for item in data["metrics"])}
    risks = tuple(_decode(item) for item in data["risks"])
    by_risk = {risk.id: risk for risk in risks}
    return Definitions(
        metrics=metrics,
        goals=tuple(_decode(item) for item in data["goals"]),
        risks=risks,
        formulas={m: parse(metrics[m].formula or "") for m in data["formulas"]},
        conditions={r: parse(by_risk[r].when) for r in data["conditions"]},
        problems=tuple(_decode(item) for item in data["problems"]),
        at_risk_band=float(data["at_risk_band"]),
        unresolved=tuple(data["unresolved"]),
        unreadable=tuple(data["unreadable"]),
    )


def _payload_digest(payload: str) -> str:
    return blake2b(payload.encode("utf-8")).hexdigest()


def entry_path(key: str) -> Path:
    return cache_dir() / f"{key[:40]}.json"


def lookup(key: str) -> Definitions | None:
    """The cached definitions under key, verified; None for a miss of any kind."""
    try:
        with open(entry_path(key), "rb") as handle:
            head, _, payload = handle.read().decode("utf-8").partition("\n")
        meta = json.loads(head)
        if meta.get("key") != key or meta.get("payload") != _payload_digest(payload):
            return None
        return decode(json.loads(payload))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # a missing, stale, damaged or foreign cache file is only a miss


def cached_definitions(files: Mapping[str, bytes]) -> Definitions:
    """The checked definitions of these files, from the cache when an entry matches them."""
    if os.environ.get("SMARTGOALS_NO_CACHE"):
        from .definitions import parse_definitions

        return parse_definitions(files)
    key = digest(files)
    found = lookup(key)
    if found is not None:
        return found
    from .definitions import parse_definitions  # YAML and Pydantic: only on a miss

    definitions = parse_definitions(files)
    _store(key, definitions)
    return definitions


def _store(key: str, definitions: Definitions) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError, TypeError, ValueError):
        payload = json.dumps(encode(definitions), separators=(",", ":"))
        head = json.dumps({"key": key, "payload": _payload_digest(payload)})
        path = entry_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(head + "\n" + payload)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries: each edit of a goal file makes a new one."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(".json") and e.is_file()]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for entry in entries[MAX_ENTRIES:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
