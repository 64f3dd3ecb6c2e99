"""The `explain` view: every step that produced a goal's status (or one target's), in order,
as JSON, numbered plain lines or Rich."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.explain_rules import Step
from smartgoals.engine.explanation import TargetExplanation
from smartgoals.errors import EXIT_OK
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.data import json_number, judgement_data, metric_value

if TYPE_CHECKING:
    from rich.console import RenderableType


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


def _steps_data(steps: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [{"step": s.name, "text": s.text, "data": s.data} for s in steps]


def explain_json(view: ExplainView, display: Display) -> dict[str, Any]:
    """`explain --json`: the same steps as data, in the same order."""
    return {
        "as_of": view.as_of.isoformat(),
        "goal": view.goal,
        "title": view.title,
        "status": view.status,
        "steps": _steps_data(view.steps),
        "targets": [
            {
                "metric": t.metric,
                "metric_name": t.metric_name,
                "index": t.position,
                "status": t.status,
                "progress": json_number(t.judgement.progress, 4),
                "expected": json_number(t.judgement.expected, 4),
                "plan": metric_value(t.judgement.metric, t.judgement.plan),
                **judgement_data(t.judgement),
                "steps": _steps_data(t.steps),
            }
            for t in view.targets
        ],
    }


def explain_lines(view: ExplainView, display: Display) -> list[str]:
    """`explain`: the goal, then each target's steps, numbered, in the order they apply."""
    lines = [f"{view.title} ({view.goal}): {view.status} as of {view.as_of.isoformat()}"]
    lines += [f"  {step.name}: {step.text}" for step in view.steps]
    for target in view.targets:
        lines += ["", f"{target.metric_name} [{target.metric}]: {target.status}"]
        if target.judgement.why:
            lines.append(f"  why: {target.judgement.why}")
        lines += [
            f"  {number}. {step.name}: {step.text}"
            for number, step in enumerate(target.steps, start=1)
        ]
    return lines


def explain_rich(view: ExplainView, display: Display) -> RenderableType:
    """`explain` for a terminal: the same steps as the plain text, headings in bold."""
    from rich.console import Group

    from smartgoals.rendering.safe import SafeText as Text
    from smartgoals.rendering.text import status_text

    parts: list[RenderableType] = [
        Text.assemble(
            (f"{view.title} ({view.goal})", "bold"),
            ": ",
            status_text(view.status),
            f" as of {view.as_of.isoformat()}",
        )
    ]
    parts += [Text.assemble((f"  {s.name}: ", "dim"), s.text) for s in view.steps]
    for target in view.targets:
        parts += [
            Text(""),
            Text.assemble(
                (target.metric_name, "bold"), f" [{target.metric}]: ", status_text(target.status)
            ),
        ]
        if target.judgement.why:
            parts.append(Text.assemble(("  why: ", "dim"), target.judgement.why))
        parts += [
            Text.assemble((f"  {number}. {step.name}: ", "dim"), step.text)
            for number, step in enumerate(target.steps, start=1)
        ]
    return Group(*parts)


FORMS: dict[type, dict[Format, Form]] = {
    ExplainView: {Format.JSON: explain_json, Format.PLAIN: explain_lines, Format.RICH: explain_rich}
}
