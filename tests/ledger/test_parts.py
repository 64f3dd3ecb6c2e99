"""parts.py: a journal read in parts, the later ones in forked processes, gives exactly what the
row reader gives (the bulk reader's contract), whatever the cuts; a child that fails costs its
part a second read here, never a different answer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.errors import Problem
from smartgoals.ledger import journal, parts
from tests.ledger.test_bulkrows import METRICS, PLAIN, REL, a_journal, row_reader

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="parts are read in forks")


def split(data: bytes, count: int, reader: Any = None, **kwargs: Any) -> Any:
    """read_parts cut into up to count parts, whatever the text's size and the machine."""
    reader = reader or journal._row_reader(REL, METRICS)
    return parts.read_parts(data, REL, METRICS, reader, part_bytes=1, parts=count, **kwargs)


def same(data: bytes, count: int) -> None:
    expected = row_reader(data)
    found = split(data, count)
    if found is None:
        return  # declined whole: the row reader reads it (journal.parse_rows)
    problems = found[1]
    if data and not data.endswith(b"\n"):
        problems = [
            *problems,
            Problem(REL, found[2], 0, "the last line has no newline (a torn write?)"),
        ]
    assert (found[0], problems, found[2]) == expected


@settings(max_examples=150, deadline=None)
@given(a_journal(), st.integers(2, 4))
def test_any_journal_in_parts_reads_as_the_row_reader_reads_it(data: bytes, count: int) -> None:
    same(data, count)


RECORDED = "2026-01-{day:02d},ratio,1,\n"  # a derived metric's row: reported once per file


@pytest.mark.parametrize("where", ["first", "second", "both"])
def test_a_derived_metric_recorded_is_reported_once_whichever_parts_hold_it(where: str) -> None:
    half = PLAIN.count("\n") // 2
    lines = PLAIN.splitlines(keepends=True)
    if where in ("first", "both"):
        lines.insert(3, RECORDED.format(day=2))
    if where in ("second", "both"):
        lines.insert(half + 10, RECORDED.format(day=20))
    data = "".join(lines).encode()
    found = split(data, 2)
    assert found is not None
    assert [p.field for p in found[1]] == ["formula"]
    same(data, 2)
    seen: set[str] = set()
    split(data, 2, derived_seen=seen)
    assert seen == {"ratio"}


def pid_reader(log: Path, fail_in_child: bool = False) -> Any:
    """The row reader, noting which process read each special line (and failing in a child)."""
    parent = os.getpid()
    inner = journal._row_reader(REL, METRICS)

    def read(records: Any, start: int, *rest: Any) -> None:
        if fail_in_child and os.getpid() != parent:
            raise RuntimeError("a child that fails")
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        inner(records, start, *rest)

    return read


QUOTED = '2026-02-{day:02d},users,5,"a note, quoted"\n'  # read by the row reader


def with_quotes() -> bytes:
    lines = PLAIN.splitlines(keepends=True)
    lines.insert(5, QUOTED.format(day=1))
    lines.insert(len(lines) - 5, QUOTED.format(day=2))
    return "".join(lines).encode()


def test_the_later_part_is_read_in_another_process(tmp_path: Path) -> None:
    log = tmp_path / "pids"
    found = split(with_quotes(), 2, pid_reader(log))
    pids = log.read_text().split()
    assert len(pids) == 2 and str(os.getpid()) in pids and len(set(pids)) == 2
    assert found is not None and found[2] == PLAIN.count("\n") + 2
    same(with_quotes(), 2)


def test_a_child_that_fails_has_its_part_read_here(tmp_path: Path) -> None:
    log = tmp_path / "pids"
    found = split(with_quotes(), 2, pid_reader(log, fail_in_child=True))
    assert log.read_text().split() == [str(os.getpid())] * 2
    assert found == row_reader(with_quotes())


def test_a_correction_after_the_first_cut_keeps_the_read_in_one_process(tmp_path: Path) -> None:
    data = with_quotes() + b"2026-01-02,mrr,7,correction: typo\n"
    log = tmp_path / "pids"
    found = split(data, 2, pid_reader(log))
    assert set(log.read_text().split()) == {str(os.getpid())}
    assert found == row_reader(data)
    assert 7.0 in found[0]["mrr"].values and 20.0 not in found[0]["mrr"].values


def test_a_part_the_bulk_reader_declines_declines_the_whole_text() -> None:
    data = PLAIN.encode() + b"2026-03-01,mrr,1,\r\n"  # a carriage return in the last part
    assert split(data, 2) is None
    assert journal.read_journal(data, REL, METRICS)[0]["mrr"].values[-1] == 1.0


def test_the_plan_cuts_after_newlines_and_counts_the_lines_before() -> None:
    data = PLAIN.encode()
    cuts, before = parts.plan(data, 1, 3)
    assert cuts[0] == 0 and cuts[-1] == len(data) and len(cuts) == 4
    assert all(data[cut - 1 : cut] == b"\n" for cut in cuts[1:-1])
    assert before == [data.count(b"\n", 0, cut) for cut in cuts[:-1]]
    assert parts.plan(data, len(data), 3) == ([0, len(data)], [0])  # too short for two
    assert parts.plan(b"no newline at all", 1, 2) == ([0, 17], [0])
    assert parts.plan(memoryview(data)[: cuts[1]], 1, 2)[0][-1] == cuts[1]


def test_one_process_with_smartgoals_jobs_1(monkeypatch: pytest.MonkeyPatch) -> None:
    data = PLAIN.encode()
    monkeypatch.setenv(parts.JOBS, "1")
    assert parts.plan(data, 1) == ([0, len(data)], [0])
    monkeypatch.setenv(parts.JOBS, "2")
    assert parts._cores() <= 2
    assert len(parts.plan(data, 1)[0]) - 1 == parts._cores()


def test_a_first_part_declined_ends_the_children_without_waiting_for_their_answer() -> None:
    data = b"2026-03-01,mrr,1,\r\n" + PLAIN.encode()[len("date,metric,value,note\n") :]
    assert split(data, 2) is None
    assert journal.read_journal(data, REL, METRICS)[1]  # the row reader's problems instead
