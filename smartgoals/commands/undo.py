"""`undo`: cancel the current user's last unpushed log or check-in commit by appending
correction rows to the journal and withdrawal rows to goals/checkins.csv (never rewriting or
deleting a line), in one commit."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.files import JOURNAL
from smartgoals.ledger.checkins import CHECKINS, Checkin, withdrawal_note, withdrawal_row
from smartgoals.ledger.checkins import HEADER_LINE as CHECKINS_HEADER
from smartgoals.ledger.journal import HEADER_LINE as JOURNAL_HEADER
from smartgoals.write.corrections import UndoPlan, plan_undo
from smartgoals.write.recording import Written, goal_definitions, record_entries, record_files


class UndoView(NamedTuple):
    plan: UndoPlan
    written: Written

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.written.warnings

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def plan(root: Path) -> UndoPlan:
    """What undo would append; InvalidInputError when there is nothing to undo or it was
    pushed."""
    return plan_undo(root, goal_definitions(root))


def _withdrawn(one: Checkin) -> str:
    return withdrawal_note(one.confidence, one.note)


def preview_lines(found: UndoPlan) -> list[str]:
    """What undo will do, for a person to confirm."""
    info = found.commit
    lines = [f"undo {info.short} ({info.message}) by {info.author}, appending:"]
    for entry in found.entries:
        lines.append(f"  {entry.day.isoformat()} {entry.metric.id}: {entry.note}")
    for one in found.withdrawals:
        lines.append(f"  {one.date.isoformat()} {one.goal}: {_withdrawn(one)}")
    return lines


def undo(root: Path, found: UndoPlan) -> UndoView:
    info = found.commit
    message = f"undo: {info.short} ({info.message})\n\n" + "\n".join(
        [f"{entry.metric.id} ({entry.day.isoformat()}): {entry.note}" for entry in found.entries]
        + [f"{one.goal} ({one.date.isoformat()}): {_withdrawn(one)}" for one in found.withdrawals]
    )
    if not found.withdrawals:
        return UndoView(found, record_entries(root, found.entries, message))
    rows = {
        JOURNAL: ("".join(entry.row for entry in found.entries), JOURNAL_HEADER),
        CHECKINS: ("".join(withdrawal_row(one) for one in found.withdrawals), CHECKINS_HEADER),
    }
    return UndoView(found, record_files(root, rows, message))
