"""An in-memory formula.context.Data for the formula tests, and a ledger of a few metrics."""

from __future__ import annotations

import datetime as dt

from smartgoals.formula.context import Reach
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import parse


class FakeData:
    """A tiny in-memory view: metric -> [(date, value)], evaluated as of AS_OF."""

    AS_OF = dt.date(2026, 3, 31)

    def __init__(
        self,
        rows: dict[str, list[tuple[str, float | str]]],
        statuses: dict[str, str] | None = None,
        reaches: dict[tuple[str, str], Reach] | None = None,
    ):
        self.rows = {m: [(dt.date.fromisoformat(d), v) for d, v in r] for m, r in rows.items()}
        self.statuses = statuses or {}
        self.reaches = reaches or {}

    @property
    def as_of(self) -> dt.date:
        return self.AS_OF

    def window(self, metric: str, first: dt.date, last: dt.date) -> list[float | str]:
        return [v for d, v in self.rows.get(metric, []) if first <= d <= min(last, self.AS_OF)]

    def plan(self, goal_id: str, metric: str) -> tuple[float | None, float | None] | None:
        return None

    def reach(self, goal_id: str, metric: str) -> Reach | None:
        return self.reaches.get((goal_id, metric))

    def at(self, metric: str, day: dt.date | None):  # type: ignore[no-untyped-def]
        limit = self.AS_OF if day is None else min(day, self.AS_OF)
        found = [(v, d) for d, v in self.rows.get(metric, []) if d <= limit]
        return found[-1] if found else None

    def before_latest(self, metric: str):  # type: ignore[no-untyped-def]
        found = [(v, d) for d, v in self.rows.get(metric, []) if d <= self.AS_OF]
        return found[-2] if len(found) > 1 else None

    def goal_status(self, goal_id: str) -> str | None:
        return self.statuses.get(goal_id)


DATA = FakeData(
    {
        "dau": [("2026-03-31", 250)],
        "mau": [
            ("2025-03-31", 100),
            ("2026-01-31", 700),
            ("2026-02-28", 800),
            ("2026-03-31", 1000),
        ],
        "zero": [("2026-03-31", 0)],
        "stage": [("2026-03-01", "beta")],
    },
    {"launch": "off_track"},
)


def value(text: str) -> object:
    return evaluate(parse(text), DATA).value
