"""`explain`: every step that produced a goal's status (or one target's), in order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.explanation import Step, TargetExplanation, explain_target, goal_steps
from smartgoals.errors import EXIT_OK, InvalidInputError
from smartgoals.periods import as_of_date
from smartgoals.suggest import suggest


class ExplainView(NamedTuple):
    goal: str
    title: str
    status: str
    as_of: dt.date
    steps: tuple[Step, ...]  # how the goal's status came from its targets
    targets: tuple[TargetExplanation, ...]  # the targets explained (one with METRIC)

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def explain(
    root: Path, today: dt.date, goal: str, metric: str | None = None, as_of: str | None = None
) -> ExplainView:
    from smartgoals.commands.show import goal_at

    day = as_of_date(as_of, today)
    ledger, found = goal_at(root, goal, day)
    indexes = [i for i, t in enumerate(found.targets) if metric is None or t.metric.id == metric]
    if not indexes:
        ids = [t.metric.id for t in found.targets]
        raise InvalidInputError(
            f"goal {goal!r} has no target of metric {metric!r}{suggest(metric or '', ids)}"
        )
    return ExplainView(
        found.goal.id,
        found.goal.title,
        found.status,
        day,
        goal_steps(found) if metric is None else (),
        tuple(explain_target(ledger, found, i, day) for i in indexes),
    )
