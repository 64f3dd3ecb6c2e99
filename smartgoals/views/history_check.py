"""The `check --history` view: the rows a range of commits changed or removed, as lines,
workflow commands or JSON."""

from __future__ import annotations

from typing import Any, NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.annotations import workflow_command
from smartgoals.revisions.appendonly import RangeCheck


class HistoryCheckView(NamedTuple):
    """`check --history RANGE`: the rows the range's commits changed or removed."""

    checked: RangeCheck
    github: bool = False  # as GitHub workflow commands
    prefix: str = ""  # the ledger root inside the repository, for annotations

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.checked.rewrites else EXIT_OK


def history_check_lines(view: HistoryCheckView, display: Display) -> list[str]:
    """One line per rewrite (`path:line: changed in SHA by NAME <EMAIL>: old -> new`, or as
    `::error file=...,line=...::` for GitHub), then the verdict."""
    checked = view.checked
    if view.github:
        lines = [workflow_command("error", r.problem(), view.prefix) for r in checked.rewrites]
    else:
        lines = [str(rewrite) for rewrite in checked.rewrites]
    if checked.rewrites:
        verdict = f"{len(checked.rewrites)} row(s) changed or removed"
    else:
        verdict = "ok: only appended to the journal and check-ins"
    return [*lines, f"{verdict} in {checked.commits} commit(s) of {checked.spec}"]


def history_check_json(view: HistoryCheckView, display: Display) -> dict[str, Any]:
    checked = view.checked
    return {
        "ok": not checked.rewrites,
        "range": checked.spec,
        "commits": checked.commits,
        "rewrites": [
            {
                "path": r.path,
                "line": r.line,
                "kind": "removed" if r.new is None else "changed",
                "commit": r.commit,
                "parent": r.parent or None,
                "author": r.author,
                "old": r.old,
                "new": r.new,
                "message": r.describe(),
            }
            for r in checked.rewrites
        ],
    }


FORMS: dict[type, dict[Format, Form]] = {
    HistoryCheckView: {Format.JSON: history_check_json, Format.PLAIN: history_check_lines},
}
