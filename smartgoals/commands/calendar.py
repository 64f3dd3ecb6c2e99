"""`calendar`: review checkpoints and metric cadences as a subscribable iCalendar file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_definitions
from smartgoals.version import __version__
from smartgoals.views.calendar import CalendarView


def calendar(root: Path, today: dt.date) -> CalendarView:
    from smartgoals.rendering.ics import calendar_text, events

    files = read_work_tree(root, journal=False)
    definitions = load_definitions(files.files)
    review = definitions.settings.review
    text = calendar_text(definitions, today, __version__, review, name=f"smartgoals: {root.name}")
    count = len(events(definitions, today, review))
    return CalendarView(text, count, (*files.problems, *definitions.problems))
