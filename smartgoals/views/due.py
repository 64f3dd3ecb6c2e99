"""The `due` view: what needs a person now (metrics to record, reviews, triggered risks), as
JSON or plain lines."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from smartgoals.engine.dueness import Due
from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.cells import value_text
from smartgoals.rendering.data import metric_value, risk_data
from smartgoals.rendering.plain import align


class DueView(NamedTuple):
    as_of: dt.date
    within: int
    due: Due
    problems: tuple[Problem, ...]
    metrics: dict[str, MetricDef]

    @property
    def anything(self) -> bool:
        return bool(self.due.metrics or self.due.reviews or self.due.risks)

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.anything or self.problems else EXIT_OK


def due_json(view: DueView, display: Display) -> dict[str, Any]:
    found = view.due
    return {
        "as_of": view.as_of.isoformat(),
        "within": view.within,
        "due": view.anything,
        "last_checkin": _day(found.last_checkin),
        "metrics": [
            {
                "id": item.metric.id,
                "name": item.metric.name,
                "cadence": item.metric.cadence,
                "last_value": metric_value(item.metric, item.last_value),
                "last_date": _day(item.last_date),
                "due": _day(item.due),
                "overdue": item.overdue,
            }
            for item in found.metrics
        ],
        "reviews": [
            {
                "goal": item.goal.id,
                "title": item.goal.title,
                "cadence": item.cadence,
                "what": item.what,
                "due": _day(item.due),
                "last_checkin": _day(item.last_checkin),
                "overdue": item.overdue,
            }
            for item in found.reviews
        ],
        "risks": [risk_data(risk) for risk in found.risks],
    }


def due_lines(view: DueView, display: Display) -> list[str]:
    found = view.due
    when = view.as_of.isoformat() + (f" (and within {view.within} days)" if view.within else "")
    if not view.anything:
        return [f"nothing is due on {when}"]
    lines = [f"due on {when}:"]
    if found.metrics:
        lines.append(f"metrics to record ({len(found.metrics)}):")
        rows: list[tuple[str, ...]] = []
        for item in found.metrics:
            last = (
                f"last {value_text(item.metric, item.last_value)} on {item.last_date.isoformat()}"
                if item.last_date is not None
                else "never recorded"
            )
            since = "" if item.due is None else ("stale since " if item.overdue else "stale from ")
            rows.append(
                (
                    "  " + item.metric.id,
                    item.metric.cadence or "",
                    last,
                    since + (item.due.isoformat() if item.due else ""),
                )
            )
        lines += align(rows)
    if found.reviews:
        lines.append(f"reviews ({len(found.reviews)}):")
        rows = []
        for review in found.reviews:
            last = review.last_checkin.isoformat() if review.last_checkin else "none"
            when_due = ("due since " if review.overdue else "due from ") + review.due.isoformat()
            rows.append(
                (
                    "  " + review.goal.id,
                    review.cadence,
                    review.what,
                    when_due,
                    f"last check-in {last}",
                )
            )
        lines += align(rows)
    if found.risks:
        since = (
            f"since the last check-in ({found.last_checkin.isoformat()})"
            if found.last_checkin
            else "(no check-in yet)"
        )
        lines.append(f"risks triggered {since} ({len(found.risks)}):")
        lines += [f"  {risk.risk.id}  {risk.risk.title}" for risk in found.risks]
    return lines


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


FORMS: dict[type, dict[Format, Form]] = {DueView: {Format.JSON: due_json, Format.PLAIN: due_lines}}
