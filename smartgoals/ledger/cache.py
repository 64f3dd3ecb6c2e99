"""A cache of checked definitions: a wrapper around the pure `parse_definitions`.

Parsing YAML and building the Pydantic models costs more than everything else `status` does on
a typical ledger. Goal files change rarely and the journal often, so the checked definitions
(metrics, goals, risks, settings, their problems, and the parsed formulas and risk conditions)
are kept in the cache store (store.py), under a key that is the store's digest of smartgoals'
version, the record shapes, and the names and bytes of the very files that are parsed on a miss.
Reading happens before the cache (files.py), so cached and uncached loads see the same bytes
under the same rules; a file edited during a run can never leave definitions of the new content
under the old content's key.

An entry's body is one line `smartgoals-definitions FORMAT KEY`, then the payload in the
standard library's `marshal` format (the one of .pyc files: no import to pay, loaded in C, and
it can hold only plain values, never an object of another type). Records are stored as lists
`[type index, field, ...]` and dates as `[-1, ordinal]`; a tuple holding neither is kept as it
is, so decoding visits only the records. The store authenticates the body with this user's key
before it is decoded, and anything that then fails to decode or check is a miss too, never a
different answer than `SMARTGOALS_NO_CACHE=1`, which turns the cache off. Entries are
content-addressed, so the working tree and any git revision with the same goal files share one;
the oldest are pruned.

The journal (goals/log.csv and every shard in goals/log.d/) is never part of an entry: it is
read on every run, so a row added to any shard is seen at once. The `journal:` setting that
chooses the file `log` appends to lives in smartgoals.yaml, which is part of the key.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals.errors import Problem
from smartgoals.files import SETTINGS, is_goal_file
from smartgoals.formula.syntax import Binary, Call, Items, Num, Ref, Str, Unary
from smartgoals.ledger import store
from smartgoals.ledger.model import (
    Definitions,
    GoalDef,
    MetricDef,
    RiskDef,
    Rung,
    SettingsDef,
    TargetDef,
    Where,
)
from smartgoals.version import __version__

FORMAT = 10
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
    SettingsDef,
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


def definition_files(files: Mapping[str, bytes]) -> list[str]:
    """The paths the definitions are made from, in the order they are parsed and hashed."""
    names = sorted(rel for rel in files if rel.startswith("goals/") and is_goal_file(rel))
    return [SETTINGS, *names] if SETTINGS in files else names


def digest(files: Mapping[str, bytes]) -> str:
    """The key: a digest of everything the definitions are made from."""
    shape = [(cls.__name__, cls._fields) for cls in _RECORDS]
    hasher = store.hasher(f"smartgoals {__version__} cache {FORMAT} {shape}\n".encode())
    for rel in definition_files(files):
        data = files[rel]
        hasher.update(rel.encode() + b"\0" + len(data).to_bytes(8, "big"))
        hasher.update(data)
    return str(hasher.hexdigest())


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
        "settings": _encode(definitions.settings),
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
        settings=_settings(_decode(data["settings"])),
        unresolved=tuple(data["unresolved"]),
        unreadable=tuple(data["unreadable"]),
    )


def _settings(value: Any) -> SettingsDef:
    if type(value) is not SettingsDef or type(value.at_risk_band) is not float:
        raise TypeError("not settings")  # a foreign entry: a miss
    return value


def entry_path(key: str) -> Path:
    return store.cache_dir() / f"{key[:40]}{SUFFIX}"


def _head(key: str) -> bytes:
    return b"%s %d %s\n" % (MAGIC, FORMAT, key.encode())


def lookup(key: str) -> Definitions | None:
    """The cached definitions under key, authenticated and checked; None for a miss of any
    kind."""
    body = store.read(entry_path(key))
    if body is None:
        return None
    head = _head(key)
    if body[: len(head)] != head:
        return None  # another key's entry, or another format's
    try:
        data = marshal.loads(body[len(head) :])
        if type(data) is not dict or not _finite(data):
            return None
        return decode(data)
    except Exception:  # whatever an entry holds that we cannot use is only a miss
        return None


def _finite(data: dict[str, Any]) -> bool:
    """True when every number data holds is one a parse can give: their sum, in C, is finite
    (an int too large for a float raises OverflowError, which is a miss too)."""
    stack: list[Any] = list(data.values())
    pop, extend = stack.pop, stack.extend
    numbers = []
    while stack:
        item = pop()
        kind = type(item)
        if kind is list or kind is tuple:
            extend(item)
        elif kind is int or kind is float:
            numbers.append(item)
    return -_INFINITY < sum(numbers, 0.0) < _INFINITY


_INFINITY = float("inf")


def cached_definitions(files: Mapping[str, bytes]) -> Definitions:
    """The checked definitions of these files, from the cache when an entry matches them."""
    if not store.enabled():
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
    """Write the entry; definitions that cannot be encoded are simply not cached."""
    try:
        payload = marshal.dumps(encode(definitions))
    except (TypeError, ValueError):
        return
    store.write(entry_path(key), _head(key) + payload, MAX_ENTRIES)
