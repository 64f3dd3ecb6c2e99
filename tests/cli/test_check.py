"""`smartgoals check`: every problem at its file:line:column, all at once, exit 1."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, invoke, write_ledger

BROKEN = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mrr: {name: Again, unit: USD}
  users: {name: Users}
  mvp: {name: MVP, type: stage, stages: [a, b]}
goals:
  - id: one
    title: One
    after: tow
    due: 2025-02-30
    targets:
      - metric: mrr
        taget: 5
      - metric: usres
        target: 10
      - metric: mvp
        target: c
      - metric: users
        steps:
          - {value: 10, due: 2026-Q2}
          - {value: 20, due: 2026-Q1}
      - metric: mrr
        target: 60%
  - id: one
    title: Dup
    targets:
      - {metric: users, target: 5}
  - id: two
    title: Two
    targets: []
"""

BAD_JOURNAL = """\
date,metric,value,note
2026-01-01,mrr,abc,
2026-13-01,mrr,5,
2026-01-02,mmr,5,
2026-01-03,mrr,5,x,y
2026-01-04,mvp,z,
2026-01-05,mrr,5,ok
"""


def test_check_reports_every_problem_with_its_line(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, BROKEN, BAD_JOURNAL)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    expected = [
        "goals/goals.yaml:3:3: metrics.mrr: duplicate key 'mrr' (first at line 2)",
        "goals/goals.yaml:9:5: one.after: unknown goal 'tow' (did you mean 'two'?)",
        "goals/goals.yaml:10:10: one.due: '2025-02-30' is not a valid value",
        "goals/goals.yaml:13:9: one.targets[0].taget: unknown key 'taget' (did you mean 'target'?)",
        "goals/goals.yaml:14:9: one.targets[1].metric: unknown metric 'usres' (did you mean 'users'?)",
        "goals/goals.yaml:17:9: one.targets[2].target: 'c' is not a stage of mvp",
        "goals/goals.yaml:21:25: one.targets[3].steps[1].due: rung due 2026-Q1 is not after",
        "goals/goals.yaml:23:9: one.targets[4].target: '60%' is written as percent, but the unit is USD",
        "goals/goals.yaml:24:5: goals[1].id: goal 'one' is already defined at goals/goals.yaml:7",
        "goals/goals.yaml:30:5: two.targets: a goal needs at least one target",
        "goals/log.csv:2: value: 'abc' is not a number",
        "goals/log.csv:3:1: date: '2026-13-01' is not a date (YYYY-MM-DD)",
        "goals/log.csv:4: metric: unknown metric 'mmr' (did you mean 'mrr'?)",
        "goals/log.csv:5:1: expected 4 fields, found 5",
        "goals/log.csv:6: value: 'z' is not a stage of mvp",
    ]
    for want, got in zip(expected, lines, strict=False):
        assert got.startswith(want), (want, got)
    assert len(lines) == len(expected) + 1
    assert lines[-1].startswith("15 problem(s)")


def test_check_json(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, BROKEN, BAD_JOURNAL)
    result = invoke(cli, tmp_path, "check", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    first = data["problems"][0]
    assert first == {
        "path": "goals/goals.yaml",
        "line": 3,
        "column": 3,
        "field": "metrics.mrr",
        "message": "duplicate key 'mrr' (first at line 2)",
    }


def test_malformed_yaml_reports_its_line(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  a: {name: A}\ngoals:\n  - id: x\n    title: [unclosed\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "goals/goals.yaml:6:1: invalid YAML: while parsing a flow sequence"
    )


def test_other_files_still_load_when_one_is_broken(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(
        tmp_path,
        "metrics:\n  a: {name: A}\ngoals:\n  - {id: g, title: G, targets: [{metric: a, target: 1}]}\n",
    )
    (tmp_path / "goals" / "z.yaml").write_text("goals: [\n")
    result = invoke(cli, tmp_path, "status", "--json")
    assert result.exit_code == 1  # problems make the exit code 1 ...
    assert [g["id"] for g in json.loads(result.stdout)["goals"]] == [
        "g"
    ]  # ... the rest still shows
    assert "goals/z.yaml:2:1: invalid YAML" in result.stderr


def test_unsafe_yaml_is_refused_not_run(tmp_path: Path, cli: CliRunner) -> None:
    marker = tmp_path / "pwned"
    goals = f"metrics:\n  a: !!python/object/apply:os.system ['touch {marker}']\n"
    write_ledger(tmp_path, goals)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert "goals/goals.yaml:2:6: metrics.a: tag" in result.stdout
    assert not marker.exists()


def test_yaml_booleans_are_not_taken_for_values(tmp_path: Path, cli: CliRunner) -> None:
    goals = """\
    metrics:
      launched: {name: Launched}
    goals:
      - id: g
        title: G
        targets:
          - {metric: launched, target: yes}
    """
    write_ledger(tmp_path, goals)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert (
        "goals/goals.yaml:7:28: g.targets[0].target: expected a number or text, got a boolean"
        in result.stdout
    )


def test_dependency_cycle_is_named(tmp_path: Path, cli: CliRunner) -> None:
    goals = """\
    metrics:
      a: {name: A}
    goals:
      - {id: x, title: X, after: y, targets: [{metric: a, target: 1}]}
      - {id: y, title: Y, after: x, targets: [{metric: a, target: 1}]}
    """
    write_ledger(tmp_path, goals)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert "goals wait on each other: x -> y -> x" in result.stdout


def test_duplicate_metric_across_files(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  a: {name: A}\n", name="a.yaml")
    write_ledger(tmp_path, "metrics:\n  a: {name: A again}\n", name="b.yaml")
    result = invoke(cli, tmp_path, "check")
    assert (
        "goals/b.yaml:2:3: metrics.a: metric 'a' is already defined at goals/a.yaml:2"
        in result.stdout
    )


def test_settings_are_validated(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  a: {name: A}\n")
    (tmp_path / "smartgoals.yaml").write_text("at_risk_band: 2\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert result.stdout.startswith(
        "smartgoals.yaml:1:1: at_risk_band: Input should be less than or equal to 1"
    )


def test_bundled_demo_passes_check(cli: CliRunner) -> None:
    result = invoke(cli, REPO_ROOT, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok: ")


def test_clean_ledger_passes(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(
        tmp_path,
        textwrap.dedent(
            """\
            metrics:
              a: {name: A}
            goals:
              - {id: g, title: G, targets: [{metric: a, target: 1}]}
            """
        ),
        "date,metric,value,note\n2026-01-01,a,1,\n",
    )
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 0
    assert result.stdout == "ok: 1 goals, 1 metrics, 1 observations\n"
