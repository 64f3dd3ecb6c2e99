"""Grading a closed period: every goal active in it, judged at its last day, graded by its
clamped score in stated bands; the targets due in it and not reached (what rolls over)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from smartgoals.engine.judgement import NOT_STARTED, REACHED, Evaluation, GoalStatus, TargetStatus
from smartgoals.ledger.model import GoalDef
from smartgoals.ledger.reviews import UNGRADED, grade_of


class TargetGrade(NamedTuple):
    place: int  # the target's place in its goal, from 1
    target: TargetStatus
    grade: str
    due_in_period: bool  # its judged rung is due in the period
    unfinished: bool  # due in the period and not reached: it rolls over

    @property
    def metric(self) -> str:
        return self.target.metric.id

    @property
    def score(self) -> float | None:
        return self.target.score


class GoalGrade(NamedTuple):
    goal: GoalStatus
    grade: str
    targets: tuple[TargetGrade, ...]

    @property
    def id(self) -> str:
        return self.goal.goal.id

    @property
    def score(self) -> float | None:
        return self.goal.score

    @property
    def unfinished(self) -> tuple[TargetGrade, ...]:
        return tuple(t for t in self.targets if t.unfinished)


def active_in(goal: GoalDef, first: dt.date, last: dt.date) -> bool:
    """A goal is active in a period when it starts on or before its last day and is not due
    before its first day (a goal without dates is always active)."""
    if goal.start is not None and goal.start > last:
        return False
    return goal.due is None or goal.due >= first


def _target_grade(index: int, target: TargetStatus, first: dt.date, last: dt.date) -> TargetGrade:
    due = target.rung.due
    in_period = due is not None and not target.rung.open_ended and first <= due <= last
    unfinished = in_period and target.status not in REACHED
    grade = UNGRADED if target.status == NOT_STARTED else grade_of(target.score)
    return TargetGrade(index, target, grade, in_period, unfinished)


def grade_period(evaluation: Evaluation, first: dt.date, last: dt.date) -> tuple[GoalGrade, ...]:
    """Each goal active in [first, last], in the evaluation's order, with its targets' grades
    (n/a for one not started: waiting on another goal, or not begun); the evaluation is the
    ledger judged at `last`."""
    graded = []
    for goal in evaluation.goals:
        if not active_in(goal.goal, first, last):
            continue
        targets = tuple(
            _target_grade(index, target, first, last)
            for index, target in enumerate(goal.targets, 1)
        )
        grade = UNGRADED if goal.status == NOT_STARTED else grade_of(goal.score)
        graded.append(GoalGrade(goal, grade, targets))
    return tuple(graded)
