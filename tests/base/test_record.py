"""record.Record behaves as typing.NamedTuple does, call by call (it is only cheaper to define)."""

from __future__ import annotations

import copy
import pickle
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.record import Record


class Ours(Record):
    a: int
    b: str
    c: float = 1.5
    d: tuple[int, ...] = ()

    def total(self) -> float:
        return self.a + self.c


class Theirs(NamedTuple):
    a: int
    b: str
    c: float = 1.5
    d: tuple[int, ...] = ()

    def total(self) -> float:
        return self.a + self.c


FIELDS = ("a", "b", "c", "d")


def _call(cls: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", cls(*args, **kwargs)
    except TypeError as exc:
        return "TypeError", str(exc).replace(cls.__name__, "X")


@given(
    st.lists(st.integers(), max_size=6),
    st.dictionaries(st.sampled_from([*FIELDS, "e"]), st.integers(), max_size=5),
)
def test_calls_bind_and_fail_as_a_namedtuples(args: list[int], kwargs: dict[str, int]) -> None:
    ours, theirs = _call(Ours, tuple(args), kwargs), _call(Theirs, tuple(args), kwargs)
    assert ours[0] == theirs[0]
    if ours[0] == "ok":
        assert tuple(ours[1]) == tuple(theirs[1])
        assert repr(ours[1]).replace("Ours", "X") == repr(theirs[1]).replace("Theirs", "X")
    else:
        assert ours[1] == theirs[1]


def test_the_class_has_a_namedtuples_parts() -> None:
    assert Ours._fields == Theirs._fields == FIELDS
    assert Ours._field_defaults == Theirs._field_defaults
    assert Ours.__match_args__ == Theirs.__match_args__
    assert Ours.__doc__ is None or isinstance(Ours.__doc__, str)
    value = Ours(1, "x")
    assert isinstance(value, tuple)
    assert value == (1, "x", 1.5, ()) == Theirs(1, "x")
    assert hash(value) == hash(Theirs(1, "x"))
    assert value < Ours(2, "a")
    assert value.total() == 2.5
    assert value[1] == value.b == "x"
    first, *rest = value
    assert (first, rest) == (1, ["x", 1.5, ()])
    with pytest.raises(AttributeError):
        value.a = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        value.extra = 1  # type: ignore[attr-defined]  # no instance dictionary
    match value:
        case Ours(1, b):
            assert b == "x"
        case _:  # pragma: no cover
            raise AssertionError("positional pattern did not match")


def test_make_replace_asdict_copy_and_pickle() -> None:
    value = Ours(1, "x", d=(2,))
    assert Ours._make([1, "x", 1.5, (2,)]) == value
    with pytest.raises(TypeError):
        Ours._make([1, "x"])
    replaced = value._replace(b="y")
    assert type(replaced) is Ours and replaced == (1, "y", 1.5, (2,))
    with pytest.raises(ValueError, match="unexpected field names"):
        value._replace(z=1)
    assert value._asdict() == Theirs(1, "x", d=(2,))._asdict()
    assert copy.copy(value) == value and copy.deepcopy(value) == value
    again = pickle.loads(pickle.dumps(value))
    assert type(again) is Ours and again == value


def test_definitions_are_checked_as_a_namedtuples() -> None:
    with pytest.raises(TypeError, match="cannot follow default"):

        class Bad(Record):
            a: int = 1
            b: int

    with pytest.raises(ValueError, match="cannot start with '_'"):

        class Private(Record):
            _a: int


def test_keyword_calls_take_the_quick_path_and_fall_back_for_errors() -> None:
    """A call with keywords is filled from the defaults and the keywords merged, whatever the
    number of positional arguments before them (the last field alone too); a required field
    left out, or a keyword naming a positional one, is the NamedTuple's TypeError."""
    for args, kwargs in [
        ((), {"a": 1, "b": "x"}),
        ((1,), {"b": "x", "d": (2,)}),
        ((1, "x", 2.5), {"d": (3,)}),
        ((1, "x"), {"c": 2.0}),
    ]:
        assert Ours(*args, **kwargs) == Theirs(*args, **kwargs)
        assert type(Ours(*args, **kwargs)) is Ours
    for args, kwargs in [((1,), {"c": 2.0}), ((1, "x"), {"a": 2}), ((), {"b": "x", "e": 1})]:
        assert _call(Ours, args, kwargs) == _call(Theirs, args, kwargs)
        assert _call(Ours, args, kwargs)[0] == "TypeError"
