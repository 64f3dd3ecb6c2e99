"""The notify view's forms (end to end: tests/commands/test_notify.py)."""

from __future__ import annotations

from smartgoals.rendering import Display
from smartgoals.views.notify import Notice, NotifyView, notify_json, notify_lines

NOTICE = Notice("smartgoals: what changed", (("Risks", ("r: fires",)), ("Due", ())))


def test_a_notice_is_markdown_without_empty_sections() -> None:
    assert NOTICE.markdown() == "**Risks**\n\n- r: fires\n"
    assert Notice("t", (("Due", ()),)).empty


def test_lines_say_where_it_went_or_why_nothing_was_sent() -> None:
    sent = NotifyView(NOTICE, ("json://127.0.0.1:8080",), True, False, "2026-12-07T09:00:00+00:00")
    assert notify_lines(sent, Display())[-1] == "sent to json://127.0.0.1:8080"
    quiet = sent._replace(notice=Notice("t", ()), sent=False)
    assert notify_lines(quiet, Display()) == [
        "nothing new since the last notice (2026-12-07 09:00): nothing sent"
    ]
    assert notify_json(quiet, Display())["body"] is None
