"""`undo`: cancel the current user's last unpushed log or check-in commit by appending
correction rows to the journal and withdrawal rows to goals/checkins.csv (never rewriting or
deleting a line), in one commit."""

from __future__ import annotations

from pathlib import Path

from smartgoals.ledger.checkins import withdrawal_row
from smartgoals.ledger.loader import load_definitions_at
from smartgoals.views.undo import UndoView, withdrawn_text
from smartgoals.views.undo import preview_lines as preview_lines  # the cli shows it first
from smartgoals.write.batch import commit_batch
from smartgoals.write.corrections import UndoPlan, plan_undo
from smartgoals.write.recording import Batch, Refused


def plan(root: Path) -> UndoPlan:
    """What undo would append; InvalidInputError when there is nothing to undo or it was
    pushed."""
    return plan_undo(root, load_definitions_at(root))


def undo(root: Path, found: UndoPlan) -> UndoView:
    info = found.commit
    message = f"undo: {info.short} ({info.message})\n\n" + "\n".join(
        [f"{entry.metric.id} ({entry.day.isoformat()}): {entry.note}" for entry in found.entries]
        + [
            f"{one.goal} ({one.date.isoformat()}): {withdrawn_text(one)}"
            for one in found.withdrawals
        ]
    )
    # withdrawals take goals/checkins.csv into the commit; values alone go as `log`'s do
    withdrawn = "".join(withdrawal_row(one) for one in found.withdrawals)
    batch = Batch(found.entries, message, withdrawn if found.withdrawals else None)
    written = commit_batch(root, batch, found.definitions)
    if isinstance(written, Refused):
        raise written.error()
    return UndoView(found, written)
