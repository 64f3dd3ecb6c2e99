"""`smartgoals chart`: a metric in a real pseudo-terminal at a given width (braille, the target
rule), piped to a non-UTF-8 reader (ASCII), as JSON, and its refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
goals:
  - id: grow
    title: Grow revenue
    start: 2026-01-01
    targets:
      - metric: mrr
        steps:
          - {value: 5000, due: 2026-06-30}
          - {value: 12000, due: 2026-12-31}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,1000,
2026-03-31,mrr,2500,
2026-06-30,mrr,5200,
2026-09-30,mrr,8000,
2026-11-20,mrr,9000,
"""
BRAILLE = {chr(c) for c in range(0x2801, 0x2900)}


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(extra)
    return env


def _command(root: Path, *args: str) -> list[str]:
    return ["-m", "smartgoals", "-C", str(root), "--no-pager", "chart", "mrr", *args]


@pytest.mark.parametrize("width", [60, 100])
def test_chart_fits_a_real_terminal(tmp_path: Path, width: int) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    child = pexpect.spawn(
        sys.executable,
        _command(tmp_path, "--as-of", "2026-11-22"),
        dimensions=(40, width),
        env=_env(PYTHONIOENCODING="utf-8"),
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    import re

    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before.replace("\r\n", "\n"))
    lines = [line for line in text.split("\n") if line]
    assert lines[0].startswith("MRR (mrr): target >= $5,000 by 2026-06-30")
    assert all(len(line) <= width for line in lines), lines
    plot = "\n".join(lines[1:])
    assert BRAILLE & set(plot)
    assert "─" in plot and "$12,000" in plot
    assert "2026-01-31" in plot and "2026-11-22" in plot
    # the plot uses the width: the axis runs to the last column
    axis = next(line for line in lines if "└" in line)
    assert len(axis) == width - 1


def test_chart_is_ascii_when_the_output_is_not_utf8(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    done = subprocess.run(
        [sys.executable, *_command(tmp_path, "--as-of", "2026-11-22")],
        env=_env(PYTHONIOENCODING="ascii", COLUMNS="70"),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("ascii")  # fails on any non-ASCII byte
    lines = text.splitlines()
    assert all(len(line) <= 70 for line in lines)
    assert "*" in text and "--" in text and "|" in text


def test_chart_json_and_since(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "chart", "mrr", "--since", "2026-06", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [p["date"] for p in data["points"]] == ["2026-06-30", "2026-09-30", "2026-11-20"]
    assert data["goal"] == "grow"
    assert [r["target"] for r in data["target"]["rungs"]] == [5000, 12000]


def test_chart_refuses_unknown_metrics_and_goals_without_a_target_on_it(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "chart", "mmr")
    assert result.exit_code == 1 and "did you mean 'mrr'" in result.output
    other = (
        GOALS
        + "  - id: people\n    title: People\n    targets:\n      - {metric: users, target: 5}\n"
    )
    write_ledger(tmp_path, other, JOURNAL)
    result = invoke(cli, tmp_path, "chart", "mrr", "--goal", "people")
    assert result.exit_code == 1 and "has no target on 'mrr'" in result.output


def test_chart_without_observations_says_so(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, JOURNAL)
    result = invoke(cli, tmp_path, "chart", "users")
    assert result.exit_code == 0, result.output
    assert "no observations" in result.stdout
