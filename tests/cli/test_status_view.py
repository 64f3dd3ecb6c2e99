"""The status view in a real terminal (a pseudo-terminal), its filters, the pager and colour."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT, invoke

SMARTGOALS = str(Path(sys.executable).parent / "smartgoals")
AS_OF = ("--as-of", "2026-11-22")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "PAGER")
    }
    env.update({"TERM": "xterm", "SMARTGOALS_PAGER": "cat"}, **extra)
    return env


def in_terminal(
    args: list[str], columns: int, rows: int = 500, env: dict[str, str] | None = None
) -> str:
    """The output of smartgoals run in a pseudo-terminal of this size, escape codes removed."""
    child = pexpect.spawn(
        SMARTGOALS,
        args,
        dimensions=(rows, columns),
        env=env or environment(),
        encoding="utf-8",
        timeout=60,
    )
    output = child.read()
    child.close()
    return output.replace("\r\n", "\n")


def piped(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SMARTGOALS, *args], capture_output=True, text=True, env=env or environment(), check=False
    )


def words(text: str) -> set[str]:
    return {token.strip("()") for token in ANSI.sub("", text).split()}


@pytest.mark.parametrize("columns", [80, 120])
def test_plain_text_in_a_terminal_folds_long_lines_between_words(columns: int) -> None:
    """NO_COLOR in a terminal: plain text, but the risk and summary lines fit the width too."""
    shown = in_terminal(
        ["-C", str(REPO_ROOT), "status", *AS_OF], columns, env=environment(NO_COLOR="1")
    )
    lines = shown.splitlines()
    assert not ANSI.search(shown)
    assert max(len(line) for line in lines) <= columns
    piped_words = words(piped(["-C", str(REPO_ROOT), "status", *AS_OF]).stdout)
    summary = next(i for i, line in enumerate(lines) if " goals as of 2026-11-22: " in line)
    assert lines[summary + 1].strip()  # the summary continues on the next line, whole words
    for token in words("\n".join(lines[summary:])):
        assert token in piped_words, token


def test_piped_status_is_one_line_per_row_at_its_natural_width() -> None:
    result = piped(["-C", str(REPO_ROOT), "status", *AS_OF])
    assert result.returncode == 0
    assert "\x1b[" not in result.stdout
    head = result.stdout.splitlines()[0].split()
    assert " ".join(head) == "Goal / metric Current Target Left Progress Expected Status"
    assert "81,000 (2026-10-31)" in result.stdout  # the date stays in Current when piped
    assert "Trend" not in result.stdout
    wide = piped(["-C", str(REPO_ROOT), "status", "--wide", *AS_OF]).stdout
    assert wide.splitlines()[0].split()[-2:] == ["Trend", "Status"]


def test_units_everywhere(cli: CliRunner) -> None:
    out = invoke(cli, REPO_ROOT, "status", *AS_OF).stdout
    assert re.search(r"Day-7 retention .* 0.2 pp ", out)  # percentage points, from the due's value
    assert "0.4x" in out  # a ratio's difference reads like the ratio
    assert "mau_growth = 12.5%, retention_d30 = 49%" in out
    risks = invoke(cli, REPO_ROOT, "risks", *AS_OF).stdout
    assert "uptime = 99.9%" in risks


def test_status_filter_sort_and_compact(cli: CliRunner) -> None:
    data = json.loads(
        invoke(cli, REPO_ROOT, "status", "--json", "--status", "off-track,missed", *AS_OF).stdout
    )
    statuses = {t["status"] for g in data["goals"] for t in g["targets"]}
    assert statuses == {"off_track", "missed"}
    text = invoke(cli, REPO_ROOT, "status", "--status", "missed", "--sort", "severity", *AS_OF)
    assert text.exit_code == 0
    assert "achieved" not in text.stdout.split("Triggered")[0].replace("achieved)", "")
    severity = json.loads(
        invoke(cli, REPO_ROOT, "status", "--json", "--sort", "severity", *AS_OF).stdout
    )
    assert severity["goals"][0]["status"] == "missed"
    due = json.loads(invoke(cli, REPO_ROOT, "status", "--json", "--sort", "due", *AS_OF).stdout)
    dues = [g["due"] for g in due["goals"] if g["due"]]
    assert dues == sorted(dues)
    compact = invoke(cli, REPO_ROOT, "status", "--compact", *AS_OF).stdout  # --goals, as was
    assert "Monthly recurring revenue" not in compact and "Early adopter acquisition" in compact


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--area", "Revenu", "unknown area 'Revenu' (did you mean 'Revenue'?)"),
        ("--owner", "cto ", "unknown owner 'cto '"),
        ("--status", "ontrack", "unknown status 'ontrack' (did you mean 'on_track'?)"),
        (
            "--goal",
            "early-adopter",
            "unknown goal 'early-adopter' (did you mean 'early-adopters'?)",
        ),
    ],
)
def test_unknown_filter_values_are_errors_with_a_suggestion(
    cli: CliRunner, option: str, value: str, message: str
) -> None:
    result = invoke(cli, REPO_ROOT, "status", option, value, *AS_OF)
    assert result.exit_code == 1
    assert message in result.output


def test_triggered_risks_follow_the_goal_area_and_owner_filters(cli: CliRunner) -> None:
    fired = "User growth shortfall"
    # the demo's risks live in 4-success-criteria.yaml and have no area: they take the file's
    assert fired in invoke(cli, REPO_ROOT, "status", "--area", "success criteria", *AS_OF).stdout
    assert fired not in invoke(cli, REPO_ROOT, "status", "--area", "Revenue", *AS_OF).stdout
    assert fired in invoke(cli, REPO_ROOT, "status", "--owner", "Head of Growth", *AS_OF).stdout
    assert fired in invoke(cli, REPO_ROOT, "status", "-g", "early-adopters", *AS_OF).stdout
    assert fired not in invoke(cli, REPO_ROOT, "status", "-g", "lightning-revenue", *AS_OF).stdout


# -- pager and colour ------------------------------------------------------------------------


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[Path, Path]:
    record = tmp_path / "paged.txt"
    script = tmp_path / "pager"
    script.write_text(f"#!/bin/sh\ncat > {record}\n")
    script.chmod(0o755)
    return script, record


def test_tall_output_goes_through_the_pager(fake_pager: tuple[Path, Path]) -> None:
    script, record = fake_pager
    env = environment(SMARTGOALS_PAGER=str(script))
    in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], 120, rows=20, env=env)
    assert "Monthly recurring revenue" in record.read_text()


def test_short_output_and_no_pager_do_not_page(fake_pager: tuple[Path, Path]) -> None:
    script, record = fake_pager
    env = environment(SMARTGOALS_PAGER=str(script))
    shown = in_terminal(["-C", str(REPO_ROOT), "--no-pager", "status", *AS_OF], 120, 20, env)
    assert "Monthly recurring revenue" in shown and not record.exists()
    in_terminal(["-C", str(REPO_ROOT), "status", "-g", "mvp", *AS_OF], 120, 40, env)
    assert not record.exists()
    assert piped(["-C", str(REPO_ROOT), "status", *AS_OF], env).returncode == 0
    assert not record.exists()


def test_the_pager_setting_turns_it_off(fake_pager: tuple[Path, Path], tmp_path: Path) -> None:
    script, record = fake_pager
    ledger = tmp_path / "ledger"
    shutil.copytree(REPO_ROOT / "goals", ledger / "goals")
    (ledger / "smartgoals.yaml").write_text("pager: false\n")
    env = environment(PAGER=str(script))
    env.pop("SMARTGOALS_PAGER")
    shown = in_terminal(["-C", str(ledger), "status", *AS_OF], 120, 20, env)
    assert "Monthly recurring revenue" in shown and not record.exists()
    (ledger / "smartgoals.yaml").write_text("pager: true\n")
    in_terminal(["-C", str(ledger), "status", *AS_OF], 120, 20, env)
    assert record.exists()


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),
        (["--color", "always"], {}, True),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"CLICOLOR_FORCE": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
    ],
)
def test_colour_switches_when_piped(args: list[str], env: dict[str, str], coloured: bool) -> None:
    result = piped(["-C", str(REPO_ROOT), *args, "status", *AS_OF], environment(**env))
    assert ("\x1b[" in result.stdout) is coloured


def test_colour_in_a_terminal_and_never() -> None:
    args = ["-C", str(REPO_ROOT), "status", "-g", "api-adoption", *AS_OF]
    assert "\x1b[" in in_terminal(args, 120)
    assert "\x1b[" not in in_terminal(["--color", "never", *args], 120)
    assert "\x1b[" not in in_terminal(args, 120, env=environment(NO_COLOR="1"))


def test_a_risk_area_defaults_to_its_file_and_may_be_given(tmp_path: Path, cli: CliRunner) -> None:
    from tests.conftest import write_ledger

    write_ledger(
        tmp_path,
        """\
        metrics:
          mrr: {name: MRR, unit: USD}
        goals:
          - {id: grow, title: Grow, area: Sales, targets: [{metric: mrr, target: 10}]}
        risks:
          - {id: low, title: Low MRR, area: Sales, when: "mrr < 5"}
          - {id: lower, title: Lower MRR, when: "mrr < 4"}
        """,
        "date,metric,value,note\n2026-01-01,mrr,1,\n",
        name="money.yaml",
    )
    out = invoke(cli, tmp_path, "status", "--area", "sales", "--as-of", "2026-02-01").stdout
    assert "Low MRR" in out and "Lower MRR" not in out
    out = invoke(cli, tmp_path, "status", "--area", "money", "--as-of", "2026-02-01").stdout
    assert "Lower MRR" in out and "Low MRR  " not in out
