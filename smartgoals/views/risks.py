"""The `risks` view: every risk's trigger, the values that decided it, and its actions, as
JSON, plain lines or Rich."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.evaluation import RiskStatus
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.data import risk_data
from smartgoals.rendering.plain import risks_lines

if TYPE_CHECKING:
    from rich.console import RenderableType


class RisksView(NamedTuple):
    as_of: dt.date
    risks: tuple[RiskStatus, ...]
    problems: tuple[Problem, ...]
    metrics: Mapping[str, MetricDef] = {}  # for the units of the values read

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.problems else EXIT_OK


def risks_json(view: RisksView, display: Display) -> dict[str, Any]:
    return {"as_of": view.as_of.isoformat(), "risks": [risk_data(r) for r in view.risks]}


def risks_plain(view: RisksView, display: Display) -> list[str]:
    text = "\n".join(risks_lines(view.risks, False, view.metrics)).rstrip()
    return text.split("\n")


def risks_rich(view: RisksView, display: Display) -> RenderableType:
    from smartgoals.rendering.text import risks_view

    return risks_view(view.risks, plain=False, only_triggered=False, metrics=view.metrics)


FORMS: dict[type, dict[Format, Form]] = {
    RisksView: {Format.JSON: risks_json, Format.PLAIN: risks_plain, Format.RICH: risks_rich}
}
