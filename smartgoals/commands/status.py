"""`status`: every goal and target judged at a date, optionally as committed at a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.forecast import target_forecasts
from smartgoals.engine.selection import select, sort_goals, status_words
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger
from smartgoals.periods import as_of_date
from smartgoals.vcs.tags import tag_period_end
from smartgoals.views.status import StatusView

if TYPE_CHECKING:
    from smartgoals.engine.forecast import Forecast

TREND_POINTS = 12


def trends(
    ledger: Ledger, evaluation: Evaluation, points: int = TREND_POINTS
) -> dict[str, tuple[float, ...]]:
    """The last `points` observations on or before the as-of date of each metric shown."""
    shown = {t.metric.id for g in evaluation.goals for t in g.targets}
    result = {}
    for metric in shown:
        series = ledger.series.get(metric)
        if series is None:
            continue
        end = series.count_until(evaluation.as_of)
        result[metric] = tuple(series.values[max(end - points, 0) : end])
    return result


def status(
    root: Path,
    today: dt.date,
    as_of: str | None = None,
    goals: Sequence[str] = (),
    area: str | None = None,
    owner: str | None = None,
    rev: str | None = None,
    statuses: Sequence[str] = (),
    sort: str = "area",
    compact: bool = False,
    forecast: bool = False,
    forecast_column: bool = False,
    fail_on: Sequence[str] = (),
    checkins: bool = False,
) -> StatusView:
    """The status of the ledger at root (or as committed at rev), at as_of (default today; with
    rev, that commit's date, and a closed period's tag goals/2026-Q4 its last day); with
    forecast, each target's forecast too (forecast_column: shown in the table). fail_on: the
    statuses that make the gate fail (exit 4). checkins: the latest check-in of each goal, with
    who recorded it (only --json shows them)."""
    gate = frozenset(status_words(fail_on))  # an unknown word fails before any work
    commit = None
    if rev is not None:
        from smartgoals.revisions.history import ledger_at

        ledger, commit = ledger_at(root, rev)
        # a closed period's tag (goals/2026-Q4) is judged at the period's last day, as close did
        closed_on = tag_period_end(rev)
        default = closed_on if closed_on is not None else commit.date.date()
        day = as_of_date(as_of, today) if as_of is not None else default
    else:
        day = as_of_date(as_of, today)
        ledger = load_ledger(root, judged=True, until=day)  # the derived points status reads
    # a forecast is computed only for a view that shows it (target_forecasts below)
    judged = evaluate(ledger, day, forecasts=forecast or forecast_column)
    evaluation = sort_goals(select(judged, goals, area, owner, statuses), sort)
    latest: Mapping[str, Any] = {}  # only --json shows them: text output never reads them
    if checkins and rev is None:
        from smartgoals.revisions.confidence import latest_checkins

        latest = latest_checkins(root, ledger.definitions, day, True)
    elif checkins and commit is not None:
        from smartgoals.revisions.confidence import checkins_at

        latest = checkins_at(root, commit.sha, ledger.definitions, day, True)
    predicted: Mapping[tuple[str, int], Forecast] = {}
    if forecast or forecast_column:
        predicted = target_forecasts(ledger, evaluation)
    return StatusView(
        evaluation,
        ledger.problems,
        rev,
        commit,
        sort,
        compact,
        ledger.metrics,
        trends(ledger, evaluation),
        predicted,
        forecast_column,
        gate,
        latest,
    )
