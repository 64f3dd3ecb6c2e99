"""`report`: the week, the month or the quarter against the ledger as committed at the end of
the previous period (or --since), as a view that renders as Markdown, self-contained HTML or
JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.compare import diff
from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.forecast import target_forecasts
from smartgoals.engine.reporting import (
    KINDS,
    Baseline,
    Calibration,
    Period,
    build_report,
    report_period,
)
from smartgoals.engine.selection import select
from smartgoals.errors import (
    GitError,
    InvalidInputError,
)
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger
from smartgoals.periods import as_of_date, parse_period
from smartgoals.vcs.log import commit_on_or_before, commits_since
from smartgoals.vcs.objects import resolve, snapshot, snapshot_at
from smartgoals.vcs.repo import open_history
from smartgoals.version import __version__
from smartgoals.views.report import ReportView

if TYPE_CHECKING:
    from smartgoals.vcs.objects import CommitInfo

NOTES_DIR = "reports/notes"


class ReportRequest(NamedTuple):
    """What the report is asked for, as parsed from the command line."""

    kind: str = "monthly"  # weekly | monthly | quarterly
    as_of: str | None = None
    since: str | None = None  # a revision or a date to compare with
    goals: Sequence[str] = ()
    area: str | None = None
    charts: str = "default"  # default (headline and exceptions), all or none
    period: str | None = None  # current: the period to date; default: see report_request_period


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
        base_day = info.date.date()
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


def _read_text(path: Path) -> str | None:
    try:
        if path.is_file() and not path.is_symlink():
            return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return None


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


def report(root: Path, today: dt.date, request: ReportRequest = ReportRequest()) -> ReportView:
    from smartgoals.engine.dueness import due_metrics, due_reviews

    kind, as_of, since, goals, area, charts, which = request
    if kind not in KINDS:
        raise InvalidInputError(f"unknown period {kind!r}: use weekly, monthly or quarterly")
    if which not in (None, "current", "last"):
        raise InvalidInputError(f"--period {which}: use current or last")
    # the last finished period by default; an --as-of names the period it falls in, to date
    current = which == "current" or (which is None and as_of is not None)
    period: Period = report_period(kind, as_of_date(as_of, today), current)
    day = period.as_of
    ledger = load_ledger(root)
    now = select(evaluate(ledger, day), goals, area)
    base, baseline, repo = baseline_ledger(root, ledger, since, period.previous_end)
    before_all = evaluate(base, baseline.date)
    chosen = {g.goal.id for g in now.goals}
    before = before_all
    if goals or area:  # the same goals and risks as now (a risk concerns goals by its definition)
        risks = {r.risk.id for r in now.risks}
        before = before_all._replace(
            goals=tuple(g for g in before_all.goals if g.goal.id in chosen),
            risks=tuple(r for r in before_all.risks if r.risk.id in risks),
        )
    from smartgoals.revisions.confidence import read_file

    checkins = read_file(root, ledger.definitions)[0]
    notes_path = f"{NOTES_DIR}/{period.label}.md"
    notes = _read_text(root / notes_path)
    changes, why = calibration(root, repo, base, ledger, before, now, baseline)
    result = build_report(
        period=period,
        baseline=baseline,
        ledger=ledger,
        base_ledger=base,
        now=now,
        before=before,
        checkins=checkins,
        notes_path=notes_path,
        notes=notes,
        calibration=changes,
        calibration_note=why,
        stale=due_metrics(ledger, day, 0),
        reviews=[r for r in due_reviews(now, checkins, day, 0) if r.overdue],
        forecasts=target_forecasts(ledger, now),
    )
    headline = ledger.definitions.settings.headline
    return ReportView(result, ledger.problems, __version__, headline, charts)
