"""The `undo` view: what undo appends (the preview a person confirms) and what it did."""

from __future__ import annotations

from typing import NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.ledger.checkins import Checkin, withdrawal_note
from smartgoals.rendering import Display, Form, Format
from smartgoals.write.corrections import UndoPlan
from smartgoals.write.recording import Written


class UndoView(NamedTuple):
    plan: UndoPlan
    written: Written

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.written.warnings

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def withdrawn_text(one: Checkin) -> str:
    return withdrawal_note(one.confidence, one.note)


def preview_lines(found: UndoPlan) -> list[str]:
    """What undo will do, for a person to confirm."""
    info = found.commit
    lines = [f"undo {info.short} ({info.message}) by {info.author}, appending:"]
    for entry in found.entries:
        lines.append(f"  {entry.day.isoformat()} {entry.metric.id}: {entry.note}")
    for one in found.withdrawals:
        lines.append(f"  {one.date.isoformat()} {one.goal}: {withdrawn_text(one)}")
    return lines


def undo_lines(view: UndoView, display: Display) -> list[str]:
    lines = preview_lines(view.plan)[1:]
    info, done = view.plan.commit, view.written
    rows = f"{len(view.plan.entries)} correction row{'s' if len(view.plan.entries) != 1 else ''}"
    if view.plan.withdrawals:
        count = len(view.plan.withdrawals)
        rows += f" and {count} check-in withdrawal{'s' if count != 1 else ''}"
    where = (
        f"committed {done.commit[:10]}"
        if done.commit
        else f"not committed ({done.not_committed_reason})"
    )
    return [f"undid {info.short} ({info.message}): {rows} {where}", *lines]


FORMS: dict[type, dict[Format, Form]] = {UndoView: {Format.PLAIN: undo_lines}}
