"""The `close` view: the period's grades (computed and given), its calibration, what was (or,
with --dry-run, would be) written and committed, as text, Markdown and JSON."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.grading import GoalGrade
from smartgoals.engine.words import plan_text
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.reviews import bands_text
from smartgoals.periods import Period
from smartgoals.rendering import Display, Form, Format
from smartgoals.views.report_markdown import table
from smartgoals.write.recording import Batch, Refused, Written

if TYPE_CHECKING:
    from smartgoals.engine.reporting import Calibration
    from smartgoals.write.closing import HumanGrade


class ClosePlan(NamedTuple):
    """What closing the period would write, before a person grades it."""

    period: Period
    following: Period
    tag: str
    grades: tuple[GoalGrade, ...]
    calibration: tuple[Calibration, ...]
    calibration_note: str | None
    amend: bool
    notes_path: str | None  # None: the notes file exists already
    rollover_path: str | None


class CloseView(NamedTuple):
    plan: ClosePlan
    batch: Batch
    human: Mapping[str, HumanGrade]
    written: Written | Refused | None  # None: --dry-run
    dry_run: bool

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.written.problems if isinstance(self.written, Refused) else ()

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.written.warnings if isinstance(self.written, Written) else ()

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def _score(score: float | None) -> str:
    return "-" if score is None else f"{score:.3f}"


def _given(view: CloseView, goal_id: str, computed: str) -> tuple[str, str, str]:
    given = view.human.get(goal_id)
    if given is None or not given.grade:
        return computed, given.note if given else "", ""
    return given.grade, given.note, given.reason


def _calibration_row(item: Calibration) -> tuple[str, ...]:
    change, metric = item.change, item.change.metric
    old = plan_text(metric, change.old, change.old_mix)
    new = plan_text(metric, change.new, change.new_mix)
    how = {True: "eased", False: "tightened", None: "changed"}[change.eased]
    commit = f"{item.commit.short} {item.commit.message}" if item.commit else "not committed"
    reasons = "; ".join(change.reasons) or "no reason"
    return (f"{change.goal} / {metric.id}", how, f"{old} -> {new}", reasons, commit)


def _outcome(view: CloseView) -> str:
    plan, done = view.plan, view.written
    paths = ", ".join(extra.path for extra in view.batch.files)
    if view.dry_run:
        return f"dry run: would append to {paths} in one commit, tagged {plan.tag}"
    if isinstance(done, Refused):
        count = len(done.problems)
        return f"nothing was written: {count} problem{'s' if count != 1 else ''} (listed above)"
    assert done is not None
    tagged = "" if plan.amend else f", tagged {plan.tag}"
    return f"committed {(done.commit or '')[:10]}{tagged}: {paths}"


def close_lines(view: CloseView, display: Display) -> list[str]:
    plan = view.plan
    verb = "amending" if plan.amend else "closing"
    lines = [
        f"{verb} {plan.period.text} ({plan.period.first} to {plan.period.last}), judged at "
        f"{plan.period.last}; grades: {bands_text()}",
    ]
    for goal in plan.grades:
        grade, note, reason = _given(view, goal.id, goal.grade)
        given = "" if grade == goal.grade else f" -> {grade} ({reason})"
        text = f"  {goal.id}: {goal.grade} {_score(goal.score)} {goal.goal.status}{given}"
        lines.append(text + (f"; {note}" if note else ""))
        for target in goal.targets:
            roll = " (rolls over)" if target.unfinished else ""
            lines.append(
                f"    {target.metric}: {target.grade} {_score(target.score)} "
                f"{target.target.status}{roll}"
            )
    lines.append("calibration:")
    if not plan.calibration:
        lines.append(f"  {plan.calibration_note or 'no target eased or tightened'}")
    lines += ["  " + ", ".join(row) for row in map(_calibration_row, plan.calibration)]
    lines.append(_outcome(view))
    if view.dry_run:
        for extra in view.batch.files:
            lines.append(f"--- {extra.path}")
            lines += (extra.header + extra.text).splitlines()
    return lines


def close_markdown(view: CloseView, display: Display) -> str:
    plan = view.plan
    lines = [f"# Close {plan.period.text}", "", f"Grades: {bands_text()}.", ""]
    rows = []
    for goal in plan.grades:
        grade, note, reason = _given(view, goal.id, goal.grade)
        computed = f"{goal.grade} ({_score(goal.score)})"
        rows.append((goal.id, str(goal.goal.status), computed, grade, note, reason))
    header = ("Goal", "Status", "Computed", "Grade", "Note", "Reason")
    lines += table(header, rows, (False,) * 6)
    lines += ["", "## Calibration", ""]
    if plan.calibration:
        cal_header = ("Target", "Change", "Rungs", "Reasons", "Commit")
        lines += table(cal_header, [_calibration_row(c) for c in plan.calibration], (False,) * 5)
    else:
        lines.append(plan.calibration_note or "No target was eased or tightened.")
    return "\n".join([*lines, "", _outcome(view), ""])


def close_json(view: CloseView, display: Display) -> dict[str, Any]:
    plan, done = view.plan, view.written
    goals = []
    for goal in plan.grades:
        grade, note, reason = _given(view, goal.id, goal.grade)
        targets = [
            {
                "metric": t.metric,
                "status": str(t.target.status),
                "score": t.score,
                "computed_grade": t.grade,
                "due_in_period": t.due_in_period,
                "rolls_over": t.unfinished,
            }
            for t in goal.targets
        ]
        goals.append(
            {
                "goal": goal.id,
                "status": str(goal.goal.status),
                "score": goal.score,
                "computed_grade": goal.grade,
                "grade": grade,
                "note": note,
                "reason": reason,
                "targets": targets,
            }
        )
    calibration = [
        dict(
            zip(
                ("target", "change", "rungs", "reasons", "commit"), _calibration_row(c), strict=True
            )
        )
        for c in plan.calibration
    ]
    return {
        "period": plan.period.text,
        "first": plan.period.first.isoformat(),
        "last": plan.period.last.isoformat(),
        "tag": None if plan.amend else plan.tag,
        "amend": plan.amend,
        "dry_run": view.dry_run,
        "bands": bands_text(),
        "goals": goals,
        "calibration": calibration,
        "calibration_note": plan.calibration_note,
        "files": [
            {"path": extra.path, "text": extra.header + extra.text} for extra in view.batch.files
        ],
        "commit": done.commit if isinstance(done, Written) else None,
        "problems": [str(p) for p in view.problems],
    }


FORMS: dict[type, dict[Format, Form]] = {
    CloseView: {Format.PLAIN: close_lines, Format.MARKDOWN: close_markdown, Format.JSON: close_json}
}
