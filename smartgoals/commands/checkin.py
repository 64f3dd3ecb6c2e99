"""`checkin`: what to ask (due metrics, or every metric of the chosen goals), how an answer is
read (the same parser as `log`), and recording every value, confidence and note in one append
per file and one commit. The dialogue itself is interview.py's; cli.py only wires them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.engine.plausibility import judge
from smartgoals.errors import InvalidInputError
from smartgoals.files import read_work_tree
from smartgoals.formula.syntax import references
from smartgoals.ledger.checkins import CONFIDENCES, WITHDRAWN
from smartgoals.ledger.checkins import format_row as checkin_row
from smartgoals.ledger.journal import check_note
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Definitions, GoalDef, Ledger, MetricDef
from smartgoals.rendering.cells import target_cell
from smartgoals.suggest import suggest
from smartgoals.views.checkin import CheckinView
from smartgoals.views.checkin import Judgement as Judgement  # the cli builds them
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, Entry, Refused, make_entry


class Question(NamedTuple):
    metric: MetricDef
    last_value: float | None
    last_date: dt.date | None
    targets: tuple[str, ...]  # "goal-id: >= $10,000 by 2026-Q4 (on_track)"
    recent: tuple[float, ...]  # the last values, for the plausibility rules


class Plan(NamedTuple):
    day: dt.date
    questions: tuple[Question, ...]
    goals: tuple[GoalDef, ...]  # every goal that may be touched, in file order
    chosen: tuple[str, ...]  # goals asked about whatever is answered (--goal, due reviews)
    metrics: dict[str, MetricDef]
    definitions: Definitions  # the answers are checked against them again when written


def plan(root: Path, today: dt.date, goal_ids: Sequence[str], every: bool) -> Plan:
    """The questions of a check-in on today: with --goal, every logged metric of those goals;
    with --all, every logged metric any goal targets; else the metrics that are due, and the
    goals whose review is due."""
    from smartgoals.engine.dueness import due_metrics, due_reviews
    from smartgoals.ledger.loader import load_checkins

    files = read_work_tree(root)
    ledger = load_ledger(files)
    evaluation = evaluate(ledger, today)
    by_id = {goal.id: goal for goal in ledger.goals}
    for goal_id in goal_ids:
        if goal_id not in by_id:
            raise InvalidInputError(f"--goal: unknown goal {goal_id!r}{suggest(goal_id, by_id)}")
    chosen: list[str] = list(dict.fromkeys(goal_ids))
    if chosen:
        wanted = _metrics_of([by_id[g] for g in chosen], ledger)
    elif every:
        wanted = _metrics_of(ledger.goals, ledger)
    else:
        wanted = [item.metric.id for item in due_metrics(ledger, today, 0)]
        checkins = load_checkins(files.files, ledger.definitions)
        for review in due_reviews(evaluation, checkins, today, 0):
            if review.overdue and review.goal.id not in chosen:
                chosen.append(review.goal.id)
    questions = tuple(_question(ledger, evaluation, metric_id, today) for metric_id in wanted)
    return Plan(today, questions, ledger.goals, tuple(chosen), ledger.metrics, ledger.definitions)


def _metrics_of(goals: Sequence[GoalDef], ledger: Ledger) -> list[str]:
    """The logged metrics the goals' targets read: a derived target's logged inputs (through
    derived inputs too), so that a check-in can answer for it."""
    found = [m for goal in goals for target in goal.targets for m in _logged(target.metric, ledger)]
    return list(dict.fromkeys(found))


def _logged(metric_id: str, ledger: Ledger, seen: frozenset[str] = frozenset()) -> list[str]:
    """metric_id when it is logged, else the logged metrics its formula reads, in name order."""
    if ledger.metrics[metric_id].formula is None:
        return [metric_id]
    formula = ledger.formulas.get(metric_id)
    if formula is None or metric_id in seen:
        return []  # a formula with problems, or a cycle: check reports it
    inner = seen | {metric_id}
    return [m for ref in sorted(references(formula)) for m in _logged(ref, ledger, inner)]


def _question(ledger: Ledger, evaluation: Evaluation, metric_id: str, day: dt.date) -> Question:
    metric = ledger.metrics[metric_id]
    series = ledger.series.get(metric_id)
    known = series.count_until(day) if series is not None else 0
    last_value = series.values[known - 1] if series is not None and known else None
    last_date = series.dates[known - 1] if series is not None and known else None
    recent = tuple(series.values[max(0, known - 5) : known]) if series is not None else ()
    targets = tuple(
        f"{goal.goal.id}: {_through(target.metric, metric_id)}{target_cell(target, True)} "
        f"({target.status})"
        for goal in evaluation.goals
        for target in goal.targets
        if target.metric.id == metric_id
        or (target.metric.formula is not None and metric_id in _logged(target.metric.id, ledger))
    )
    return Question(metric, last_value, last_date, targets, recent)


def _through(metric: MetricDef, metric_id: str) -> str:
    """How a derived target reads an input: "conversion = paid / users: "; else nothing."""
    return "" if metric.id == metric_id else f"{metric.id} = {metric.formula}: "


def read_answer(plan: Plan, question: Question, text: str) -> Entry:
    """An answer as `log` reads a value; InvalidInputError says what is wrong."""
    return make_entry(plan.metrics, question.metric.id, text.strip(), plan.day, "")


def doubt(question: Question, entry: Entry) -> str | None:
    """Why the plausibility rules doubt this answer, or None."""

    return judge(question.metric, entry.value, question.recent)


def read_confidence(text: str) -> str:
    """on_track, at_risk or off_track (also with a space or hyphen, or 1, 2, 3); "" for none."""
    word = text.strip().lower().replace(" ", "_").replace("-", "_")
    if not word:
        return ""
    if word in ("1", "2", "3"):
        return CONFIDENCES[int(word) - 1]
    if word not in CONFIDENCES:
        raise InvalidInputError(f"{text.strip()!r} is not one of {', '.join(CONFIDENCES)}")
    return word


def read_note(text: str) -> str:
    note = text.strip()
    if note.startswith(WITHDRAWN):
        raise InvalidInputError(
            f"a note starting with {WITHDRAWN!r} withdraws a check-in; smartgoals undo writes "
            "such rows"
        )
    try:
        return check_note(note)
    except ValueError as exc:
        raise InvalidInputError(str(exc)) from None


def touched(plan: Plan, entries: Sequence[Entry]) -> list[GoalDef]:
    """The goals asked for a confidence: the chosen ones, and those with a target on a metric
    that got a value, in file order."""
    answered = {entry.metric.id for entry in entries}
    return [
        goal
        for goal in plan.goals
        if goal.id in plan.chosen or any(t.metric in answered for t in goal.targets)
    ]


def message(day: dt.date, entries: Sequence[Entry], judgements: Sequence[Judgement]) -> str:
    values = f"{len(entries)} value{'s' if len(entries) != 1 else ''}"
    goals = f"{len(judgements)} goal{'s' if len(judgements) != 1 else ''}"
    body = [entry.summary for entry in entries] + [
        f"{j.goal.id}: {j.confidence or '-'}" + (f" ({j.note})" if j.note else "")
        for j in judgements
    ]
    return f"check-in {day.isoformat()}: {values}, {goals}\n\n" + "\n".join(body)


def record(
    root: Path, plan: Plan, entries: Sequence[Entry], judgements: Sequence[Judgement]
) -> CheckinView:
    """Every value to the journal and every judgement to goals/checkins.csv, in one commit."""
    kept = [j for j in judgements if j.confidence or j.note]
    if not entries and not kept:
        raise InvalidInputError("nothing to record: every value and goal was skipped")
    judged = "".join(checkin_row(plan.day, j.goal.id, j.confidence, j.note) for j in kept)
    batch = Batch(tuple(entries), message(plan.day, entries, kept), judged)
    written = commit_batch(root, batch, plan.definitions)
    if isinstance(written, Refused):
        raise written.error()
    return CheckinView(plan.day, tuple(entries), tuple(kept), written)
