"""Goal status as a CI gate: `status --fail-on STATUS[,STATUS...]` exits 4 when a selected
target has one of those statuses. Bad data (exit 1) is a different failure and wins over it."""

from __future__ import annotations

from collections.abc import Iterable

from smartgoals.engine.evaluation import Evaluation


def failing_targets(evaluation: Evaluation, words: Iterable[str]) -> list[tuple[str, str, str]]:
    """(goal id, metric id, status) of every target shown whose status is one of `words`."""
    wanted = set(words)
    return [
        (goal.goal.id, target.metric.id, str(target.status))
        for goal in evaluation.goals
        for target in goal.targets
        if str(target.status) in wanted
    ]
