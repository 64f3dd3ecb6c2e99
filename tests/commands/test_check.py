"""commands/check.py: the ledger's problems, and journal rows dated after today as warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from smartgoals.commands.check import check, check_github, future_problems, future_rows
from tests.conftest import ledger_from_strings, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
  arpu: {name: ARPU, unit: USD, formula: "mrr / users"}
goals: []
"""


def test_future_rows_name_their_journal_line() -> None:
    ledger = ledger_from_strings(
        GOALS,
        """\
        2026-01-31,mrr,100,
        2027-01-31,users,10,
        2026-02-28,mrr,300,
        2027-01-31,mrr,200,
        """,
    )
    # the derived arpu of 2027-01-31 is not a row of the journal: not reported
    assert future_rows(ledger, dt.date(2026, 3, 1)) == [
        "goals/log.csv:3: date: 2027-01-31 is after today (2026-03-01)",
        "goals/log.csv:5: date: 2027-01-31 is after today (2026-03-01)",
    ]
    assert future_problems(ledger, dt.date(2027, 1, 31)) == []  # today is not after today


def test_check_without_today_gives_no_warnings(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2027-01-31,mrr,1,\n")
    assert check(tmp_path).warnings == ()
    view = check(tmp_path, dt.date(2026, 1, 1))
    assert view.warnings == ("goals/log.csv:2: date: 2027-01-31 is after today (2026-01-01)",)
    assert view.exit_code == 0  # a warning is not an error


def test_check_reports_problems_with_exit_code(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-31,nope,1,\n")
    view = check(tmp_path, dt.date(2026, 3, 1))
    assert [(p.path, p.line) for p in view.ledger.problems] == [("goals/log.csv", 2)]
    assert view.exit_code == 1


def test_check_github_keeps_warnings_as_places(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2027-01-31,mrr,1,\n")
    view = check_github(tmp_path, dt.date(2026, 1, 1))
    assert [(p.path, p.line, p.field) for p in view.warnings] == [("goals/log.csv", 2, "date")]
    assert view.check.warnings == ("goals/log.csv:2: date: 2027-01-31 is after today (2026-01-01)",)
    assert view.prefix == ""  # not in git: the root is the top


def test_check_lists_the_problems_of_reviews_files(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n")
    (tmp_path / "reviews").mkdir()
    header = "period,goal,target,status,computed_score,computed_grade,grade,note,reason,closed_on\n"
    (tmp_path / "reviews/2026-Q3.csv").write_text(
        header + "2026-Q3,revenue,,on_track,0.950,A,A,,,2026-10-05\n", encoding="utf-8"
    )
    view = check(tmp_path)
    assert view.warnings == (
        "reviews/2026-Q3.csv:2: goal: goal 'revenue' is not in the ledger now "
        "(renamed or removed since the close?)",
    )
    (tmp_path / "reviews/2026-Q3.csv").write_text(
        header + "2026-Q3,revenue,,on_track,0.950,A,B,,,2026-10-05\n", encoding="utf-8"
    )
    view = check(tmp_path)
    assert (
        "reviews/2026-Q3.csv:2: reason: grade B differs from the computed A and gives no reason"
        in [str(p) for p in view.ledger.problems]
    )
    assert view.exit_code == 1
