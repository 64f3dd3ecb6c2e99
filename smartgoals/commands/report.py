"""`report`: the week, the month or the quarter against the ledger as committed at the end of
the previous period (or --since), as a view that renders as Markdown, self-contained HTML or
JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.forecast import target_forecasts
from smartgoals.engine.reporting import (
    KINDS,
    Period,
    build_report,
    report_period,
)
from smartgoals.engine.selection import select
from smartgoals.errors import InvalidInputError
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.reviews import Review, current, read_reviews, review_path
from smartgoals.periods import as_of_date
from smartgoals.revisions.calibration import baseline_ledger, calibration
from smartgoals.version import __version__
from smartgoals.views.report import ReportView

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


def _read_text(path: Path) -> str | None:
    try:
        if path.is_file() and not path.is_symlink():
            return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    return None


def closed_grades(root: Path, rel: str) -> tuple[Review, ...]:
    """The goals' grades in force in a closed period's reviews file (none when not closed; a
    file with problems gives its readable rows: check lists the problems)."""
    path = root / rel
    if not path.is_file():
        return ()
    rows = read_reviews(path.read_bytes(), (), rel)[0]
    return tuple(row for row in current(rows).values() if not row.target)


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
    grades_path = review_path(period.label)
    result = result._replace(grades=closed_grades(root, grades_path), grades_path=grades_path)
    headline = ledger.definitions.settings.headline
    return ReportView(result, ledger.problems, __version__, headline, charts)
