"""A period's calibration: the ledger to compare with (as committed at the end of the previous
period, at a revision, or at a date) and the targets eased or tightened since, each with the
commit that made it (shared by `report` and `close`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartgoals.engine.compare import diff
from smartgoals.engine.evaluation import Evaluation
from smartgoals.engine.reporting import Baseline, Calibration
from smartgoals.errors import GitError, InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger
from smartgoals.periods import parse_period
from smartgoals.vcs.log import commit_on_or_before, commits_since
from smartgoals.vcs.objects import resolve, snapshot, snapshot_at
from smartgoals.vcs.repo import open_history
from smartgoals.vcs.tags import tag_period_end

if TYPE_CHECKING:
    from smartgoals.vcs.objects import CommitInfo


def _since(text: str) -> dt.date | None:
    """--since as a date: a day (the baseline is the day before), or a period (its first day);
    None when it is not a date (then it is a revision)."""

    try:
        return parse_period(text).first - dt.timedelta(days=1)
    except ValueError:
        return None


def baseline_ledger(
    root: Path, ledger: Ledger, since: str | None, default: dt.date
) -> tuple[Ledger, Baseline, Any]:
    """The ledger to compare with, where it came from, and the repository (None outside git)."""

    day = _since(since) if since is not None else default
    try:
        repo, prefix = open_history(root)
    except GitError:
        if since is not None and day is None:
            raise InvalidInputError(
                f"--since {since}: not a date, and {root} is not in git, so not a revision"
            ) from None
        assert day is not None
        note = f"outside git: the baseline is this ledger evaluated at {day.isoformat()}"
        return ledger, Baseline(day, None, None, note), None
    if day is None:  # a revision
        assert since is not None
        commit = resolve(repo, since)
        shot = snapshot(repo, commit, prefix)
        info = shot.commit
        # a closed period's tag (goals/2026-Q3) is judged at the period's last day, as close did
        base_day = tag_period_end(since) or info.date.date()
        note = f"baseline: {since} = commit {info.short} ({base_day.isoformat()})"
        return load_ledger(shot.files, committed=True), Baseline(base_day, info, since, note), repo
    sha = commit_on_or_before(repo, day)
    if sha is None:
        note = (
            f"no commit on or before {day.isoformat()}: the baseline is this ledger "
            f"evaluated at {day.isoformat()}"
        )
        return ledger, Baseline(day, None, None, note), repo
    shot = snapshot_at(repo, sha, prefix)
    note = f"baseline: commit {shot.commit.short}, the last on or before {day.isoformat()}"
    return load_ledger(shot.files, committed=True), Baseline(day, shot.commit, None, note), repo


def calibration(
    root: Path,
    repo: Any,
    base: Ledger,
    ledger: Ledger,
    before: Evaluation,
    now: Evaluation,
    baseline: Baseline,
) -> tuple[list[Calibration], str | None]:
    """Targets eased or tightened since the baseline, each with the commit that made it."""

    shown = {g.goal.id for g in now.goals}
    changes = [t for t in diff(base, ledger, before, now).targets if t.goal in shown]
    if repo is None:
        return [], "outside git: targets changed since the baseline cannot be told"
    if baseline.commit is None:
        return [], f"no commit on or before {baseline.date.isoformat()} to compare with"
    if not changes:
        return [], None
    from smartgoals.revisions.history import target_history

    since = commits_since(repo, baseline.commit.sha)
    made: dict[tuple[str, str], CommitInfo] = {}
    for committed in target_history(root):
        if committed.commit.sha in since:
            made[(committed.change.goal, committed.change.metric.id)] = committed.commit
    return [Calibration(c, made.get((c.goal, c.metric.id))) for c in changes], None
