"""rowcodec.py: a page of notes and line numbers comes back as it went in, whatever the notes
hold, and bytes that are not such a page are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.ledger.pages import unpickle
from smartgoals.ledger.rowcodec import pack_rows, unpack_rows


@given(st.lists(st.tuples(st.text(), st.integers(min_value=-(2**70), max_value=2**70))))
def test_a_page_reads_back_as_written(rows: list[tuple[str, int]]) -> None:
    notes, lines = [note for note, _ in rows], [line for _, line in rows]
    assert unpack_rows(pack_rows(notes, lines), len(rows), unpickle) == (notes, lines)


def test_plain_notes_and_lines_are_packed_not_pickled() -> None:
    page = pack_rows(["", "import", "é"], [2, 3, 10**9])
    assert page[:1] == b"A" and b"import" in page
    assert pack_rows(["a\x00b"], [1])[:1] == b"P"  # a NUL inside a note
    assert pack_rows(["a"], [2**64])[:1] == b"P"  # a number no machine integer holds


@pytest.mark.parametrize(
    ("data", "count"),
    [
        (b"", 1),
        (b"X" + bytes(8), 1),  # another tag
        (pack_rows(["a", "b"], [1, 2]), 3),  # fewer rows than said
        (pack_rows(["a", "b"], [1, 2]), 1),  # more notes than said
        (pack_rows(["a"], [1])[:5], 1),  # cut short
        (b"A" + bytes(8) + b"\xff", 1),  # notes that are not UTF-8
    ],
)
def test_bytes_that_are_not_a_page_are_refused(data: bytes, count: int) -> None:
    with pytest.raises(ValueError):
        unpack_rows(data, count, unpickle)
