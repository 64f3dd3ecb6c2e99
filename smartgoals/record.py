"""`Record`: the base of the project's immutable records, typing.NamedTuple's behaviour at a
fraction of its cost at import.

A record is written as a NamedTuple is, and type checkers see exactly a NamedTuple::

    class Where(Record):
        path: str
        line: int = 0

At run time, typing.NamedTuple checks every annotation (compiling each one that is a string)
and has `collections.namedtuple` compile a `__new__` per class with `eval`: about 0.11 ms per
class, 5.2 ms of every `status` for the 48 records it imports (0.6 ms as Records), more than
reading the demo's journal. `Record` builds the same class without either: a tuple subclass
with `__slots__ = ()`, a C field accessor per field (collections' own `_tuplegetter`),
`_fields`, `_field_defaults`, `__match_args__`, and one shared `__new__` that takes positional
and keyword arguments and defaults under the rules of a NamedTuple's, with the same TypeErrors
for a missing, unexpected or repeated argument. A call with keywords (about 1,800 in a piped
`status` on the demo) is checked with one set comparison and filled by one `itemgetter` over
the defaults and the keywords merged: about 1.2 us, to a NamedTuple's 0.4 and 1.7 for binding
the arguments in Python. `_make`, `_replace`, `_asdict`, `__repr__` and `__getnewargs__`
(pickling, copying) behave as a NamedTuple's; equality, ordering and hashing are the tuple's,
as there. tests/base/test_record.py compares both, field by field and call by call.
"""

from __future__ import annotations

from collections import _tuplegetter  # type: ignore[attr-defined]  # namedtuple's accessor
from operator import itemgetter
from typing import TYPE_CHECKING, Any, ClassVar

__all__ = ["Record"]

_tuple_new = tuple.__new__


def _one(names: tuple[str, ...]) -> Any:
    """itemgetter for one name, answering a 1-tuple as itemgetter does for several."""
    (name,) = names
    return lambda values: (values[name],)


def _bind(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The field values for a call with these arguments, or the TypeError a NamedTuple's
    `__new__` raises for the same call (the checks in CPython's order: keywords, then too
    many positional arguments, then missing ones)."""
    fields: tuple[str, ...] = cls._fields
    where = f"{cls.__name__}.__new__()"
    for key in kwargs:
        if key not in fields:
            raise TypeError(f"{where} got an unexpected keyword argument '{key}'")
        if fields.index(key) < len(args):
            raise TypeError(f"{where} got multiple values for argument '{key}'")
    if len(args) > len(fields):
        size = len(fields) + 1  # with cls, as Python counts them
        low = cls._required + 1
        takes = f"from {low} to {size}" if low < size else str(size)
        raise TypeError(
            f"{where} takes {takes} positional arguments but {len(args) + 1} were given"
        )
    values = list(args)
    defaults = cls._field_defaults
    missing = []
    for field in fields[len(args) :]:
        if field in kwargs:
            values.append(kwargs[field])
        elif field in defaults:
            values.append(defaults[field])
        else:
            missing.append(f"'{field}'")
    if missing:
        if len(missing) == 1:
            listed = missing[0]
        elif len(missing) == 2:
            listed = " and ".join(missing)
        else:
            listed = ", ".join(missing[:-1]) + ", and " + missing[-1]
        plural = "s" if len(missing) > 1 else ""
        raise TypeError(
            f"{where} missing {len(missing)} required positional argument{plural}: {listed}"
        )
    return tuple(values)


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:

    class _RecordType(type):
        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
            if bases == (tuple,):  # Record itself
                return super().__new__(mcls, name, bases, namespace)
            if bases != (Record,):
                raise TypeError(f"{name}: a record derives from Record alone")
            fields = tuple(namespace.get("__annotations__", {}))
            defaults: dict[str, Any] = {}
            for field in fields:
                if field.startswith("_"):
                    raise ValueError(f"{name}: field names cannot start with '_': {field!r}")
                if field in namespace:
                    defaults[field] = namespace.pop(field)
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {field} cannot follow default field"
                        f"{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                    )
            namespace["__slots__"] = ()
            namespace["_fields"] = fields
            namespace["_field_defaults"] = defaults
            namespace["__match_args__"] = fields
            # the defaults of the last fields, for a positional call that leaves them out
            namespace["_tail"] = tuple(defaults.values())
            namespace["_required"] = len(fields) - len(defaults)
            # for a call with keywords after `given` positional arguments: the names it may use
            namespace["_may"] = tuple(frozenset(fields[i:]) for i in range(len(fields) + 1))
            # the values of fields[given:] from defaults and keywords merged (a 1-tuple too)
            namespace["_pick"] = tuple(
                itemgetter(*fields[i:]) if len(fields) - i > 1 else _one(fields[i:])
                for i in range(len(fields))
            )
            for index, field in enumerate(fields):
                namespace[field] = _tuplegetter(index, f"Alias for field number {index}")
            return super().__new__(mcls, name, bases, namespace)

    class Record(tuple, metaclass=_RecordType):
        __slots__ = ()
        _fields: ClassVar[tuple[str, ...]] = ()
        _field_defaults: ClassVar[dict[str, Any]] = {}

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if not kwargs:
                given = len(args)
                size = len(cls._fields)
                if given == size:
                    return _tuple_new(cls, args)
                required = cls._required
                if required <= given < size:
                    return _tuple_new(cls, args + cls._tail[given - required :])
            else:
                given = len(args)
                if given <= len(cls._fields) and kwargs.keys() <= cls._may[given]:
                    try:  # a required field left out is a KeyError: _bind says which
                        values = cls._pick[given]({**cls._field_defaults, **kwargs})
                    except KeyError:
                        pass
                    else:
                        return _tuple_new(cls, args + values)
            return _tuple_new(cls, _bind(cls, args, kwargs))  # the error a NamedTuple raises

        @classmethod
        def _make(cls, iterable: Any) -> Any:
            result = _tuple_new(cls, iterable)
            if len(result) != len(cls._fields):
                raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
            return result

        def _replace(self, **changes: Any) -> Any:
            result = self._make(map(changes.pop, self._fields, self))
            if changes:
                raise ValueError(f"Got unexpected field names: {list(changes)!r}")
            return result

        def _asdict(self) -> dict[str, Any]:
            return dict(zip(self._fields, self, strict=True))

        def __repr__(self) -> str:
            inner = ", ".join(f"{f}={v!r}" for f, v in zip(self._fields, self, strict=True))
            return f"{type(self).__name__}({inner})"

        def __getnewargs__(self) -> tuple[Any, ...]:
            return tuple(self)
