"""`calendar`: review checkpoints and metric cadences as a subscribable iCalendar file."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from smartgoals import __version__
from smartgoals.errors import InvalidInputError, JournalError
from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_definitions
from smartgoals.views.calendar import CalendarView


def calendar(root: Path, today: dt.date, output: str | None = None) -> CalendarView:
    from smartgoals.ledger.definitions import read_settings
    from smartgoals.rendering.ics import calendar_text, events

    files = read_work_tree(root, journal=False)
    definitions = load_definitions(files.files)
    review = tuple((read_settings(root).review or {}).items())
    text = calendar_text(definitions, today, __version__, review, name=f"smartgoals: {root.name}")
    count = len(events(definitions, today, review))
    if output is not None and output != "-":
        _write(Path(output), text)
    else:
        output = None
    return CalendarView(text, count, output, (*files.problems, *definitions.problems))


def _write(path: Path, text: str) -> None:
    """Replace the file whole (a calendar that subscribes to it never reads half of one)."""
    if path.is_dir():
        raise InvalidInputError(f"-o: {path} is a directory")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise JournalError(f"cannot write {path}: {exc.strerror or exc}") from None
