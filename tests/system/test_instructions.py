"""Instructions that work as written: the version the docs' examples name is the tag the
release step of CONTRIBUTING.md makes, and the pre-commit example, copied from the docs, runs
against a local clone of this repository tagged by that step (no network: pre-commit installs
the hook from the clone, pip from the configured local wheels)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, git, write_ledger

DOCS = REPO_ROOT / "docs" / "teams-and-ci.md"


def version() -> str:
    data = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    return str(data["project"]["version"])


def precommit_example() -> str:
    """The docs' first `.pre-commit-config.yaml` block, as a reader would copy it."""
    text = DOCS.read_text()
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        if ".pre-commit-config.yaml" in block:
            return textwrap.dedent(block)
    raise AssertionError("no .pre-commit-config.yaml example in docs/teams-and-ci.md")


def test_every_example_names_the_release_tag_or_a_commit() -> None:
    tag = f"v{version()}"
    contributing = (REPO_ROOT / "CONTRIBUTING.md").read_text()
    assert 'git tag -a "v$version"' in contributing  # the release step makes the tag
    places = [REPO_ROOT / "README.md", DOCS, REPO_ROOT / "docs" / "smartgoals-workflow.yml"]
    for path in places:
        text = path.read_text()
        for named in re.findall(r"(?:rev: |OWNER/smartgoals@)([\w.]+)", text):
            assert named == tag or re.fullmatch(r"[0-9a-f]{40}", named), (path.name, named)


@pytest.mark.slow
def test_the_pre_commit_example_runs_against_a_tagged_local_clone(tmp_path: Path) -> None:
    precommit = shutil.which("pre-commit") or str(Path(sys.executable).parent / "pre-commit")
    if not Path(precommit).exists():
        pytest.skip("pre-commit is not installed (pip install pre-commit)")
    if git(REPO_ROOT, "status", "--porcelain", "--", ".pre-commit-hooks.yaml", "pyproject.toml"):
        pytest.skip("the hook definition has uncommitted changes: a clone would not have them")
    clone = tmp_path / "smartgoals"
    git(tmp_path, "clone", "-q", "--no-hardlinks", str(REPO_ROOT), str(clone))
    tag = f"v{version()}"
    git(clone, "tag", "-a", tag, "-m", f"smartgoals {version()}")  # CONTRIBUTING's release step
    ledger = tmp_path / "ledger"
    git(tmp_path, "init", "-q", "-b", "main", str(ledger))
    write_ledger(
        ledger,
        """\
        metrics:
          mrr: {name: MRR, unit: USD}
        goals:
          - id: grow
            title: Grow revenue
            due: 2026-12-31
            targets:
              - {metric: mrr, target: 10000}
        """,
        "date,metric,value,note\n2026-01-31,mrr,1000,\n",
    )
    config = precommit_example().replace("https://github.com/OWNER/smartgoals", str(clone))
    assert f"rev: {tag}" in config
    (ledger / ".pre-commit-config.yaml").write_text(config)
    git(ledger, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "GIT_CONFIG_NOSYSTEM": "1"}
    env["GIT_CONFIG_GLOBAL"] = "/dev/null"

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [precommit, "run", "--all-files"], cwd=ledger, env=env, capture_output=True, text=True
        )

    done = run()
    assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"smartgoals check\.+Passed", done.stdout), done.stdout
    with (ledger / "goals" / "log.csv").open("a") as out:
        out.write("2026-02-30,mrr,2000,\n")
    git(ledger, "add", ".")
    broken = run()
    assert broken.returncode == 1, broken.stdout
    assert "goals/log.csv:3" in broken.stdout
