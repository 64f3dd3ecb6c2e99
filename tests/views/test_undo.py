"""views/undo.py: what undo will append (the preview) and what it did."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.log import log
from smartgoals.commands.undo import plan, undo
from smartgoals.rendering import Display
from smartgoals.views.undo import preview_lines, undo_lines
from tests.conftest import git, write_ledger


def test_preview_then_done(repo: Path) -> None:
    write_ledger(
        repo,
        "metrics:\n  mrr: {name: MRR, unit: USD}\ngoals: []\n",
        "date,metric,value,note\n2026-02-28,mrr,300,\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    log(repo, dt.date(2026, 3, 1), ["mrr=320"], date="2026-02-28")
    logged = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    found = plan(repo)
    note = f"correction: $320 -> $300; undo of {logged}"
    assert preview_lines(found) == [
        f"undo {logged} (log: 1 value (2026-02-28)) by Ada Founder, appending:",
        f"  2026-02-28 mrr: {note}",
    ]
    view = undo(repo, found)
    done = git(repo, "rev-parse", "--short=10", "HEAD").strip()
    assert undo_lines(view, Display()) == [
        f"undid {logged} (log: 1 value (2026-02-28)): 1 correction row committed {done}",
        f"  2026-02-28 mrr: {note}",
    ]
