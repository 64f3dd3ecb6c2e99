"""A cache of checked definitions: a wrapper around the pure `parse_definitions`.

Parsing YAML and building the Pydantic models costs more than everything else `status` does on
a typical ledger. Goal files change rarely and the journal often, so the checked definitions
(metrics, goals, risks, settings, their problems, and the parsed formulas and risk conditions)
are kept in the user's cache directory, under a key that is a BLAKE2b digest of smartgoals'
version, the record shapes, and the names and bytes of the very files that are parsed on a miss.
Reading happens before the cache (files.py), so cached and uncached loads see the same bytes
under the same rules; a file edited during a run can never leave definitions of the new content
under the old content's key.

An entry is one line `smartgoals-definitions FORMAT KEY PAYLOAD-DIGEST`, then the payload in
the standard library's `marshal` format (the one of .pyc files: no import to pay, loaded in C,
and it can hold only plain values, never an object of another type). Records are stored as
lists `[type index, field, ...]` and dates as `[-1, ordinal]`; a tuple holding neither is kept
as it is, so decoding visits only the records. Both digests are verified on every hit, before
the payload is decoded, so a damaged, truncated, foreign or hand-edited entry is a miss, never a
different answer than `SMARTGOALS_NO_CACHE=1`, which turns the cache off. Entries are
content-addressed, so the working tree and any git revision with the same goal files share one;
the oldest are pruned.

The journal (goals/log.csv and every shard in goals/log.d/) is never part of an entry: it is
read on every run, so a row added to any shard is seen at once. The `journal:` setting that
chooses the file `log` appends to lives in smartgoals.yaml, which is part of the key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals import __version__
from smartgoals.errors import Problem
from smartgoals.files import SETTINGS, is_goal_file
from smartgoals.formula.syntax import Binary, Call, Items, Num, Ref, Str, Unary
from smartgoals.ledger.model import Definitions, GoalDef, MetricDef, RiskDef, Rung, TargetDef, Where

try:  # the C module behind hashlib.blake2b: importing hashlib loads OpenSSL, about 2 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

FORMAT = 7
MAX_ENTRIES = 64
SUFFIX = ".defs"
MAGIC = b"smartgoals-definitions"
_RECORDS: tuple[type[Any], ...] = (
    MetricDef,
    GoalDef,
    TargetDef,
    Rung,
    RiskDef,
    Where,
    Problem,
    Num,
    Str,
    Ref,
    Call,
    Unary,
    Binary,
    Items,
)
_INDEX: dict[type[Any], int] = {cls: index for index, cls in enumerate(_RECORDS)}
_SIZES = tuple(len(cls._fields) for cls in _RECORDS)
_DATE = -1
_new = tuple.__new__  # what NamedTuple._make does, less its checks (the length is checked here)


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smartgoals"


def definition_files(files: Mapping[str, bytes]) -> list[str]:
    """The paths the definitions are made from, in the order they are parsed and hashed."""
    names = sorted(rel for rel in files if rel.startswith("goals/") and is_goal_file(rel))
    return [SETTINGS, *names] if SETTINGS in files else names


def digest(files: Mapping[str, bytes]) -> str:
    """The key: a digest of everything the definitions are made from."""
    shape = [(cls.__name__, cls._fields) for cls in _RECORDS]
    hasher = blake2b(f"smartgoals {__version__} cache {FORMAT} {shape}\n".encode())
    for rel in definition_files(files):
        data = files[rel]
        hasher.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def _encode(value: Any) -> Any:
    """Records as [type index, fields...], dates as [-1, ordinal]; a tuple that holds a record
    or a date as [-2, items...]; everything else (str, int, float, bool, None, and tuples of
    them) as it is."""
    kind = type(value)
    index = _INDEX.get(kind)
    if index is not None:
        return [index, *(_encode(item) for item in value)]
    if kind is dt.date:
        return [_DATE, value.toordinal()]
    if kind is tuple or kind is list:
        items = [_encode(item) for item in value]
        if any(type(item) is list for item in items):
            return [-2, *items]
        return tuple(items)
    if value is None or kind in (str, int, float, bool):
        return value
    raise TypeError(f"cannot cache {kind.__name__}")


def _decode(value: list[Any]) -> Any:
    """The value of an encoded list (see _encode); only lists are ever passed here."""
    index = value[0]
    if index == _DATE:
        return _from_ordinal(value[1])
    items = [_decode(item) if type(item) is list else item for item in value[1:]]
    if index == -2:
        return tuple(items)
    cls = _RECORDS[index]  # an index out of range (a foreign entry) raises IndexError: a miss
    if len(items) != _SIZES[index]:
        raise TypeError(f"{cls.__name__} has changed")  # a foreign entry: a miss
    return _new(cls, items)


def _value(value: Any) -> Any:
    return _decode(value) if type(value) is list else value


_from_ordinal = dt.date.fromordinal


def encode(definitions: Definitions) -> dict[str, Any]:
    return {
        "metrics": [_encode(m) for m in definitions.metrics.values()],
        "goals": [_encode(g) for g in definitions.goals],
        "risks": [_encode(r) for r in definitions.risks],
        "problems": [_encode(p) for p in definitions.problems],
        "formulas": [(m, _encode(node)) for m, node in sorted(definitions.formulas.items())],
        "conditions": [(r, _encode(node)) for r, node in sorted(definitions.conditions.items())],
        "at_risk_band": definitions.at_risk_band,
        "unresolved": tuple(definitions.unresolved),
        "unreadable": tuple(definitions.unreadable),
    }


def decode(data: dict[str, Any]) -> Definitions:
    metrics = {m.id: m for m in (_decode(item) for item in data["metrics"])}
    return Definitions(
        metrics=metrics,
        goals=tuple([_decode(item) for item in data["goals"]]),
        risks=tuple([_decode(item) for item in data["risks"]]),
        formulas={m: _value(node) for m, node in data["formulas"]},
        conditions={r: _value(node) for r, node in data["conditions"]},
        problems=tuple([_decode(item) for item in data["problems"]]),
        at_risk_band=float(data["at_risk_band"]),
        unresolved=tuple(data["unresolved"]),
        unreadable=tuple(data["unreadable"]),
    )


def _payload_digest(payload: bytes) -> str:
    return blake2b(payload).hexdigest()


def entry_path(key: str) -> Path:
    return cache_dir() / f"{key[:40]}{SUFFIX}"


def _head(key: str, payload: bytes) -> bytes:
    return b"%s %d %s %s\n" % (MAGIC, FORMAT, key.encode(), _payload_digest(payload).encode())


def lookup(key: str) -> Definitions | None:
    """The cached definitions under key, verified; None for a miss of any kind."""
    try:
        with open(entry_path(key), "rb") as handle:
            head, _, payload = handle.read().partition(b"\n")
        if head + b"\n" != _head(key, payload):
            return None
        data = marshal.loads(payload)
        if type(data) is not dict:
            return None
        return decode(data)
    except (OSError, ValueError, LookupError, TypeError, AttributeError, EOFError, RecursionError):
        return None  # a missing, stale, damaged or foreign cache file is only a miss


def cached_definitions(files: Mapping[str, bytes]) -> Definitions:
    """The checked definitions of these files, from the cache when an entry matches them."""
    if os.environ.get("SMARTGOALS_NO_CACHE"):
        from smartgoals.ledger.definitions import parse_definitions

        return parse_definitions(files)
    key = digest(files)
    found = lookup(key)
    if found is not None:
        return found
    from smartgoals.ledger.definitions import parse_definitions  # YAML and Pydantic: only on a miss

    definitions = parse_definitions(files)
    _store(key, definitions)
    return definitions


def _store(key: str, definitions: Definitions) -> None:
    """Write atomically; a cache that cannot be written is simply not written."""
    with contextlib.suppress(OSError, TypeError, ValueError):
        payload = marshal.dumps(encode(definitions))
        write_entry(entry_path(key), _head(key, payload) + payload, MAX_ENTRIES)


def write_entry(path: Path, data: bytes, keep: int) -> None:
    """Write a cache entry atomically (a temporary file, then os.replace), then keep the newest
    `keep` entries of its folder with its suffix. The definitions cache and the journal cache
    (journalcache.py) both write this way."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _prune(path.parent, path.suffix, keep)


def _prune(folder: Path, suffix: str, keep: int) -> None:
    """Keep the newest `keep` entries: each edit of a goal file (or journal file of another
    ledger) makes a new one."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(suffix) and e.is_file()]
    if len(entries) <= keep:
        return
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for entry in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
