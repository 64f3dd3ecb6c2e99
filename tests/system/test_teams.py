"""Teams: governance of eased targets (`reason:`, `diff --require-reason`), `init` that a team
can push, and the pre-commit hook definition."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from smartgoals.cli.app import app
from tests.conftest import IDENTITY, REPO_ROOT, git, invoke, write_ledger

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
        "schemas/import-rules.schema.json",
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
        "smartgoals.yaml",
        "company/goals/goals.yaml",
        "company/goals/log.csv",
        "goals/log.d/ada-example.com.csv",
    ):
        assert files.search(path), path
    for path in (
        "README.md",
        "goals/notes.txt",
        "src/goals.yaml",
        "goals/sub/x.yaml",
        "x.csv",
        "goals/x.csv",
        "goals/log.d/sub/x.csv",
    ):
        assert not files.search(path), path


# --- sync: a bare remote and clones logging concurrently ---------------------------------------

SHARED = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
"""


def clone(remote: Path, where: Path, name: str) -> Path:
    git(where.parent, "clone", "-q", str(remote), where.name)
    git(where, "config", "user.name", name)
    git(where, "config", "user.email", f"{name.lower()}@example.com")
    git(where, "config", "commit.gpgsign", "false")
    return where


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare remote holding a ledger with .gitattributes as init writes it."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = clone(bare, tmp_path / "seed", "Seed")
    git(seed, "switch", "-q", "-c", "main")
    write_ledger(seed, SHARED, "date,metric,value,note\n")
    (seed / ".gitattributes").write_text("goals/log.csv merge=union\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "ledger")
    git(seed, "push", "-q", "-u", "origin", "main")
    return bare


def rows(root: Path) -> list[str]:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[1:]


def test_sync_keeps_every_row_logged_in_three_clones(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    clones = [clone(remote, tmp_path / name.lower(), name) for name in ("Ada", "Bo", "Cy")]
    for day, root in enumerate(clones, start=1):
        for metric in ("mrr", "users"):
            logged = invoke(cli, root, "log", metric, str(day * 10), "--date", f"2025-01-0{day}")
            assert logged.exit_code == 0, logged.output
    for root in clones:  # each pushes in turn; the later ones rebase over the earlier
        result = invoke(cli, root, "sync")
        assert result.exit_code == 0, result.output
        assert "pushed 2 commit(s) to origin/main" in result.output
    for root in clones:
        assert invoke(cli, root, "sync").exit_code == 0
    expected = sorted(
        f"2025-01-0{day},{metric},{day * 10}," for day in (1, 2, 3) for metric in ("mrr", "users")
    )
    for root in clones:
        assert sorted(rows(root)) == expected
        assert git(root, "status", "--porcelain") == ""
    authors = git(clones[0], "log", "--format=%an", "origin/main").splitlines()
    assert sorted(set(authors)) == ["Ada", "Ada Founder", "Bo", "Cy"]  # the seed: conftest's


def test_sync_merges_the_journal_even_without_the_attribute(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = (clone(remote, tmp_path / n.lower(), n) for n in ("Ada", "Bo"))
    (ada / ".gitattributes").unlink()
    git(ada, "commit", "-q", "-am", "no attributes")
    assert invoke(cli, ada, "sync").exit_code == 0
    assert invoke(cli, bo, "log", "mrr", "5", "--date", "2025-02-01").exit_code == 0
    assert invoke(cli, bo, "sync").exit_code == 0
    assert invoke(cli, ada, "log", "mrr", "7", "--date", "2025-02-02").exit_code == 0
    result = invoke(cli, ada, "sync", "--merge")
    assert result.exit_code == 0, result.output
    assert "merged 1 commit(s) from origin/main into main" in result.output
    assert sorted(rows(ada)) == ["2025-02-01,mrr,5,", "2025-02-02,mrr,7,"]


def test_sync_no_push_only_brings_changes_in(cli: CliRunner, remote: Path, tmp_path: Path) -> None:
    ada, bo = (clone(remote, tmp_path / n.lower(), n) for n in ("Ada", "Bo"))
    assert invoke(cli, ada, "log", "mrr", "5", "--date", "2025-02-01").exit_code == 0
    assert invoke(cli, ada, "sync").exit_code == 0
    assert invoke(cli, bo, "log", "mrr", "6", "--date", "2025-02-02").exit_code == 0
    result = invoke(cli, bo, "sync", "--no-push")
    assert result.exit_code == 0, result.output
    assert "rebased main onto 1 commit(s) from origin/main" in result.output
    assert "not pushed (--no-push): 1 commit(s) ahead of origin/main" in result.output
    assert len(git(remote, "log", "--oneline", "main").splitlines()) == 2


def test_sync_aborts_a_conflict_in_a_goal_file_and_changes_nothing(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = (clone(remote, tmp_path / n.lower(), n) for n in ("Ada", "Bo"))
    for root, value in ((ada, "2000"), (bo, "3000")):
        goal_file = root / "goals" / "goals.yaml"
        goal_file.write_text(SHARED.replace("1000", value), encoding="utf-8")
        git(root, "commit", "-q", "-am", f"target {value}")
    assert invoke(cli, bo, "log", "users", "4", "--date", "2025-03-01").exit_code == 0
    assert invoke(cli, ada, "sync").exit_code == 0
    before = git(bo, "rev-parse", "HEAD")
    result = invoke(cli, bo, "sync")
    assert result.exit_code == 3
    assert "error: conflict in goals/goals.yaml with origin/main: nothing was changed" in (
        result.output
    )
    assert git(bo, "rev-parse", "HEAD") == before
    assert git(bo, "status", "--porcelain") == ""
    assert rows(bo) == ["2025-03-01,users,4,"]


def test_sync_does_not_push_a_ledger_with_problems(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = (clone(remote, tmp_path / n.lower(), n) for n in ("Ada", "Bo"))
    (ada / "goals" / "goals.yaml").write_text(SHARED.replace("users", "people"), "utf-8")
    git(ada, "commit", "-q", "-am", "rename users")
    assert invoke(cli, ada, "sync").exit_code == 0
    assert invoke(cli, bo, "log", "users", "4", "--date", "2025-03-01").exit_code == 0
    result = invoke(cli, bo, "sync")
    assert result.exit_code == 1
    assert "unknown metric 'users'" in result.output
    assert "not pushed: the ledger has 1 problem(s) after the merge" in result.output
    assert len(git(remote, "log", "--oneline", "main").splitlines()) == 2
    assert rows(bo) == ["2025-03-01,users,4,"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (["switch", "-q", "-c", "topic"], "branch 'topic' has no upstream: push it once with"),
        (["switch", "-q", "--detach"], "HEAD is detached: switch to a branch to sync it"),
    ],
)
def test_sync_refuses_what_it_cannot_sync_in_one_line(
    cli: CliRunner, remote: Path, tmp_path: Path, setup: list[str], message: str
) -> None:
    ada = clone(remote, tmp_path / "ada", "Ada")
    git(ada, *setup)
    result = invoke(cli, ada, "sync")
    assert result.exit_code == 3
    assert result.output.startswith(f"error: {message}")
    assert len(result.output.splitlines()) == 1


def test_sync_refuses_uncommitted_changes(cli: CliRunner, remote: Path, tmp_path: Path) -> None:
    ada = clone(remote, tmp_path / "ada", "Ada")
    assert invoke(cli, ada, "log", "mrr", "5", "--date", "2025-02-01", "--no-commit").exit_code == 0
    result = invoke(cli, ada, "sync")
    assert result.exit_code == 3
    assert "uncommitted changes to tracked files" in result.output
    assert rows(ada) == ["2025-02-01,mrr,5,"]


def test_a_push_refused_by_the_remote_keeps_the_commits(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'goals are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    ada = clone(remote, tmp_path / "ada", "Ada")
    assert invoke(cli, ada, "log", "mrr", "5", "--date", "2025-02-01").exit_code == 0
    result = invoke(cli, ada, "sync")
    assert result.exit_code == 3
    assert result.output.startswith("error: git push to origin/main was refused (")
    assert "your commits are kept here" in result.output
    assert rows(ada) == ["2025-02-01,mrr,5,"]


def test_a_push_overtaken_by_another_is_retried_after_a_new_rebase(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = (clone(remote, tmp_path / n.lower(), n) for n in ("Ada", "Bo"))
    assert invoke(cli, bo, "log", "users", "3", "--date", "2025-02-03").exit_code == 0
    # Bo's push lands while Ada's is under way: her first push is rejected
    hook = ada / ".git" / "hooks" / "pre-push"
    marker = tmp_path / "overtaken"
    hook.write_text(
        f"#!/bin/sh\n[ -e {marker} ] && exit 0\ntouch {marker}\n"
        f"cd {bo} && env -u GIT_DIR -u GIT_INDEX_FILE -u GIT_WORK_TREE git push -q origin main\n"
    )
    hook.chmod(0o755)
    assert invoke(cli, ada, "log", "mrr", "5", "--date", "2025-02-01").exit_code == 0
    result = invoke(cli, ada, "sync")
    assert result.exit_code == 0, result.output
    assert marker.exists()
    assert "rebased main onto 1 commit(s) from origin/main" in result.output
    assert "pushed 1 commit(s) to origin/main" in result.output
    assert sorted(rows(ada)) == ["2025-02-01,mrr,5,", "2025-02-03,users,3,"]
    assert git(remote, "rev-parse", "main") == git(ada, "rev-parse", "HEAD")
