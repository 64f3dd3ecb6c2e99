"""Series read from the journal cache whose notes and line numbers are unpickled on first use.

A judgement reads a metric's dates and values; only the commands that show rows (`history`,
`show`, `export`, a report's notes, `diff`) read their notes and journal lines. So the journal
cache (journalcache.py) keeps those two apart from the dates and values, and a warm `status`
never unpickles them: at 1M rows that is a million line numbers (each an int object) and a
million note references.

A LazySeries gets them from its Rows the first time it is asked for them (a sort, a
correction, an append, a row shown), before anything changes them but rows appended after
them (LazySeries.extend), whose notes and lines wait beside them until then. The journal
cache's Rows are pages.SeriesRows: the series' own notes and lines in pages, each read and
checked against the digest the entry's sealed head holds when one of its rows is first read
(a report's notes of one month read that month's pages).
"""

from __future__ import annotations

from typing import Any, Protocol

from smartgoals.ledger.model import Series


class Rows(Protocol):
    """Where a LazySeries' notes and lines come from: fill() gives them to it (and its
    fellows), once."""

    def fill(self) -> None: ...


class LazySeries(Series):
    """A Series whose notes and lines come from its Rows when first read or written."""

    __slots__ = ("_lines", "_more", "_notes", "_rows", "size")

    def __init__(self, dates: list[Any], values: list[float], rows: Rows) -> None:
        self.dates = dates
        self.values = values
        self.paths = None
        self._notes: list[str] | None = None
        self._lines: list[int] | None = None
        self._rows = rows
        self.size = len(dates)  # the rows the block holds for it
        self._more: tuple[list[str], list[int]] = ([], [])  # those of rows added since

    def adopt(self, notes: list[str], lines: list[int]) -> None:
        """Hold these notes and lines, whatever the block holds (pages.Rescue)."""
        self._notes, self._lines = notes, lines
        self._more = ([], [])

    def fill(self, notes: list[str], lines: list[int]) -> None:
        """Hold notes and lines (fresh lists, or the journal cache's paged ones: pages.py), the
        rows added since after them."""
        if self._notes is None:
            notes.extend(self._more[0])
            lines.extend(self._more[1])
            self._notes, self._lines = notes, lines
            self._more = ([], [])

    def extend(
        self, dates: list[Any], values: list[float], notes: list[str], lines: list[int]
    ) -> None:
        """Add rows after the others without reading the block: their notes and lines wait
        for it (an append to the journal since the entry was written)."""
        self.dates += dates
        self.values += values
        if self._notes is None:
            self._more[0].extend(notes)
            self._more[1].extend(lines)
        else:
            self.notes += notes
            self.lines += lines

    def _loaded(self) -> None:
        if self._notes is None:
            self._rows.fill()

    @property
    def notes(self) -> list[str]:
        self._loaded()
        assert self._notes is not None
        return self._notes

    @notes.setter
    def notes(self, value: list[str]) -> None:
        self._loaded()
        self._notes = value

    @property
    def lines(self) -> list[int]:
        self._loaded()
        assert self._lines is not None
        return self._lines

    @lines.setter
    def lines(self, value: list[int]) -> None:
        self._loaded()
        self._lines = value

    def loaded(self) -> bool:
        """Whether the notes and lines have been read (for tests and measurements)."""
        return self._notes is not None
