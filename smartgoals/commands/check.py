"""`check`: every problem of the ledger, all at once; warnings that are not errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.errors import Problem
from smartgoals.files import JOURNAL, journal_order
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.mixes import mix_sum_problems
from smartgoals.ledger.model import Ledger
from smartgoals.ledger.reviews import review_problems
from smartgoals.rendering.annotations import repository_prefix
from smartgoals.revisions.appendonly import check_range
from smartgoals.views.check import CheckView, GithubCheckView
from smartgoals.views.history_check import HistoryCheckView
from smartgoals.views.signed_check import SignedCheckView


def future_problems(ledger: Ledger, today: dt.date) -> list[Problem]:
    """Journal rows dated after today: a typo in the year, or a clock that is wrong."""
    found = []
    for metric, series in ledger.series.items():
        if ledger.metrics[metric].formula is not None:
            continue
        start = series.count_until(today)
        for index in range(start, len(series.dates)):
            day, line = series.dates[index], series.lines[index]
            message = f"{day.isoformat()} is after today ({today})"
            found.append(Problem(series.path_of(index, JOURNAL), line, 0, message, "date"))
    return sorted(found, key=lambda p: (journal_order(p.path), p.line))


def future_rows(ledger: Ledger, today: dt.date) -> list[str]:
    return [str(problem) for problem in future_problems(ledger, today)]


def with_reviews(root: Path, ledger: Ledger) -> tuple[Ledger, list[Problem]]:
    """The ledger with the problems of its reviews files (reviews/<period>.csv) added, and
    their warnings (a goal renamed or removed since a period was closed)."""
    found, warnings = review_problems(root, (goal.id for goal in ledger.goals))
    if found:
        ledger = ledger._replace(problems=ledger.problems + tuple(found))
    return ledger, warnings


def with_mix_problems(ledger: Ledger) -> Ledger:
    """The ledger with its mixes' logged shares that do not add up to 100% on a day (within
    rounding) as problems, each at the journal file and line of the day's last row."""
    targets = [(goal.id, target) for goal in ledger.goals for target in goal.targets]
    found = mix_sum_problems(targets, ledger.metrics, ledger.series)
    if not found:
        return ledger
    problems = sorted((*ledger.problems, *found), key=lambda p: (p.path, p.line, p.column))
    return ledger._replace(problems=tuple(problems))


def check(root: Path, today: dt.date | None = None) -> CheckView:
    ledger, reviews = with_reviews(root, with_mix_problems(load_ledger(root)))
    warnings = future_rows(ledger, today) if today is not None else []
    return CheckView(ledger, (*(str(p) for p in reviews), *warnings))


def check_github(root: Path, today: dt.date) -> GithubCheckView:
    ledger, reviews = with_reviews(root, with_mix_problems(load_ledger(root)))
    future = [*reviews, *future_problems(ledger, today)]
    view = CheckView(ledger, tuple(str(p) for p in future))
    return GithubCheckView(view, tuple(future), repository_prefix(root))


def check_history(root: Path, spec: str, github: bool = False) -> HistoryCheckView:
    return HistoryCheckView(check_range(root, spec), github, repository_prefix(root))


def check_signed(root: Path, spec: str, github: bool = False) -> SignedCheckView:
    from smartgoals.revisions.signed import check_signed as run

    return SignedCheckView(run(root, spec), github)
