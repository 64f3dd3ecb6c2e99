"""Teams: governance of eased targets (`reason:`, `diff --require-reason`), `init` that a team
can push, and the pre-commit hook definition."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smartgoals.cli import app

from .conftest import IDENTITY, REPO_ROOT, git, invoke, write_ledger

BEFORE = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cac: {name: CAC, unit: USD, direction: down}
goals:
  - id: grow
    title: Grow
    due: 2026-Q4
    targets:
      - {metric: mrr, target: 100000}
      - {metric: cac, target: "< 10"}
      - metric: mrr
        steps:
          - {value: 5000, due: 2026-Q2}
          - {value: 25000, due: 2026-Q4}
"""


def committed(repo: Path, goals: str = BEFORE) -> Path:
    write_ledger(repo, goals, "date,metric,value,note\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "goals")
    return repo


def edit(repo: Path, old: str, new: str) -> None:
    path = repo / "goals" / "goals.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_eased_target_without_a_reason_fails(cli: CliRunner, repo: Path) -> None:
    committed(repo)
    edit(repo, "target: 100000", "target: 80000")
    edit(repo, 'target: "< 10"', 'target: "< 12"')
    result = invoke(cli, repo, "diff", "--require-reason")
    assert result.exit_code == 1, result.output
    assert "error: grow / mrr was eased without a reason" in result.output
    assert "error: grow / cac was eased without a reason" in result.output
    assert invoke(cli, repo, "diff").exit_code == 0  # only the flag makes it a failure


def test_a_reason_added_with_the_easing_passes(cli: CliRunner, repo: Path) -> None:
    committed(repo)
    edit(repo, "{metric: mrr, target: 100000}", "{metric: mrr, target: 80000, reason: churn}")
    result = invoke(cli, repo, "diff", "--require-reason")
    assert result.exit_code == 0, result.output
    assert "(eased)  reason: churn" in result.output
    data = json.loads(invoke(cli, repo, "diff", "--json").output)
    assert data["targets"][0]["eased"] is True
    assert data["targets"][0]["reasons"] == ["churn"]


def test_an_unchanged_old_reason_is_not_enough(cli: CliRunner, repo: Path) -> None:
    committed(repo, BEFORE.replace("target: 100000}", "target: 100000, reason: plan}"))
    git(repo, "tag", "a")
    edit(repo, "target: 100000", "target: 90000")
    git(repo, "commit", "-q", "-am", "ease")
    result = invoke(cli, repo, "diff", "a", "HEAD", "--require-reason")
    assert result.exit_code == 1
    assert "grow / mrr was eased without a reason" in result.output
    edit(repo, "reason: plan", "reason: the plan changed in review")
    git(repo, "commit", "-q", "-am", "say why")
    assert invoke(cli, repo, "diff", "a", "HEAD", "--require-reason").exit_code == 0


def test_a_rung_reason_covers_an_eased_ladder(cli: CliRunner, repo: Path) -> None:
    committed(repo)
    edit(repo, "{value: 25000, due: 2026-Q4}", "{value: 25000, due: 2027-Q2}")
    assert invoke(cli, repo, "diff", "--require-reason").exit_code == 1
    edit(repo, "due: 2027-Q2}", "due: 2027-Q2, reason: hiring freeze}")
    result = invoke(cli, repo, "diff", "--require-reason")
    assert result.exit_code == 0, result.output


def test_tightening_needs_no_reason(cli: CliRunner, repo: Path) -> None:
    committed(repo)
    edit(repo, "target: 100000", "target: 120000")
    result = invoke(cli, repo, "diff", "--require-reason")
    assert result.exit_code == 0, result.output
    assert "(tightened)" in result.output


def test_reason_is_a_key_of_targets_and_rungs_and_shows_in_history(
    cli: CliRunner, repo: Path
) -> None:
    committed(repo)
    edit(repo, "{value: 5000, due: 2026-Q2}", "{value: 4000, due: 2026-Q2, reason: late start}")
    git(repo, "commit", "-q", "-am", "ease the first rung")
    assert invoke(cli, repo, "check").exit_code == 0
    history = json.loads(invoke(cli, repo, "history", "mrr", "--json").output)
    eased = [c for c in history["targets"] if c["eased"]]
    assert [(c["message"].strip(), c["reasons"]) for c in eased] == [
        ("ease the first rung", ["late start"])
    ]
    edit(repo, "reason: late start", "reasn: late start")
    result = invoke(cli, repo, "check")
    assert "unknown key 'reasn' (did you mean 'reason'?)" in result.output


def test_init_makes_the_first_commit_of_the_repository_it_creates(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    target = tmp_path / "company"
    result = cli.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "committed " in result.output
    assert git(target, "log", "--format=%an|%s").splitlines() == ["Ada Founder|Start a goal ledger"]
    tree = set(git(target, "ls-tree", "-r", "--name-only", "HEAD").split())
    assert tree == {
        ".gitattributes",
        "goals/goals.yaml",
        "goals/log.csv",
        "schemas/goals.schema.json",
        "schemas/settings.schema.json",
        "smartgoals.yaml",
    }
    assert git(target, "status", "--porcelain") == ""
    logged = invoke(cli, target, "log", "mrr", "5", "--date", "2025-01-01")
    assert logged.exit_code == 0, logged.output
    assert len(git(target, "log", "--oneline").splitlines()) == 2


def test_init_without_an_identity_says_what_to_commit(cli: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "company"
    result = cli.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert "not committed (git commit failed: " in result.output
    assert f"git -C {target} add -- goals/goals.yaml goals/log.csv" in result.output
    assert git(target, "status", "--porcelain", "--untracked-files=no") == ""  # nothing staged
    assert (target / "goals" / "goals.yaml").is_file()


def test_init_inside_a_repository_stages_nothing(cli: CliRunner, repo: Path) -> None:
    (repo / "README").write_text("x\n")
    git(repo, "add", "README")
    git(repo, "commit", "-q", "-m", "start")
    result = cli.invoke(app, ["init", str(repo / "ledger")])
    assert result.exit_code == 0, result.output
    assert "initialized" not in result.output
    assert f"git -C {repo / 'ledger'} add -- goals/goals.yaml" in result.output
    assert git(repo, "status", "--porcelain") == "?? ledger/\n"
    assert len(git(repo, "log", "--oneline").splitlines()) == 1


def test_the_pre_commit_hook_checks_the_whole_ledger_when_ledger_files_change() -> None:
    hooks = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "smartgoals-check"
    assert hook["entry"] == "smartgoals check"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        "goals/goals.yaml",
        "goals/1-user-growth.yml",
        "goals/log.csv",
        "goals/log.d/ada-example.com.csv",
        "smartgoals.yaml",
        "company/goals/goals.yaml",
        "company/goals/log.csv",
    ):
        assert files.search(path), path
    for path in ("README.md", "goals/notes.txt", "src/goals.yaml", "goals/sub/x.yaml", "x.csv"):
        assert not files.search(path), path
