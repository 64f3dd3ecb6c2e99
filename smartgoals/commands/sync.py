"""`sync`: fetch, rebase (or merge) onto the upstream, check, push."""

from __future__ import annotations

from pathlib import Path

from smartgoals.errors import GitError
from smartgoals.ledger.loader import load_ledger
from smartgoals.revisions.appendonly import refuse_rewrites
from smartgoals.vcs.sync import PUSH_ATTEMPTS, integrate, push
from smartgoals.views.sync import SyncView


def sync(root: Path, push_changes: bool = True, merge: bool = False) -> SyncView:
    brought_in = 0
    for _attempt in range(PUSH_ATTEMPTS):
        # what upstream rewrote in the journal is refused before anything changes here
        synced = integrate(
            root, merge, lambda spec, upstream: refuse_rewrites(root, spec, upstream)
        )
        brought_in += synced.brought_in
        synced = synced._replace(brought_in=brought_in)
        problems = load_ledger(root).problems
        if problems or not push_changes or synced.sent == 0:
            return SyncView(synced, problems, push_changes)
        if push(root, synced):
            return SyncView(synced._replace(pushed=True), (), push_changes)
    raise GitError(
        f"git push to {synced.upstream} was rejected {PUSH_ATTEMPTS} times (the upstream keeps "
        "moving); your commits are kept here: run smartgoals sync again"
    )
