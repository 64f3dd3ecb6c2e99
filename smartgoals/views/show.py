"""The `show` view: one goal as a SMART card, with each target's recent values, forecast and
target history, as JSON or as a card (Rich in a colour terminal, plain otherwise)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, NamedTuple

from smartgoals.engine.evaluation import GoalStatus
from smartgoals.engine.forecast import Forecast
from smartgoals.errors import EXIT_OK
from smartgoals.ledger.model import Ledger
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.changes import goal_history_lines
from smartgoals.rendering.data import (
    checkin_data,
    committed_change_data,
    forecast_data,
    goal_card_data,
)
from smartgoals.revisions.history import CommittedTargetChange
from smartgoals.safetext import clean

if TYPE_CHECKING:
    from rich.console import RenderableType


class ShowView(NamedTuple):
    goal: GoalStatus
    ledger: Ledger
    as_of: dt.date
    recent: int
    history: tuple[CommittedTargetChange, ...]
    history_missing: str | None  # why there is no target history (outside git)
    forecasts: tuple[Forecast, ...] = ()  # one per target, in order
    checkins: tuple[Any, ...] = ()  # the goal's recent confidence.CheckinInfo, oldest first

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def show_json(view: ShowView, display: Display) -> dict[str, Any]:
    data = goal_card_data(view.goal, view.ledger, view.as_of, view.recent)
    for target, found, target_json in zip(
        view.goal.targets, view.forecasts, data["targets"], strict=True
    ):
        target_json["forecast"] = forecast_data(target, found)
    data["history"] = [committed_change_data(c) for c in view.history]
    data["history_missing"] = view.history_missing
    data["checkins"] = [checkin_data(one) for one in view.checkins]
    return data


def show_card(view: ShowView, plain: bool) -> RenderableType:
    """The card, then the check-ins and the target history; `plain` leaves out colour and
    symbols (a Rich renderable all the same: the card is a Rich layout)."""
    from rich.console import Group

    from smartgoals.rendering.safe import SafeText as Text
    from smartgoals.rendering.text import goal_card

    card = goal_card(view.goal, view.ledger, view.as_of, plain, view.recent, view.forecasts)
    history = [committed_change_data(c) for c in view.history]
    lines = goal_history_lines(history, view.history_missing)
    if view.checkins:
        lines = ["", "Check-ins", *(_checkin_line(one) for one in view.checkins), *lines]
    return Group(card, *(Text(line) for line in lines))


def show_plain(view: ShowView, display: Display) -> RenderableType:
    return show_card(view, plain=True)


def show_rich(view: ShowView, display: Display) -> RenderableType:
    return show_card(view, plain=False)


def _checkin_line(one: Any) -> str:
    who = f"  by {one.author}" if one.author else "  (not committed)"
    note = f"  {one.note}" if one.note else ""
    return clean(f"  {one.date.isoformat()}  {one.confidence or '-'}{note}{who}")


FORMS: dict[type, dict[Format, Form]] = {
    ShowView: {Format.JSON: show_json, Format.PLAIN: show_plain, Format.RICH: show_rich}
}
