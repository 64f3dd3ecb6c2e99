"""`check --history` rendered: lines, GitHub workflow commands, JSON."""

from __future__ import annotations

from smartgoals.rendering import Display
from smartgoals.revisions.appendonly import RangeCheck, Rewrite
from smartgoals.views.history_check import (
    HistoryCheckView,
    history_check_json,
    history_check_lines,
)

REWRITE = Rewrite("goals/log.csv", 2, "a" * 40, "b" * 40, False, "Bo <bo@x>", "d,m,1,", None)


def test_lines_github_and_json() -> None:
    checked = RangeCheck("A..B", 3, (REWRITE,))
    assert history_check_lines(HistoryCheckView(checked), Display()) == [
        "goals/log.csv:2: removed in aaaaaaaaaa by Bo <bo@x>: d,m,1,",
        "1 row(s) changed or removed in 3 commit(s) of A..B",
    ]
    assert history_check_lines(HistoryCheckView(checked, True, "co/"), Display())[0] == (
        "::error file=co/goals/log.csv,line=2,title=smartgoals check::"
        "removed in aaaaaaaaaa by Bo <bo@x>: d,m,1,"
    )
    data = history_check_json(HistoryCheckView(checked), Display())
    assert data["ok"] is False and data["rewrites"][0]["kind"] == "removed"


def test_a_clean_range() -> None:
    view = HistoryCheckView(RangeCheck("A..B", 0, ()))
    assert view.exit_code == 0
    assert history_check_lines(view, Display()) == [
        "ok: only appended to the journal and check-ins in 0 commit(s) of A..B"
    ]
