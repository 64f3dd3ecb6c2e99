"""The `notify` view: the notice (what changed since the last one, or the weekly digest), where
it went, or why nothing was sent; as lines or JSON. The notice itself is Markdown."""

from __future__ import annotations

from typing import Any, NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.rendering import Display, Form, Format


class Notice(NamedTuple):
    title: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines), each a list item

    @property
    def empty(self) -> bool:
        return not any(lines for _, lines in self.sections)

    def markdown(self) -> str:
        parts = []
        for heading, lines in self.sections:
            if lines:
                parts.append(f"**{heading}**\n\n" + "\n".join(f"- {line}" for line in lines))
        return "\n\n".join(parts) + "\n"


class NotifyView(NamedTuple):
    notice: Notice
    destinations: tuple[str, ...]  # shown without their secrets: scheme://host
    sent: bool
    dry_run: bool
    last: str | None  # when the last notice was sent (ISO time), None: never

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def notify_json(view: NotifyView, display: Display) -> dict[str, Any]:
    return {
        "title": view.notice.title,
        "body": None if view.notice.empty else view.notice.markdown(),
        "sections": {heading: list(lines) for heading, lines in view.notice.sections},
        "destinations": list(view.destinations),
        "sent": view.sent,
        "dry_run": view.dry_run,
        "last_notice": view.last,
    }


def notify_lines(view: NotifyView, display: Display) -> list[str]:
    if view.notice.empty:
        since = f" ({view.last[:16].replace('T', ' ')})" if view.last else ""
        return [f"nothing new since the last notice{since}: nothing sent"]
    lines = [view.notice.title, "", *view.notice.markdown().rstrip("\n").splitlines()]
    if view.dry_run:
        where = ", ".join(view.destinations) or "no destination configured"
        lines += ["", f"dry run: not sent (would go to {where})"]
    elif view.sent:
        lines += ["", f"sent to {', '.join(view.destinations)}"]
    return lines


FORMS: dict[type, dict[Format, Form]] = {
    NotifyView: {Format.JSON: notify_json, Format.PLAIN: notify_lines},
}
