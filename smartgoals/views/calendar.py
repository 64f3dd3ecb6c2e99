"""The `calendar` view: review checkpoints and metric cadences as one iCalendar text."""

from __future__ import annotations

from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Form, Format


class CalendarView(NamedTuple):
    text: str  # the iCalendar object, CRLF line ends
    events: int
    problems: tuple[Problem, ...]

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


# No form: the iCalendar text is the output itself, written whole to the file or standard
# output by the cli (rendering/ics.py builds it).
FORMS: dict[type, dict[Format, Form]] = {CalendarView: {}}
