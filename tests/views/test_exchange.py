"""views/exchange.py: `export` as JSON and CSV; `import` and `pull` as plain lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from smartgoals.commands.export import export
from smartgoals.commands.importing import import_file
from smartgoals.commands.pull import pull
from smartgoals.rendering import Display
from smartgoals.views.exchange import (
    ExportView,
    ImportView,
    PullView,
    export_csv,
    export_json,
    import_lines,
    pull_lines,
)
from tests.conftest import git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mvp: {name: MVP, type: stage, stages: [todo, doing, done]}
goals: []
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,"first, paid"
2026-02-01,mvp,doing,
"""


def test_export_json_rows_as_objects(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    data = export_json(export(tmp_path, dt.date(2026, 3, 1)), Display())
    assert (data["as_of"], data["what"]) == ("2026-03-01", "observations")
    assert data["columns"] == ["date", "metric", "value", "unit", "derived", "note"]
    assert data["rows"] == [
        {
            "date": "2026-01-31",
            "metric": "mrr",
            "value": 100.0,
            "unit": "USD",
            "derived": False,
            "note": "first, paid",
        },
        {
            "date": "2026-02-01",
            "metric": "mvp",
            "value": "doing",
            "unit": "stage",
            "derived": False,
            "note": "",
        },
    ]


def test_export_csv_reads_back(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    text = export_csv(export(tmp_path, dt.date(2026, 3, 1)))
    assert text == (
        "date,metric,value,unit,derived,note\n"
        '2026-01-31,mrr,100,USD,false,"first, paid"\n'
        "2026-02-01,mvp,doing,stage,false,\n"
    )
    assert list(csv.reader(io.StringIO(text)))[1][5] == "first, paid"


def test_export_view_exit_code(tmp_path: Path) -> None:
    view = ExportView("observations", dt.date(2026, 3, 1), ("date",), (), ())
    assert view.exit_code == 0


def test_import_lines_say_what_was_appended(repo: Path) -> None:
    write_ledger(repo, "metrics:\n  signups: {name: Signups, unit: count}\ngoals: []\n", "")
    (repo / "goals" / "log.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    (repo / "s.csv.rules.yaml").write_text(
        "date: day\nvalues:\n  - {metric: signups, value: count}\n", encoding="utf-8"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    (repo / "s.csv").write_text("day,count\n2026-01-01,5\n2026-01-02,6\n", encoding="utf-8")
    dry = import_file(repo, dt.date(2026, 3, 1), str(repo / "s.csv"), dry_run=True)
    assert isinstance(dry, ImportView)
    lines = import_lines(dry, Display())
    assert lines[0] == "would append 2 values from s.csv (s.csv.rules.yaml):"
    assert "2026-01-01,signups,5," in lines
    done = import_file(repo, dt.date(2026, 3, 1), str(repo / "s.csv"))
    assert isinstance(done, ImportView)
    assert done.written is not None and done.written.commit is not None
    assert import_lines(done, Display()) == [
        f"2 values from s.csv (s.csv.rules.yaml): committed {done.written.commit[:10]}"
    ]
    again = import_file(repo, dt.date(2026, 3, 1), str(repo / "s.csv"))
    assert isinstance(again, ImportView)
    assert import_lines(again, Display()) == [
        "nothing new from s.csv (s.csv.rules.yaml)",
        "skipped: 2 already recorded",
    ]


def test_pull_lines_name_the_source(repo: Path) -> None:
    write_ledger(
        repo,
        """\
        metrics:
          followers:
            name: Followers
            unit: count
            source: {json: p.json, path: n, date: day}
        goals: []
        """,
        "date,metric,value,note\n",
    )
    (repo / "p.json").write_text('{"n": 412, "day": "2026-02-01"}', encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    view = pull(repo, dt.date(2026, 3, 1), dry_run=True)
    assert isinstance(view, PullView)
    lines = pull_lines(view, Display())
    assert lines == ["would append 1 value from sources of followers:", "2026-02-01,followers,412,"]
