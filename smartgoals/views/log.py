"""The views of a write: one value recorded (`log METRIC VALUE`), several in one commit, or
nothing because of problems (shared by `log`, `import` and `pull`); as plain lines."""

from __future__ import annotations

from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.cells import value_text
from smartgoals.write.recording import Entry, Recorded, Written


class RecordedView(NamedTuple):
    recorded: Recorded

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.recorded.warnings

    @property
    def exit_code(self) -> int:
        return EXIT_OK


class BatchView(NamedTuple):
    """Several values recorded in one append and one commit."""

    entries: tuple[Entry, ...]
    written: Written
    warnings: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_OK


class RefusedView(NamedTuple):
    """Nothing was recorded: every problem found (printed first, on stderr)."""

    problems: tuple[Problem, ...]
    warnings: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID


def recorded_lines(view: RecordedView, display: Display) -> list[str]:
    done = view.recorded
    if done.commit:
        where = f"committed {done.commit[:10]}"
    else:
        where = f"not committed ({done.not_committed_reason})"
    shown = value_text(done.metric, done.value)
    return [f"{done.metric.id} = {shown} on {done.day.isoformat()}: {where}"]


def batch_lines(view: BatchView, display: Display) -> list[str]:
    lines = [
        f"{e.metric.id} = {value_text(e.metric, e.value) if e.value_text else 'none'} on "
        f"{e.day.isoformat()}" + (f"  ({e.note})" if e.note.startswith("correction:") else "")
        for e in view.entries
    ]
    done = view.written
    count = f"{len(view.entries)} value{'s' if len(view.entries) != 1 else ''}"
    if done.commit:
        lines.append(f"{count}: committed {done.commit[:10]}")
    else:
        lines.append(f"{count}: not committed ({done.not_committed_reason})")
    return lines


def refused_lines(view: RefusedView, display: Display) -> list[str]:
    count = len(view.problems)
    return [f"nothing was recorded: {count} problem{'s' if count != 1 else ''}"]


FORMS: dict[type, dict[Format, Form]] = {
    RecordedView: {Format.PLAIN: recorded_lines},
    BatchView: {Format.PLAIN: batch_lines},
    RefusedView: {Format.PLAIN: refused_lines},
}
