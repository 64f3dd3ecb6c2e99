"""views/sync.py: one line for how the upstream came in, one for what was pushed."""

from __future__ import annotations

import pytest

from smartgoals.errors import Problem
from smartgoals.rendering import Display
from smartgoals.vcs.sync import Synced
from smartgoals.views.sync import SyncView, sync_lines

SHA = "0123456789abcdef0123456789abcdef01234567"


def synced(how: str, brought_in: int = 2, sent: int = 1, pushed: bool = False) -> Synced:
    return Synced("main", "origin", "main", brought_in, sent, how, pushed, SHA)


@pytest.mark.parametrize(
    ("how", "first"),
    [
        ("up to date", "main has everything from origin/main"),
        ("fast-forward", "fast-forwarded main by 2 commit(s) from origin/main"),
        ("rebase", "rebased main onto 2 commit(s) from origin/main"),
        ("merge", "merged 2 commit(s) from origin/main into main"),
    ],
)
def test_how_it_came_in(how: str, first: str) -> None:
    lines = sync_lines(SyncView(synced(how, pushed=True), (), True), Display())
    assert lines == [first, "pushed 1 commit(s) to origin/main (0123456789)"]


def test_not_pushed_because_of_problems() -> None:
    problem = Problem("goals/log.csv", 3, 0, "unknown metric")
    view = SyncView(synced("rebase"), (problem,), True)
    assert sync_lines(view, Display())[1] == (
        "not pushed: the ledger has 1 problem(s) after the merge (listed above); fix them, "
        "commit, and sync again"
    )
    assert view.exit_code == 1


def test_nothing_to_push_and_no_push() -> None:
    nothing = SyncView(synced("up to date", 0, 0), (), True)
    assert sync_lines(nothing, Display())[1] == "nothing to push: origin/main has every commit"
    held = SyncView(synced("fast-forward", 1, 3), (), False)
    assert sync_lines(held, Display())[1] == (
        "not pushed (--no-push): 3 commit(s) ahead of origin/main"
    )
    assert held.exit_code == 0
