"""`smartgoals export`: observations and statuses as spreadsheet-safe CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from smartgoals.rendering.spreadsheet import csv_text, safe_cell
from tests.conftest import invoke, write_ledger

GOALS = """\
    metrics:
      mrr: {name: Monthly recurring revenue, unit: USD}
      cost: {name: Cost, unit: USD, direction: down}
      margin: {name: Margin, unit: USD, formula: "mrr - cost"}
      stage: {name: Stage, type: stage, stages: [idea, beta, live]}
    goals:
      - id: grow
        title: "=HYPERLINK(\\"http://x\\")"
        owner: "@ada"
        start: 2026-01-01
        due: 2026-12-31
        targets:
          - {metric: mrr, target: 10000}
          - {metric: stage, target: live}
    """
JOURNAL = """\
    date,metric,value,note
    2026-01-31,mrr,1000,"=1+1"
    2026-01-31,cost,-5,+cmd|' /C calc'!A0
    2026-02-28,mrr,2000,"-2+3"
    2026-02-28,stage,beta,@SUM(A1)
    2026-03-31,mrr,3000,\tTab
    """


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_cells_that_start_a_formula_are_neutralised_and_numbers_stay_numbers() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+cmd") == "'+cmd"
    assert safe_cell("-2+3") == "'-2+3"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("\rx") == "'\rx"
    assert safe_cell("-5") == "-5"
    assert safe_cell("+3.2") == "+3.2"
    assert safe_cell("-1e3") == "-1e3"
    assert safe_cell(-5.0) == "-5"
    assert safe_cell(-3.25) == "-3.25"
    assert safe_cell(None) == ""
    assert safe_cell(True) == "true"
    assert safe_cell("plain") == "plain"
    assert csv_text(["a"], [["=x"]]) == "a\n'=x\n"


def test_export_observations_csv_marks_derived_values_and_neutralises_notes(
    tmp_path: Path, cli
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "export", "--as-of", "2026-02-28")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert [(r["date"], r["metric"], r["value"], r["derived"]) for r in rows] == [
        ("2026-01-31", "mrr", "1000", "false"),
        ("2026-01-31", "cost", "-5", "false"),
        ("2026-01-31", "margin", "1005", "true"),
        ("2026-02-28", "mrr", "2000", "false"),
        ("2026-02-28", "margin", "2005", "true"),
        ("2026-02-28", "stage", "beta", "false"),
    ]
    notes = [r["note"] for r in rows]
    assert notes[0] == "'=1+1"
    assert notes[1] == "'+cmd|' /C calc'!A0"
    assert notes[3] == "'-2+3"
    assert notes[5] == "'@SUM(A1)"


def test_export_tab_note_is_neutralised(tmp_path: Path, cli) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "export", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    last = [r for r in rows_of(result.stdout) if r["metric"] == "mrr"][-1]
    assert last["note"] == "'\tTab"


def test_export_observations_json(tmp_path: Path, cli) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    for args in (("--json",), ("--format", "json")):
        result = invoke(cli, tmp_path, "export", "--as-of", "2026-01-31", *args)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["as_of"] == "2026-01-31"
        assert data["what"] == "observations"
        assert data["rows"][1] == {
            "date": "2026-01-31",
            "metric": "cost",
            "value": -5,
            "unit": "USD",
            "derived": False,
            "note": "+cmd|' /C calc'!A0",
        }
        assert data["rows"][2]["derived"] is True


def test_export_status_one_row_per_target(tmp_path: Path, cli) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "export", "--what", "status", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert [(r["goal"], r["metric"], r["current"], r["target"]) for r in rows] == [
        ("grow", "mrr", "3000", "10000"),
        ("grow", "stage", "beta", "live"),
    ]
    assert rows[0]["goal_title"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["owner"] == "'@ada"
    assert rows[0]["status"] in {"on_track", "at_risk", "off_track"}
    status = json.loads(invoke(cli, tmp_path, "status", "--json", "--as-of", "2026-03-31").stdout)
    assert rows[0]["status"] == status["goals"][0]["targets"][0]["status"]
    data = json.loads(
        invoke(
            cli, tmp_path, "export", "--what", "status", "--json", "--as-of", "2026-03-31"
        ).stdout
    )
    assert data["rows"][0]["goal_title"] == '=HYPERLINK("http://x")'  # JSON is not neutralised
    assert data["rows"][0]["progress"] == status["goals"][0]["targets"][0]["progress"]


def test_export_problems_exit_1_but_still_export(tmp_path: Path, cli) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL + "    2026-04-30,mmr,1,\n")
    result = invoke(cli, tmp_path, "export", "--as-of", "2026-04-30")
    assert result.exit_code == 1
    assert "unknown metric 'mmr'" in result.stderr
    assert rows_of(result.stdout)[0]["metric"] == "mrr"


def test_export_rejects_unknown_format(tmp_path: Path, cli) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "export", "--format", "xlsx")
    assert result.exit_code == 2
