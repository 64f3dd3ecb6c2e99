"""`calendar`: review checkpoints and metric cadences as a subscribable iCalendar file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.files import read_work_tree
from smartgoals.ledger.loader import load_definitions
from smartgoals.vcs.shallow import history_identity
from smartgoals.version import __version__
from smartgoals.views.calendar import CalendarView


def calendar(root: Path, today: dt.date) -> CalendarView:
    from smartgoals.rendering.ics import calendar_text, events

    files = read_work_tree(root, journal=False)
    definitions = load_definitions(files.files)
    review = definitions.settings.review
    name, ledger = f"smartgoals: {root.name}", ledger_identity(root)
    text = calendar_text(definitions, today, __version__, review, name, ledger)
    count = len(events(definitions, today, review))
    return CalendarView(text, count, (*files.problems, *definitions.problems))


def ledger_identity(root: Path) -> str:
    """16 hex digits naming this ledger: from the repository's first commit and the ledger's
    folder in it (the same in every full clone), else from the ledger's absolute path."""
    from hashlib import sha256

    basis = history_identity(root)
    basis = f"git:{basis}" if basis else f"path:{root.resolve()}"
    return sha256(basis.encode("utf-8", "surrogateescape")).hexdigest()[:16]
