"""The `checkin` view: the values and the goals' confidences recorded in one commit."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.ledger.model import GoalDef
from smartgoals.rendering import Display, Form, Format
from smartgoals.write.recording import Entry, Written


class Judgement(NamedTuple):
    goal: GoalDef
    confidence: str  # on_track, at_risk, off_track, or "" (none given)
    note: str


class CheckinView(NamedTuple):
    day: dt.date
    entries: tuple[Entry, ...]
    judgements: tuple[Judgement, ...]
    written: Written

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.written.warnings

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def checkin_lines(view: CheckinView, display: Display) -> list[str]:
    done = view.written
    values = f"{len(view.entries)} value{'s' if len(view.entries) != 1 else ''}"
    goals = f"{len(view.judgements)} goal{'s' if len(view.judgements) != 1 else ''}"
    return [
        f"check-in {view.day.isoformat()}: {values}, {goals}: committed {(done.commit or '')[:10]}"
    ]


FORMS: dict[type, dict[Format, Form]] = {CheckinView: {Format.PLAIN: checkin_lines}}
