"""The `status` view: every goal and target judged at a date, as JSON, plain lines or the
painted table (views/status_table.py lays the table out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from smartgoals.engine.evaluation import Evaluation
from smartgoals.engine.gate import failing_targets
from smartgoals.errors import EXIT_GATE, EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.record import Record
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.data import checkin_data, commit_data, evaluation_data, forecast_data

if TYPE_CHECKING:  # git is imported only for --rev
    from smartgoals.engine.forecast import Forecast
    from smartgoals.rendering.ansi import Painted
    from smartgoals.vcs.objects import CommitInfo


class StatusView(Record):
    evaluation: Evaluation  # the chosen goals, in the order asked; the risks that concern them
    problems: tuple[Problem, ...]
    rev: str | None = None
    commit: CommitInfo | None = None  # with --rev: the commit read
    sort: str = "area"  # area: grouped under area headings; else one list
    compact: bool = False  # --goals: one row per goal (views/status_goals.py)
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


def status_json(view: StatusView, display: Display) -> dict[str, Any]:
    if view.compact:
        from smartgoals.views.status_goals import goals_data

        return goals_data(view.evaluation)
    data = evaluation_data(view.evaluation)
    for goal, goal_json in zip(view.evaluation.goals, data["goals"], strict=True):
        for index, (target, target_json) in enumerate(
            zip(goal.targets, goal_json["targets"], strict=True)
        ):
            found = view.forecasts.get((goal.goal.id, index))
            target_json["forecast"] = None if found is None else forecast_data(target, found)
    for goal in data["goals"]:
        goal["checkin"] = checkin_data(view.checkins.get(goal["id"]))
    if view.commit is not None:
        data["rev"] = {"rev": view.rev, **commit_data(view.commit)}
    return data


def status_lines(view: StatusView, display: Display) -> list[str]:
    """`status` as plain text: no escape codes, no Rich."""
    # the table's layout machinery loads only for text output, never for --json
    if view.compact:
        from smartgoals.views.status_goals import goals_lines

        return goals_lines(view.evaluation, display)
    from smartgoals.views.status_table import status_lines

    return status_lines(view, display)


def status_painted(view: StatusView, display: Display) -> Painted:
    """`status` for a colour terminal: the same table, painted without Rich."""
    if view.compact:
        from smartgoals.views.status_goals import goals_painted

        return goals_painted(view.evaluation, display)
    from smartgoals.views.status_table import status_rich

    return status_rich(view, display)


FORMS: dict[type, dict[Format, Form]] = {
    StatusView: {Format.JSON: status_json, Format.PLAIN: status_lines, Format.RICH: status_painted}
}
