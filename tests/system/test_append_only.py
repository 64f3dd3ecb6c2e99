"""The journal is append-only across a team (issue 28, item 3): `check --history BASE..HEAD`
names each row a commit changed or removed, and `sync` refuses, changing nothing, to take in
an upstream that rewrote one. Real clones of a bare remote, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
"""
HEADER = "date,metric,value,note\n"
JOURNAL = HEADER + "2025-01-01,mrr,100,\n2025-01-02,mrr,200,\n"


def clone(remote: Path, where: Path, name: str) -> Path:
    git(where.parent, "clone", "-q", str(remote), where.name)
    git(where, "config", "user.name", name)
    git(where, "config", "user.email", f"{name.lower()}@example.com")
    git(where, "config", "commit.gpgsign", "false")
    return where


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare remote holding a ledger with two committed rows."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = clone(bare, tmp_path / "seed", "Seed")
    git(seed, "switch", "-q", "-c", "main")
    write_ledger(seed, GOALS, JOURNAL)
    (seed / ".gitattributes").write_text("goals/log.csv merge=union\n")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "ledger")
    git(seed, "push", "-q", "-u", "origin", "main")
    return bare


def own(root: Path, *args: str) -> None:
    """git as the clone's own configured person (conftest's git pins Ada Founder)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR", "GIT_COMMITTER"))}
    env |= {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, check=True)


def commit_journal(root: Path, text: str, message: str) -> str:
    (root / "goals" / "log.csv").write_text(text, encoding="utf-8")
    own(root, "commit", "-q", "-am", message)
    return git(root, "rev-parse", "HEAD").strip()


def rewrite(root: Path) -> str:
    """Bo's commit that turns a committed 100 into 9999."""
    return commit_journal(root, JOURNAL.replace(",100,", ",9999,"), "fix mrr")


def state(root: Path) -> tuple[str, str, bytes]:
    return (
        git(root, "rev-parse", "HEAD"),
        git(root, "status", "--porcelain", "--untracked-files=all"),
        (root / "goals" / "log.csv").read_bytes(),
    )


def test_check_history_names_a_changed_row_its_commit_and_author(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    bo = clone(remote, tmp_path / "bo", "Bo")
    sha = rewrite(bo)
    result = invoke(cli, bo, "check", "--history", "origin/main..HEAD")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"goals/log.csv:2: changed in {sha[:10]} by Bo <bo@example.com>: "
        "2025-01-01,mrr,100, -> 2025-01-01,mrr,9999,",
        "1 row(s) changed or removed in 1 commit(s) of origin/main..HEAD",
    ]


def test_check_history_names_a_removed_row(cli: CliRunner, remote: Path, tmp_path: Path) -> None:
    bo = clone(remote, tmp_path / "bo", "Bo")
    sha = commit_journal(bo, HEADER + "2025-01-01,mrr,100,\n", "drop a row")
    result = invoke(cli, bo, "check", "--history", "origin/main..HEAD")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == (
        f"goals/log.csv:3: removed in {sha[:10]} by Bo <bo@example.com>: 2025-01-02,mrr,200,"
    )


def test_check_history_of_appends_and_a_merge_is_clean(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = clone(remote, tmp_path / "ada", "Ada"), clone(remote, tmp_path / "bo", "Bo")
    assert invoke(cli, ada, "log", "mrr", "300", "--date", "2025-01-03").exit_code == 0
    assert invoke(cli, ada, "sync").exit_code == 0
    assert invoke(cli, bo, "log", "mrr", "310", "--date", "2025-01-04").exit_code == 0
    merged = invoke(cli, bo, "sync", "--merge", "--no-push")
    assert merged.exit_code == 0, merged.output
    assert len(git(bo, "rev-parse", "HEAD^@").split()) == 2  # a real merge
    result = invoke(cli, bo, "check", "--history", "HEAD~2..HEAD")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "ok: only appended to the journal and check-ins in 3 commit(s) of HEAD~2..HEAD"
    )


def test_a_merge_that_drops_the_other_sides_row_is_named(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    bo = clone(remote, tmp_path / "bo", "Bo")
    base = git(bo, "rev-parse", "HEAD").strip()
    git(bo, "switch", "-q", "-c", "side")
    side = commit_journal(bo, JOURNAL + "2025-01-03,mrr,300,\n", "side row")
    git(bo, "switch", "-q", "main")
    commit_journal(bo, JOURNAL + "2025-01-04,mrr,400,\n", "main row")
    own(bo, "merge", "-q", "-s", "ours", "--no-edit", "side")  # keeps main's journal only
    merge = git(bo, "rev-parse", "HEAD").strip()
    result = invoke(cli, bo, "check", "--history", f"{base}..HEAD")
    assert result.exit_code == 1, result.output
    assert result.output.splitlines()[0] == (
        f"goals/log.csv:4: changed in {merge[:10]} (a merge, against its parent "
        f"{side[:10]}) by Bo <bo@example.com>: 2025-01-03,mrr,300, -> 2025-01-04,mrr,400,"
    )


def test_check_history_json_and_github(cli: CliRunner, remote: Path, tmp_path: Path) -> None:
    bo = clone(remote, tmp_path / "bo", "Bo")
    sha = rewrite(bo)
    data = json.loads(invoke(cli, bo, "check", "--history", "origin/main..HEAD", "--json").output)
    assert data["ok"] is False and data["commits"] == 1
    assert data["rewrites"][0] | {"message": ""} == {
        "path": "goals/log.csv",
        "line": 2,
        "kind": "changed",
        "commit": sha,
        "parent": git(bo, "rev-parse", "HEAD~1").strip(),
        "author": "Bo <bo@example.com>",
        "old": "2025-01-01,mrr,100,",
        "new": "2025-01-01,mrr,9999,",
        "message": "",
    }
    github = invoke(cli, bo, "check", "--history", "origin/main..HEAD", "--format", "github")
    assert github.exit_code == 1
    assert github.output.splitlines()[0] == (
        f"::error file=goals/log.csv,line=2,title=smartgoals check::changed in {sha[:10]} by "
        "Bo <bo@example.com>: 2025-01-01,mrr,100, -> 2025-01-01,mrr,9999,"
    )


def test_check_history_refuses_an_option_as_a_range(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    bo = clone(remote, tmp_path / "bo", "Bo")
    result = invoke(cli, bo, "check", "--history", "--output=x")
    assert result.exit_code == 3
    assert "'--output=x' is not a revision range" in result.output
    assert not (bo / "x").exists()


@pytest.mark.parametrize("merge", [False, True])
def test_sync_refuses_an_upstream_that_rewrote_a_row_and_changes_nothing(
    cli: CliRunner, remote: Path, tmp_path: Path, merge: bool
) -> None:
    ada, bo = clone(remote, tmp_path / "ada", "Ada"), clone(remote, tmp_path / "bo", "Bo")
    sha = rewrite(bo)
    git(bo, "push", "-q", "origin", "main")
    assert invoke(cli, ada, "log", "mrr", "300", "--date", "2025-01-03").exit_code == 0
    before = state(ada)
    result = invoke(cli, ada, "sync", *(["--merge"] if merge else []))
    assert result.exit_code == 1, result.output
    assert result.output.splitlines() == [
        f"error: origin/main rewrote the journal: goals/log.csv:2: changed in {sha[:10]} by Bo "
        "<bo@example.com>: 2025-01-01,mrr,100, -> 2025-01-01,mrr,9999,; nothing was changed; "
        f"look at it with git show {sha[:10]} -- goals/log.csv"
    ]
    assert state(ada) == before
    assert git(remote, "rev-parse", "main") == git(bo, "rev-parse", "HEAD")  # nothing pushed


def test_sync_refuses_a_fast_forward_over_a_removed_row(
    cli: CliRunner, remote: Path, tmp_path: Path
) -> None:
    ada, bo = clone(remote, tmp_path / "ada", "Ada"), clone(remote, tmp_path / "bo", "Bo")
    commit_journal(bo, HEADER + "2025-01-01,mrr,100,\n", "drop a row")
    assert invoke(cli, bo, "log", "mrr", "5", "--date", "2025-01-05").exit_code == 0
    git(bo, "push", "-q", "origin", "main")
    before = state(ada)
    result = invoke(cli, ada, "sync")
    assert result.exit_code == 1, result.output
    assert "removed in" in result.output and "2025-01-02,mrr,200," in result.output
    assert state(ada) == before
