"""commands/importing.py: a file mapped by rules to observations, appended once in one commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.importing import BODY_LINES, import_file, message
from smartgoals.views.exchange import ImportView
from smartgoals.views.log import RefusedView
from smartgoals.write.recording import entry_for
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  signups: {name: Signups, unit: count}
goals: []
"""
RULES = "date: day\nvalues:\n  - {metric: signups, value: count}\n"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, "date,metric,value,note\n2026-01-02,signups,7,by hand\n")
    (repo / "signups.csv.rules.yaml").write_text(RULES, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def journal(root: Path) -> list[str]:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[1:]


def export(root: Path, text: str) -> str:
    path = root / "signups.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_new_rows_appended_same_and_conflicts_counted(ledger: Path) -> None:
    file = export(ledger, "day,count\n2026-01-01,5\n2026-01-02,8\n2026-01-03,9\n")
    view = import_file(ledger, TODAY, file)
    assert isinstance(view, ImportView)
    assert (view.file, view.rules) == ("signups.csv", "signups.csv.rules.yaml")
    assert [(e.day, e.value) for e in view.entries] == [
        (dt.date(2026, 1, 1), 5.0),
        (dt.date(2026, 1, 3), 9.0),
    ]
    assert [(c.day, c.old, c.new) for c in view.conflicts] == [(dt.date(2026, 1, 2), 7.0, 8.0)]
    assert journal(ledger) == [
        "2026-01-02,signups,7,by hand",
        "2026-01-01,signups,5,",
        "2026-01-03,signups,9,",
    ]
    assert git(ledger, "log", "-1", "--format=%s") == (
        "import: 2 values from signups.csv (signups.csv.rules.yaml)\n"
    )
    again = import_file(ledger, TODAY, file)
    assert isinstance(again, ImportView)
    assert (again.entries, again.same, again.written) == ((), 2, None)


def test_dry_run_writes_nothing(ledger: Path) -> None:
    file = export(ledger, "day,count\n2026-01-01,5\n")
    view = import_file(ledger, TODAY, file, dry_run=True)
    assert isinstance(view, ImportView) and view.dry_run
    assert len(view.entries) == 1 and view.written is None
    assert journal(ledger) == ["2026-01-02,signups,7,by hand"]


def test_one_bad_row_refuses_the_file(ledger: Path) -> None:
    file = export(ledger, "day,count\n2026-01-01,5\n2026-01-04,lots\n")
    view = import_file(ledger, TODAY, file)
    assert isinstance(view, RefusedView)
    assert [(p.path, p.line) for p in view.problems] == [("signups.csv", 3)]
    assert journal(ledger) == ["2026-01-02,signups,7,by hand"]


def test_the_message_lists_at_most_body_lines_values(ledger: Path) -> None:
    from smartgoals.ledger.loader import load_definitions_at as goal_definitions

    metric = goal_definitions(ledger).metrics["signups"]
    entries = tuple(
        entry_for(metric, dt.date(2026, 1, 1) + dt.timedelta(days=i), float(i), "")
        for i in range(BODY_LINES + 2)
    )
    lines = message("s.csv", "rules", entries).splitlines()
    assert lines[0] == f"import: {BODY_LINES + 2} values from s.csv (rules)"
    assert lines[2] == "signups = 0 (2026-01-01)"
    assert lines[-1] == "... and 2 more"
    assert len(lines) == 2 + BODY_LINES + 1
