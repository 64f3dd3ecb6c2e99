"""Messages that point at the real mistake: YAML hints, case-insensitive suggestions, --date."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from smartgoals.periods import DAY_WORDS
from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: g
    title: G
    targets:
      - metric: mrr
        target: >= 50
"""


def test_an_unquoted_comparison_says_to_quote_it(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert "goals/goals.yaml:8:" in result.stdout
    assert '(quote it: target: ">= 50")' in result.stdout


def test_a_tab_in_the_indentation_is_named(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "goals:\n  - id: g\n\ttitle: G\n")
    result = invoke(cli, tmp_path, "check")
    assert "tab characters cannot indent YAML" in result.stdout


def test_log_suggests_the_id_whatever_its_case(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  mrr: {name: MRR, unit: USD}\n", "date,metric,value,note\n")
    result = invoke(cli, tmp_path, "log", "MRR", "5", "--no-commit")
    assert result.exit_code == 1
    assert "unknown metric 'MRR' (did you mean 'mrr'?)" in result.stderr


def test_log_date_says_what_it_accepts(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, "metrics:\n  mrr: {name: MRR, unit: USD}\n", "date,metric,value,note\n")
    for text in ("2026-Q3", "soon"):
        result = invoke(cli, tmp_path, "log", "mrr", "5", "--date", text, "--no-commit")
        assert result.exit_code == 1
        assert result.stderr.rstrip().endswith(f"--date takes a day: {DAY_WORDS}")
        assert "2025-Q3" not in result.stderr


def test_settings_read_values_as_goal_files_do_and_suggest_keys(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, "metrics:\n  mrr: {name: MRR, unit: USD}\n", "date,metric,value,note\n")
    (tmp_path / "smartgoals.yaml").write_text("at_risk_band: 10%\n")
    assert invoke(cli, tmp_path, "check").exit_code == 0
    (tmp_path / "smartgoals.yaml").write_text("at_risk_bnd: 0.1\n")
    result = invoke(cli, tmp_path, "check")
    assert "unknown key 'at_risk_bnd' (did you mean 'at_risk_band'?)" in result.stdout


# --- one mistake, one problem -----------------------------------------------------------------

REVENUE = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cac: {name: CAC, unit: USD, direction: down}
  ratio: {name: MRR per CAC, formula: "mrr / cac"}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 100, due: 2026-12}
      - {metric: cac, target: "< 10", due: 2026-12}
"""

OTHER = """\
metrics:
  users: {name: Users, unit: count}
goals:
  - id: board
    title: Board
    after: revenue
    targets:
      - {metric: mrr, target: 200, due: 2027-12}
      - {metric: users, target: 9, due: 2027-12}
risks:
  - id: slow
    title: Slow
    when: "mrr < 10 and status('revenue') == 'off_track'"
"""


def _two_files(tmp_path: Path, revenue: str, rows: int = 40) -> None:
    journal = "date,metric,value,note\n" + "".join(
        f"2026-01-{day:02d},{metric},{day},\n"
        for day in range(1, rows // 2 + 1)
        for metric in ("mrr", "cac")
    )
    write_ledger(tmp_path, revenue, journal + "2026-02-01,users,5,\n2026-02-02,mmr,5,\n")
    (tmp_path / "goals" / "other.yaml").write_text(OTHER, encoding="utf-8")


def test_a_yaml_syntax_error_is_one_problem_and_one_count(tmp_path: Path, cli: CliRunner) -> None:
    broken = REVENUE.replace("mrr: {name: MRR, unit: USD}", "mrr: {name: MRR, unit: USD")
    _two_files(tmp_path, broken)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()[:-1]  # the last line is the summary
    assert lines[0].startswith("goals/goals.yaml:3:6: invalid YAML")
    assert lines[1:] == [
        "goals/log.csv:2: 41 journal rows not checked: goals/goals.yaml cannot be read, and "
        "may define their metrics",
        "goals/other.yaml:6:5: 3 references to metrics or goals not checked: "
        "goals/goals.yaml cannot be read, and may define them",
    ]
    assert "unknown metric" not in result.stdout


def test_a_metric_with_one_bad_field_is_still_known_by_its_id(
    tmp_path: Path, cli: CliRunner
) -> None:
    _two_files(tmp_path, REVENUE.replace("direction: down", "direction: lower"))
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()[:-1]
    assert lines == [
        "goals/goals.yaml:3:31: metrics.cac.direction: Input should be 'up' or 'down'",
        # the one journal row that is wrong on its own is still reported
        "goals/log.csv:43: metric: unknown metric 'mmr' (did you mean 'mrr'?)",
    ]


def test_log_of_a_metric_defined_with_problems_says_so(tmp_path: Path, cli: CliRunner) -> None:
    _two_files(tmp_path, REVENUE.replace("direction: down", "direction: lower"))
    result = invoke(cli, tmp_path, "log", "cac", "5", "--no-commit")
    assert result.exit_code == 1
    assert "metric 'cac' is defined with problems: `smartgoals check` lists them" in result.stderr


def test_a_duplicate_is_reported_even_when_it_is_invalid(tmp_path: Path, cli: CliRunner) -> None:
    goals = REVENUE + "  - id: revenue\n    title: Again\n    owner: [1]\n    targets: []\n"
    goals = goals.replace("metrics:\n", "metrics:\n  users: {name: U, unit: count}\n", 1)
    write_ledger(tmp_path, goals, "date,metric,value,note\n")
    (tmp_path / "goals" / "other.yaml").write_text(
        "metrics:\n  users: {name: U, unit: count, direction: sideways}\n", encoding="utf-8"
    )
    result = invoke(cli, tmp_path, "check")
    assert "goals/goals.yaml:12:5: goals[1].id: goal 'revenue' is already defined at " in (
        result.stdout
    )
    assert (
        "goals/other.yaml:2:3: metrics.users: metric 'users' is already defined at "
        "goals/goals.yaml:2" in result.stdout
    )


def test_a_key_at_the_wrong_level_says_where_it_belongs(tmp_path: Path, cli: CliRunner) -> None:
    goals = """\
metrics:
  mrr: {name: MRR, unit: USD, target: 5}
  unit: USD
goals:
  - id: revenue
    title: Revenue
    target: 100
    targets:
      - metric: mrr
        target: 100
        owner: Ana
        steps_x: 1
      - metric: mrr
        steps:
          - {value: 10, due: 2026-11, metric: mrr}
          - {value: 20, due: 2026-12}
"""
    write_ledger(tmp_path, goals, "date,metric,value,note\n")
    (tmp_path / "smartgoals.yaml").write_text("metrics: {}\n", encoding="utf-8")
    out = invoke(cli, tmp_path, "check").stdout
    assert (
        "smartgoals.yaml:1:1: metrics: unknown key 'metrics' (`metrics` belongs in a goal file "
        "under goals/, not in smartgoals.yaml)" in out
    )
    assert (
        "metrics.mrr.target: unknown key 'target' (`target` belongs to a target, in an item "
        "under the goal's `targets:`)" in out
    )
    assert "metrics.unit: `unit:` is not a metric: a metric's keys go under its id" in out
    assert "revenue.target: unknown key 'target' (`target` belongs to a target" in out
    assert (
        "revenue.targets[0].owner: unknown key 'owner' (`owner` belongs to the goal, not to one "
        "of its targets)" in out
    )
    assert "revenue.targets[0].steps_x: unknown key 'steps_x' (did you mean 'steps'?)" in out
    assert (
        "revenue.targets[1].steps[0].metric: unknown key 'metric' (`metric` belongs to the "
        "target, not to one rung of its `steps:`)" in out
    )
    assert "did you mean 'target'?" not in out  # never the very word that was written


def test_a_misspelt_id_in_a_formula_gets_a_suggestion(tmp_path: Path, cli: CliRunner) -> None:
    goals = """\
metrics:
  mrr: {name: MRR, unit: USD}
  arr: {name: ARR, unit: USD, formula: "mrrr * 12"}
  growth: {name: Growth, unit: percent, formula: "grwth(mrr, 'month') * 100"}
"""
    write_ledger(tmp_path, goals, "date,metric,value,note\n")
    out = invoke(cli, tmp_path, "check").stdout
    assert "arr.formula: unknown metric 'mrrr' (did you mean 'mrr'?)" in out
    assert "growth.formula: unknown function 'grwth' (did you mean 'growth'?)" in out


def test_locations_name_the_goal_or_risk_by_its_id(tmp_path: Path, cli: CliRunner) -> None:
    goals = REVENUE.replace("target: 100, due: 2026-12", "target: 100, due: 2026-13") + (
        "risks:\n  - {id: slow, title: Slow, when: 'mrr < 1', owner: [1]}\n"
    )
    write_ledger(tmp_path, goals, "date,metric,value,note\n")
    out = invoke(cli, tmp_path, "check").stdout
    assert "goals/goals.yaml:9:36: revenue.targets[0].due: '2026-13' is not a real date" in out
    assert "slow.owner: Input should be a valid string" in out
