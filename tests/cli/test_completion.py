"""Shell completion through Click's completion environment variables (`_SMARTGOALS_COMPLETE`,
COMP_WORDS, COMP_CWORD), against the real console script, and the scripts it prints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.app import app
from tests.conftest import REPO_ROOT, git, write_ledger

SCRIPT = str(Path(sys.executable).with_name("smartgoals"))
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mrr_k: {name: MRR in thousands, unit: USD, formula: "mrr / 1000"}
  mvp: {name: MVP, type: stage, stages: [idea, beta, live]}
goals:
  - {id: grow, title: Grow, area: Revenue, owner: Ada, targets: [{metric: mrr, target: 10}]}
  - {id: launch, title: Launch, area: Product, owner: Bo, targets: [{metric: mvp, target: live}]}
  - {id: green, title: Green, area: Revenue, targets: [{metric: mrr, target: 5}]}
"""


def complete(root: Path, line: str, instruction: str = "bash_complete") -> list[str]:
    """What bash would offer for `line` (the word under the cursor is its last one)."""
    words = line.split(" ")
    env = {
        **os.environ,
        "_SMARTGOALS_COMPLETE": instruction,
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(words) - 1),
    }
    done = subprocess.run(
        [SCRIPT], capture_output=True, text=True, env=env, cwd=root, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [word for word in done.stdout.splitlines() if word]


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return write_ledger(tmp_path, GOALS, "date,metric,value,note\n")


def test_commands_complete(ledger: Path) -> None:
    assert complete(ledger, "smartgoals sh") == ["show"]
    assert "completion" in complete(ledger, "smartgoals c")


def test_goal_ids_complete(ledger: Path) -> None:
    assert complete(ledger, "smartgoals show g") == ["grow", "green"]
    assert complete(ledger, "smartgoals status --goal l") == ["launch"]


def test_metric_ids_complete_and_log_offers_no_derived_metric(ledger: Path) -> None:
    assert complete(ledger, "smartgoals history mr") == ["mrr", "mrr_k"]
    assert complete(ledger, "smartgoals log mr") == ["mrr"]


def test_stage_names_complete_for_the_metric_being_logged(ledger: Path) -> None:
    assert complete(ledger, "smartgoals log mvp ") == ["idea", "beta", "live"]
    assert complete(ledger, "smartgoals log mvp b") == ["beta"]
    assert complete(ledger, "smartgoals log mrr ") == []


def test_areas_owners_and_statuses_complete(ledger: Path) -> None:
    assert complete(ledger, "smartgoals status --area ") == ["Revenue", "Product"]
    assert complete(ledger, "smartgoals status --owner B") == ["Bo"]
    assert complete(ledger, "smartgoals status --fail-on missed,of") == ["missed,off_track"]
    assert "at_risk" in complete(ledger, "smartgoals status --status a")


def test_the_ledger_given_with_c_is_the_one_completed(
    ledger: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert complete(elsewhere, f"smartgoals -C {ledger} show la") == ["launch"]
    assert complete(elsewhere, "smartgoals show la") == []  # no ledger: nothing, no error


def test_revisions_complete(ledger: Path) -> None:
    git(ledger, "init", "-q", "-b", "main")
    git(ledger, "add", "-A")
    git(ledger, "commit", "-q", "-m", "start")
    git(ledger, "tag", "v1")
    assert complete(ledger, "smartgoals diff ") == ["HEAD", "main", "v1"]
    assert complete(ledger, "smartgoals diff v1 ma") == ["main"]
    assert complete(ledger, "smartgoals status --rev v") == ["v1"]


def test_typers_instruction_style_and_zsh_work_too(ledger: Path) -> None:
    assert complete(ledger, "smartgoals show la", "complete_bash") == ["launch"]
    env = {**os.environ, "_SMARTGOALS_COMPLETE": "zsh_complete"}
    env["_TYPER_COMPLETE_ARGS"] = "smartgoals show la"
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, cwd=ledger)
    assert done.stdout == "_arguments '*: :((launch))'\n"  # a script of Typer's evaluates it
    env["_SMARTGOALS_ZSH_PAIRS"] = "1"  # ours reads value and shown text, NUL-ended
    done = subprocess.run([SCRIPT], capture_output=True, text=True, env=env, cwd=ledger)
    assert done.stdout == "launch\0launch -- Launch\0\n"


PROBE = """
import sys
from smartgoals.cli.app import app
try:
    app(prog_name="smartgoals")
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "pydantic", "yaml", "git"})
print("HEAVY", heavy, file=sys.stderr)
"""


def test_completing_on_a_warm_cache_parses_no_yaml(ledger: Path, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "_SMARTGOALS_COMPLETE": "bash_complete",
        "COMP_WORDS": f"smartgoals -C {ledger} show g",
        "COMP_CWORD": "4",
    }
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=REPO_ROOT
        )
    assert done.stdout.split() == ["grow", "green"]
    assert "HEAVY []" in done.stderr, done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_the_script(shell: str, cli: CliRunner) -> None:
    result = cli.invoke(app, ["completion", shell])
    assert result.exit_code == 0, result.output
    assert "_SMARTGOALS_COMPLETE" in result.stdout
    assert "smartgoals" in result.stdout


def test_completion_refuses_an_unknown_shell(cli: CliRunner) -> None:
    assert cli.invoke(app, ["completion", "tcsh"]).exit_code == 2


def test_install_completion_writes_the_script_for_the_shell(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = cli.invoke(app, ["--install-completion", "bash"], prog_name="smartgoals")
    assert result.exit_code == 0, result.output
    assert "bash completion installed" in result.output
    installed = tmp_path / ".bash_completions" / "smartgoals.sh"
    assert "_SMARTGOALS_COMPLETE" in installed.read_text(encoding="utf-8")
    assert "smartgoals.sh" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_the_batch_form_of_log_completes_metrics_and_stages(ledger: Path) -> None:
    assert complete(ledger, "smartgoals log mrr=5 mv") == ["mvp"]
    assert complete(ledger, "smartgoals log mvp=b") == ["mvp=beta"]
