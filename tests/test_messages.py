"""Messages that point at the real mistake: YAML hints, case-insensitive suggestions, --date."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from smartgoals.dates import DAY_WORDS

from .conftest import invoke, write_ledger

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
