"""The `sync` view: what came in from the upstream, and whether and what was pushed."""

from __future__ import annotations

from typing import NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.rendering import Display, Form, Format
from smartgoals.vcs.sync import Synced


class SyncView(NamedTuple):
    synced: Synced
    problems: tuple[Problem, ...]  # the merged ledger's: they stop the push
    push_wanted: bool

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def sync_lines(view: SyncView, display: Display) -> list[str]:
    done = view.synced
    came = f"{done.brought_in} commit(s) from {done.upstream}"
    lines = {
        "up to date": [f"{done.branch} has everything from {done.upstream}"],
        "fast-forward": [f"fast-forwarded {done.branch} by {came}"],
        "rebase": [f"rebased {done.branch} onto {came}"],
        "merge": [f"merged {came} into {done.branch}"],
    }[done.how]
    if view.problems:
        lines.append(
            f"not pushed: the ledger has {len(view.problems)} problem(s) after the merge "
            "(listed above); fix them, commit, and sync again"
        )
    elif done.pushed:
        lines.append(f"pushed {done.sent} commit(s) to {done.upstream} ({done.commit[:10]})")
    elif done.sent == 0:
        lines.append(f"nothing to push: {done.upstream} has every commit")
    elif not view.push_wanted:
        lines.append(f"not pushed (--no-push): {done.sent} commit(s) ahead of {done.upstream}")
    return lines


FORMS: dict[type, dict[Format, Form]] = {SyncView: {Format.PLAIN: sync_lines}}
