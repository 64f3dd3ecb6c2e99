"""Check-ins of a ledger directory as `status` and `show` report them: the latest per goal, a
goal's recent ones, each with who recorded it (from git, only when asked: git is not loaded
for a plain `status`); withdrawn check-ins are left out. Also goals/checkins.csv as committed
at a revision (`status --rev`, `undo`), read from git objects, never a checkout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.ledger.checkins import CHECKINS, Checkin, latest, read_checkins
from smartgoals.ledger.model import Definitions
from smartgoals.vcs.blame import appended_by, blame
from smartgoals.vcs.objects import file_around, file_at
from smartgoals.vcs.repo import open_history


class CheckinInfo(NamedTuple):
    date: dt.date
    goal: str
    confidence: str
    note: str
    author: str | None  # None: not committed, outside git, or not asked


def read_file(root: Path, definitions: Definitions) -> tuple[list[Checkin], bytes]:
    """The working tree's goals/checkins.csv: its valid check-ins and its bytes (none when it is
    missing, unreadable or a link)."""
    path = root / CHECKINS
    try:
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
    except OSError:
        data = b""
    if not data:
        return [], b""
    return read_checkins(data, (goal.id for goal in definitions.goals))[0], data


def _authors(root: Path, data: bytes) -> dict[int, str]:
    """Who appended each line of goals/checkins.csv (1-based), as the journal's history does."""
    try:
        repo, prefix = open_history(root)
        found = appended_by(repo, prefix + CHECKINS, data)
        if found is None:
            found = blame(repo, prefix + CHECKINS)
    except GitError:
        return {}
    return {line: who.commit.author for line, who in found.items() if who.commit is not None}


def _info(one: Checkin, authors: dict[int, str]) -> CheckinInfo:
    return CheckinInfo(one.date, one.goal, one.confidence, one.note, authors.get(one.line))


def latest_checkins(
    root: Path, definitions: Definitions, as_of: dt.date, authors: bool = False
) -> dict[str, CheckinInfo]:
    """The latest check-in per goal on or before as_of."""
    found, data = read_file(root, definitions)
    if not found:
        return {}
    who = _authors(root, data) if authors else {}
    return {goal: _info(one, who) for goal, one in latest(found, as_of).items()}


def goal_checkins(
    root: Path, definitions: Definitions, goal: str, as_of: dt.date, limit: int
) -> tuple[CheckinInfo, ...]:
    """A goal's most recent check-ins on or before as_of, oldest first, with their authors."""
    found, data = read_file(root, definitions)
    mine = [one for one in found if one.goal == goal and one.date <= as_of]
    mine.sort(key=lambda one: one.date)  # stable: file order within a day
    mine = mine[-limit:] if limit else []
    if not mine:
        return ()
    who = _authors(root, data)
    return tuple(_info(one, who) for one in mine)


def committed_checkins(root: Path, sha: str) -> tuple[bytes, bytes]:
    """goals/checkins.csv before (in the first parent) and after the commit sha."""
    repo, prefix = open_history(root)
    return file_around(repo, sha, prefix + CHECKINS)


def _authors_at(repo: Any, sha: str, path: str) -> dict[int, str]:
    """Who appended each line of path as it is at commit sha (`git blame` at that commit)."""
    try:
        found = blame(repo, path, sha)
    except GitError:
        return {}
    return {line: who.commit.author for line, who in found.items() if who.commit is not None}


def checkins_at(
    root: Path, sha: str, definitions: Definitions, as_of: dt.date, authors: bool = False
) -> dict[str, CheckinInfo]:
    """The latest check-in per goal on or before as_of, as goals/checkins.csv was committed
    at sha (`status --rev`); authors from `git blame` at that commit when asked."""
    repo, prefix = open_history(root)
    data = file_at(repo, sha, prefix + CHECKINS)
    if not data:
        return {}
    found = read_checkins(data, (goal.id for goal in definitions.goals))[0]
    who = _authors_at(repo, sha, prefix + CHECKINS) if authors and found else {}
    return {goal: _info(one, who) for goal, one in latest(found, as_of).items()}
