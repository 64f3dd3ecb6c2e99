"""`status`: every goal and target judged at a date, optionally as committed at a revision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.gate import failing_targets
from smartgoals.engine.selection import select, sort_goals, status_words
from smartgoals.errors import EXIT_GATE, EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger, MetricDef
from smartgoals.periods import as_of_date

if TYPE_CHECKING:  # git is imported only for --rev
    from smartgoals.engine.forecast import Forecast
    from smartgoals.vcs.objects import CommitInfo

TREND_POINTS = 12


class StatusView(NamedTuple):
    evaluation: Evaluation  # the chosen goals, in the order asked; the risks that concern them
    problems: tuple[Problem, ...]
    rev: str | None = None
    commit: CommitInfo | None = None  # with --rev: the commit read
    sort: str = "area"  # area: grouped under area headings; else one list
    compact: bool = False  # one line per goal
    metrics: Mapping[str, MetricDef] = {}  # the units of risk values
    trends: Mapping[str, tuple[float, ...]] = {}  # metric -> last values
    # --forecast (and --json): (goal id, target index) -> its forecast; show_forecast: the column
    forecasts: Mapping[tuple[str, int], Forecast] = {}
    show_forecast: bool = False
    fail_on: frozenset[str] = frozenset()  # --fail-on: statuses that make the gate fail (exit 4)
    checkins: Mapping[str, Any] = {}  # goal id -> its latest confidence.CheckinInfo

    @property
    def exit_code(self) -> int:
        if self.problems:
            return EXIT_INVALID
        if self.fail_on and failing_targets(self.evaluation, self.fail_on):
            return EXIT_GATE
        return EXIT_OK


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
    rev, that commit's date); with forecast, each target's forecast too (forecast_column: shown
    in the table). fail_on: the statuses that make the gate fail (exit 4). checkins: the latest
    check-in of each goal, with who recorded it (only --json shows them)."""
    gate = frozenset(status_words(fail_on))  # an unknown word fails before any work
    commit = None
    if rev is not None:
        from smartgoals.revisions.history import ledger_at

        ledger, commit = ledger_at(root, rev)
        day = as_of_date(as_of, today) if as_of is not None else commit.date.date()
    else:
        day = as_of_date(as_of, today)
        ledger = load_ledger(root, judged=True, until=day)  # the derived points status reads
    evaluation = sort_goals(select(evaluate(ledger, day), goals, area, owner, statuses), sort)
    latest: Mapping[str, Any] = {}  # only --json shows them: text output never reads them
    if checkins and rev is None:
        from smartgoals.revisions.confidence import latest_checkins

        latest = latest_checkins(root, ledger.definitions, day, True)
    elif checkins and commit is not None:
        from smartgoals.revisions.confidence import checkins_at

        latest = checkins_at(root, commit.sha, ledger.definitions, day, True)
    return StatusView(
        evaluation,
        ledger.problems,
        rev,
        commit,
        sort,
        compact,
        ledger.metrics,
        trends(ledger, evaluation),
        target_forecasts(ledger, evaluation) if forecast or forecast_column else {},
        forecast_column,
        gate,
        latest,
    )


def target_forecasts(ledger: Ledger, evaluation: Evaluation) -> dict[tuple[str, int], Forecast]:
    """The forecast of every target shown, by (goal id, target index)."""
    from smartgoals.engine.forecast import forecast_target

    return {
        (goal.goal.id, index): forecast_target(
            target, ledger.series.get(target.metric.id), evaluation.as_of
        )
        for goal in evaluation.goals
        for index, target in enumerate(goal.targets)
    }
