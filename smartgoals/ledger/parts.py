"""A first read of a large journal on several processor cores: the bulk reader's result, its
later parts read at once in forked processes.

A cold `status` at 1M rows spends most of its time in the bulk reader (bulkrows.py), one
processor core at a time. On Linux with more than one core available, a journal text of at
least PART_BYTES is cut at line ends into up to MAX_PARTS parts: this process reads the first
while a forked child reads each other one, then sends its series and problems back through a
pipe (a pickle of plain lists: a date written once and referred to after, loaded here as the
child writes it), and the parts are joined in journal order. Each part is read exactly as
bulkrows reads a piece after earlier lines (line numbers go on from the lines before it; no
header), so the result is the row reader's:

- a part that the bulk reader declines (a carriage return, text that is not UTF-8, a record of
  quoted lines its part's end cuts) declines the whole text, which the row reader then reads;
  a cut inside a quoted record leaves the part before it ending inside quotes, which the csv
  module refuses;
- a correction replaces rows read before it, in any part: a text with one after the first
  cut is read in one process;
- a derived metric's recorded rows are reported once per file: a later part's report of one
  that an earlier part reported is dropped.

A child that fails in any way (it cannot be forked, it exits with an error, its answer does not
arrive whole) costs time, never an answer: its part is read here. The children never write a
file nor print; they end with os._exit, so nothing of this process (buffered output, exit
handlers) runs twice. Not on other systems (fork without exec is unsafe on macOS, and Windows
has none), not in a process with threads, and not with SMARTGOALS_JOBS=1.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pickle
import signal
import sys
from typing import Any

from smartgoals.errors import Problem
from smartgoals.ledger.bulkrows import CORRECTION, RowReader, read_bulk
from smartgoals.ledger.model import MetricDef, Series

# below this a fork, its pipe and the pickles cost about what a part saves: a cold `status` on
# two cores against one process, 0.99x at 4.3 MB (180k rows), 0.85x at 8.7 MB, 0.78x at 24 MB
# (1M rows; medians of alternating pairs)
PART_BYTES = 4 << 20
MAX_PARTS = 4  # more would each save less than a fork costs (measured on two cores only)
# the first part's size to another's: this process loads each child's pickle after its own
# part, as the child writes it (about 0.1 s for 500k rows on two cores)
LEAD = 1.1
JOBS = "SMARTGOALS_JOBS"  # the most processes a read may use; 1: one

Result = tuple[dict[str, Series], list[Problem], int]


def read_parts(
    data: bytes | memoryview,
    rel: str,
    metrics: dict[str, MetricDef],
    reader: RowReader,
    *,
    start: int = 0,
    derived_seen: set[str] | None = None,
    part_bytes: int = PART_BYTES,
    parts: int | None = None,
) -> Result | None:
    """read_bulk's answer for data (its arguments, and its result: None when the text is one
    for the row reader), read in parts on several cores when the text is long enough.
    parts: how many (at most; None: as many as the cores allow, up to MAX_PARTS)."""
    seen = set() if derived_seen is None else derived_seen
    cuts, before = plan(data, part_bytes, parts)
    if len(cuts) < 3:
        return read_bulk(data, rel, metrics, reader, start=start, derived_seen=seen)
    view = memoryview(data)
    starts = [start + lines for lines in before]
    children: list[_Child | None] = []
    try:
        for i in range(1, len(cuts) - 1):
            children.append(
                _fork(view[cuts[i] : cuts[i + 1]], rel, metrics, reader, starts[i], seen)
            )
        first = read_bulk(view[: cuts[1]], rel, metrics, reader, start=start, derived_seen=seen)
        if first is None:
            return None
        series, problems, count = first
        for i, child in enumerate(children, start=1):
            answer = _answer(child)
            if answer is None:  # the child failed: read its part here, after the parts before
                part = view[cuts[i] : cuts[i + 1]]
                found = read_bulk(part, rel, metrics, reader, start=starts[i], derived_seen=seen)
                if found is None:
                    return None
                added, more, lines = found
            else:
                result, named = answer
                if result is None:
                    return None
                added, more, lines = result
                again = {metric_id for metric_id in named if metric_id in seen}
                more = [problem for problem in more if not _reported(problem, again, metrics)]
                seen.update(named)
            for metric_id, one in added.items():
                have = series.get(metric_id)
                if have is None:
                    series[metric_id] = one
                else:
                    have.dates += one.dates
                    have.values += one.values
                    have.notes += one.notes
                    have.lines += one.lines
            problems += more
            count += lines
        return series, problems, count
    finally:  # every child reaped (one whose answer is not needed, ended first)
        for child in children:
            _end(child)


def plan(
    data: bytes | memoryview, part_bytes: int = PART_BYTES, parts: int | None = None
) -> tuple[list[int], list[int]]:
    """Where to cut data, and how many lines lie before each part: [0, each cut (just after a
    newline), len(data)], one part ([0, len]) when the text is short, when the machine or the
    process allows one process, or when a correction lies after the first cut. This process
    reads the first part and has a pickle to load after it: it is LEAD times the others."""
    size = len(data)
    if parts is None:
        parts = min(MAX_PARTS, _cores())
    elif not hasattr(os, "fork"):
        parts = 1
    parts = min(parts, size // max(part_bytes, 1))
    if parts < 2:
        return [0, size], [0]
    whole = _whole(data)
    weight = LEAD + parts - 1
    cuts = [0]
    for i in range(1, parts):
        at = max(int(size * (LEAD + i - 1) / weight), cuts[-1])
        found = whole.find(b"\n", at)
        if found < 0 or found + 1 >= size:
            break
        if found + 1 > cuts[-1]:
            cuts.append(found + 1)
    cuts.append(size)
    if len(cuts) == 2 or whole.find(CORRECTION.encode(), cuts[1]) >= 0:
        return [0, size], [0]
    lines = [0]
    for low, high in itertools.pairwise(cuts[:-1]):
        lines.append(lines[-1] + whole.count(b"\n", low, high))
    return cuts, lines


def _whole(data: bytes | memoryview) -> bytes:
    """data as bytes, the object itself when a view shows all of one."""
    if isinstance(data, bytes):
        return data
    if isinstance(data.obj, bytes) and data.nbytes == len(data.obj) and data.c_contiguous:
        return data.obj
    return bytes(data)


def _cores() -> int:
    """How many processes a read may use: the cores this process may run on (1 where a fork
    is unsafe or unavailable, or in a process with threads), at most SMARTGOALS_JOBS."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return 1
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except OSError:
        return 1
    jobs = os.environ.get(JOBS, "").strip()
    if jobs.isdigit() and int(jobs) > 0:
        cores = min(cores, int(jobs))
    return cores


class _Child:
    """A forked reader of one part: its process and the pipe its answer comes through."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe = pipe
        self.ended = False
        self.answered = False  # its answer was read (whole or not): no need to end it early


def _fork(
    part: memoryview,
    rel: str,
    metrics: dict[str, MetricDef],
    reader: RowReader,
    start: int,
    seen: set[str],
) -> _Child | None:
    """A child reading part (None when none could be forked: the part is read here)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid:
        os.close(write_end)
        return _Child(pid, read_end)
    code = 1  # the child: whatever happens, it ends here
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # an interrupt ends it quietly
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.close(read_end)
        named = set(seen)
        result = read_bulk(part, rel, metrics, reader, start=start, derived_seen=named)
        answer = (_plain(result), sorted(named - seen))
        with open(write_end, "wb") as out:
            pickle.dump(answer, out, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    finally:
        os._exit(code)


def _plain(result: Result | None) -> Any:
    """result as builtins only (a pickle of Series objects would name the class)."""
    if result is None:
        return None
    series, problems, count = result
    rows = [(m, s.dates, s.values, s.notes, s.lines) for m, s in series.items()]
    return rows, [tuple(problem) for problem in problems], count


def _answer(child: _Child | None) -> tuple[Result | None, list[str]] | None:
    """The child's answer: its part's result and the derived metrics it reported; None when
    there is none to trust (no child, an error, an answer cut short)."""
    if child is None:
        return None
    child.answered = True
    try:  # loaded as it comes: the child writes its pickle while this process reads it
        with open(child.pipe, "rb", closefd=False) as stream:
            plain, named = pickle.load(stream)
    except Exception:  # no answer, or one cut short: the part is read here
        return None
    if plain is None:
        return None, named
    rows, problems, count = plain
    series = {m: Series(dates, values, notes, lines) for m, dates, values, notes, lines in rows}
    return (series, [Problem(*problem) for problem in problems], count), named


def _end(child: _Child | None) -> None:
    """Close the child's pipe and reap it, once (ended first when its answer is not needed:
    a part before it was declined, or this process is being interrupted)."""
    if child is None or child.ended:
        return
    child.ended = True
    if not child.answered:
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGKILL)
    os.close(child.pipe)
    os.waitpid(child.pid, 0)


def _reported(problem: Problem, again: set[str], metrics: dict[str, MetricDef]) -> bool:
    """Whether problem is the report of a derived metric in again (reported by an earlier
    part): the row readers place it at the metric's formula, under field "formula"."""
    if problem.field != "formula":
        return False
    for metric_id in again:
        where = metrics[metric_id].formula_where
        if (problem.path, problem.line, problem.column) == (where.path, where.line, where.column):
            return True
    return False
