"""`undo`: cancel the current user's last unpushed log or check-in commit by appending
correction rows to the journal and withdrawal rows to goals/checkins.csv (never rewriting or
deleting a line), in one commit."""

from __future__ import annotations

from pathlib import Path

from smartgoals.files import JOURNAL
from smartgoals.ledger.checkins import CHECKINS, withdrawal_row
from smartgoals.ledger.checkins import HEADER_LINE as CHECKINS_HEADER
from smartgoals.ledger.journal import HEADER_LINE as JOURNAL_HEADER
from smartgoals.views.undo import UndoView, withdrawn_text
from smartgoals.views.undo import preview_lines as preview_lines  # the cli shows it first
from smartgoals.write.corrections import UndoPlan, plan_undo
from smartgoals.write.recording import goal_definitions, record_entries, record_files


def plan(root: Path) -> UndoPlan:
    """What undo would append; InvalidInputError when there is nothing to undo or it was
    pushed."""
    return plan_undo(root, goal_definitions(root))


def undo(root: Path, found: UndoPlan) -> UndoView:
    info = found.commit
    message = f"undo: {info.short} ({info.message})\n\n" + "\n".join(
        [f"{entry.metric.id} ({entry.day.isoformat()}): {entry.note}" for entry in found.entries]
        + [
            f"{one.goal} ({one.date.isoformat()}): {withdrawn_text(one)}"
            for one in found.withdrawals
        ]
    )
    if not found.withdrawals:
        return UndoView(found, record_entries(root, found.entries, message))
    rows = {
        JOURNAL: ("".join(entry.row for entry in found.entries), JOURNAL_HEADER),
        CHECKINS: ("".join(withdrawal_row(one) for one in found.withdrawals), CHECKINS_HEADER),
    }
    return UndoView(found, record_files(root, rows, message))
