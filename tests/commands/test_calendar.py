"""commands/calendar.py: the iCalendar text of a ledger's cadences and reviews."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.calendar import calendar
from tests.conftest import write_ledger


def test_one_event_per_cadence_and_review(tmp_path: Path) -> None:
    root = tmp_path / "acme"
    write_ledger(
        root,
        """\
        metrics:
          mrr: {name: MRR, unit: USD, cadence: monthly}
          cash: {name: Cash, unit: USD}
        goals:
          - id: revenue
            title: Revenue
            review: {quarterly: Calibration}
            targets:
              - {metric: mrr, target: 1000}
        """,
        "date,metric,value,note\n",
    )
    view = calendar(root, dt.date(2026, 3, 1))
    assert view.events == 2  # cash has no cadence
    assert view.problems == ()
    assert view.text.startswith("BEGIN:VCALENDAR\r\n")
    assert "X-WR-CALNAME:smartgoals: acme\r\n" in view.text
    assert "SUMMARY:Record MRR (monthly)\r\n" in view.text
    assert view.text.count("BEGIN:VEVENT") == 2


def test_a_broken_goal_file_is_a_problem(tmp_path: Path) -> None:
    write_ledger(tmp_path, "metrics: [\n")
    view = calendar(tmp_path, dt.date(2026, 3, 1))
    assert view.events == 0
    assert view.problems and view.exit_code != 0
