"""views/calendar.py: the calendar view is its iCalendar text; its exit code says problems."""

from __future__ import annotations

from smartgoals.errors import Problem
from smartgoals.rendering import forms_of
from smartgoals.views.calendar import CalendarView


def test_exit_code_follows_the_problems() -> None:
    assert CalendarView("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", 0, ()).exit_code == 0
    broken = CalendarView("", 0, (Problem("goals/goals.yaml", 1, 1, "bad"),))
    assert broken.exit_code == 1


def test_it_has_no_form_the_cli_writes_the_text() -> None:
    assert forms_of(CalendarView) == {}
