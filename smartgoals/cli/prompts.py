"""The check-in dialogue in a terminal, through Rich prompts: a value per metric (re-asked with
the error until it parses, Enter skips), a confidence and a note per goal touched, a summary to
confirm. It returns the answers; nothing is written here (commands/checkin.py records them)."""

from __future__ import annotations

from typing import Any

from rich.prompt import Confirm, Prompt

from smartgoals.commands.checkin import (
    Judgement,
    Plan,
    doubt,
    read_answer,
    read_confidence,
    read_note,
    touched,
)
from smartgoals.errors import InvalidInputError
from smartgoals.rendering.cells import value_text
from smartgoals.rendering.safe import SafeText
from smartgoals.views.close import ClosePlan
from smartgoals.write.closing import HumanGrade
from smartgoals.write.recording import Entry


def _ask(console: Any, prompt: str) -> str:
    return str(Prompt.ask(SafeText(prompt), console=console, default="", show_default=False))


def interview(plan: Plan, console: Any) -> tuple[list[Entry], list[Judgement]] | None:
    """The answers, or None when the summary was not confirmed."""
    entries: list[Entry] = []
    count = len(plan.questions)
    console.print(
        SafeText(
            f"Check-in {plan.day.isoformat()}: {count} metric{'s' if count != 1 else ''} "
            "(type a value as for log; Enter skips)"
        )
    )
    for number, question in enumerate(plan.questions, start=1):
        metric = question.metric
        last = (
            f"last {value_text(metric, question.last_value)} on {question.last_date.isoformat()}"
            if question.last_date is not None
            else "no value yet"
        )
        console.print()
        console.print(SafeText(f"[{number}/{count}] {metric.name} ({metric.id}): {last}"))
        for target in question.targets:
            console.print(SafeText(f"  target {target}"))
        while True:
            answer = _ask(console, f"  {metric.id} value")
            if not answer.strip():
                break
            try:
                entry = read_answer(plan, question, answer)
            except InvalidInputError as exc:
                console.print(SafeText(f"  error: {exc}"))
                continue
            reason = doubt(question, entry)
            if reason is not None and not Confirm.ask(
                SafeText(f"  {reason}: record it?"), console=console, default=False
            ):
                continue
            entries.append(entry)
            break
    judgements: list[Judgement] = []
    for goal in touched(plan, entries):
        console.print()
        console.print(SafeText(f"{goal.title} ({goal.id})"))
        while True:
            try:
                confidence = read_confidence(
                    _ask(console, "  confidence: on_track, at_risk or off_track (Enter skips)")
                )
                break
            except InvalidInputError as exc:
                console.print(SafeText(f"  error: {exc}"))
        while True:
            try:
                note = read_note(_ask(console, "  note (Enter for none)"))
                break
            except InvalidInputError as exc:
                console.print(SafeText(f"  error: {exc}"))
        judgements.append(Judgement(goal, confidence, note))
    kept = [j for j in judgements if j.confidence or j.note]
    console.print()
    console.print(SafeText("Summary:"))
    for entry in entries:
        console.print(SafeText(f"  {entry.metric.id} = {value_text(entry.metric, entry.value)}"))
    for judgement in kept:
        note = f" ({judgement.note})" if judgement.note else ""
        console.print(SafeText(f"  {judgement.goal.id}: {judgement.confidence or '-'}{note}"))
    if not entries and not kept:
        console.print(SafeText("  nothing to record"))
        return None
    final = (
        f"Record {len(entries)} value{'s' if len(entries) != 1 else ''} and "
        f"{len(kept)} check-in{'s' if len(kept) != 1 else ''} in one commit?"
    )
    if not Confirm.ask(SafeText(final), console=console, default=True):
        return None
    return entries, judgements


def grade_interview(plan: ClosePlan, console: Any) -> dict[str, HumanGrade] | None:
    """A grade and a note per goal of a close (Enter keeps the computed grade; a different
    grade asks for a reason until one is given); None when the summary is not confirmed."""
    from smartgoals.ledger.reviews import GRADES, bands_text

    console.print(SafeText(f"Close {plan.period.text}: grades {bands_text()} (Enter keeps)"))
    given: dict[str, HumanGrade] = {}
    for goal in plan.grades:
        score = "-" if goal.score is None else f"{goal.score:.3f}"
        console.print()
        console.print(SafeText(f"{goal.id}: {goal.goal.status}, score {score}, {goal.grade}"))
        while True:
            grade = _ask(console, f"  grade [{goal.grade}]").strip() or goal.grade
            grade = grade.upper() if grade.lower() != "n/a" else "n/a"
            if grade in GRADES:
                break
            console.print(SafeText(f"  error: {grade!r} is not one of {', '.join(GRADES)}"))
        reason = ""
        while grade != goal.grade and not reason.strip():
            reason = _ask(console, f"  reason for {grade} instead of {goal.grade}")
        note = _ask(console, "  note (Enter for none)")
        given[goal.id] = HumanGrade(grade, " ".join(note.split()), " ".join(reason.split()))
    console.print()
    if not Confirm.ask(
        SafeText("Record these grades in one commit?"), console=console, default=True
    ):
        return None
    return given
