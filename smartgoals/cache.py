"""A cache of checked definitions, keyed by the goal files' content.

Parsing YAML and building the Pydantic models costs more than everything else `status` does on
a typical ledger. Goal files change rarely and the journal often, so the checked definitions
(metrics, goals, risks, settings and their problems) are kept as JSON in the user's cache
directory, keyed by a BLAKE2b digest of smartgoals' version and every goal file's name and
bytes. Any edit, added or removed file changes the key. The cache holds plain JSON, decoded
only into the project's own record types; a damaged or foreign file is a miss, never an error.
`SMARTGOALS_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Problem
from .formula import parse
from .ledger import SETTINGS, Definitions, goal_files
from .records import GoalDef, MetricDef, RiskDef, Rung, TargetDef, Where

try:  # the C module behind hashlib.blake2b: importing hashlib loads OpenSSL, about 2 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

FORMAT = 2
_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls for cls in (MetricDef, GoalDef, TargetDef, Rung, RiskDef, Where, Problem)
}


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smartgoals"


def fingerprint(root: Path) -> str | None:
    """A key over everything the definitions are made from; None if a file cannot be read."""
    shape = [(name, cls._fields) for name, cls in _TYPES.items()]
    digest = blake2b(f"smartgoals {__version__} cache {FORMAT} {shape}\n".encode())
    try:
        for path in [root / SETTINGS, *goal_files(root)]:
            digest.update(path.name.encode() + b"\0")
            if path.exists() or path.name != SETTINGS:
                data = path.read_bytes()
                digest.update(len(data).to_bytes(8, "big") + data)
    except OSError:
        return None
    return digest.hexdigest()


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$d": value.isoformat()}
    kind = type(value)
    if _TYPES.get(kind.__name__) is kind:  # before tuples: the records are NamedTuples
        fields = {key: _encode(item) for key, item in value._asdict().items()}
        return {"$t": kind.__name__, **fields}
    if isinstance(value, tuple | list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if isinstance(value, dict):
        if "$d" in value:
            return dt.date.fromisoformat(value["$d"])
        cls = _TYPES[value["$t"]]
        return cls(**{k: _decode(v) for k, v in value.items() if k != "$t"})
    return value


def encode(definitions: Definitions) -> dict[str, Any]:
    return {
        "metrics": [_encode(m) for m in definitions.metrics.values()],
        "goals": [_encode(g) for g in definitions.goals],
        "risks": [_encode(r) for r in definitions.risks],
        "problems": [_encode(p) for p in definitions.problems],
        "formulas": sorted(definitions.formulas),
        "conditions": sorted(definitions.conditions),
        "at_risk_band": definitions.at_risk_band,
    }


def decode(data: dict[str, Any]) -> Definitions:
    metrics = {m.id: m for m in (_decode(item) for item in data["metrics"])}
    risks = [_decode(item) for item in data["risks"]]
    by_risk = {risk.id: risk for risk in risks}
    return Definitions(
        metrics=metrics,
        goals=[_decode(item) for item in data["goals"]],
        risks=risks,
        formulas={m: parse(metrics[m].formula or "") for m in data["formulas"]},
        conditions={r: parse(by_risk[r].when) for r in data["conditions"]},
        problems=[_decode(item) for item in data["problems"]],
        at_risk_band=float(data["at_risk_band"]),
    )


def cached_definitions(root: Path) -> Definitions:
    """The checked definitions of the ledger at root, from the cache when the files match."""
    key = None if os.environ.get("SMARTGOALS_NO_CACHE") else fingerprint(root)
    path = cache_dir() / (blake2b(str(root.resolve()).encode()).hexdigest()[:24] + ".json")
    if key is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") == key:
                return decode(data["definitions"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            pass  # a missing, stale, damaged or foreign cache file is only a miss
    from .documents import read_definitions

    definitions = read_definitions(root)
    if key is not None:
        _store(path, {"key": key, "definitions": encode(definitions)})
    return definitions


def _store(path: Path, data: dict[str, Any]) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError, TypeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile

        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, separators=(",", ":"))
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
