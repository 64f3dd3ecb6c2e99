"""Git runs only inside smartgoals/vcs/: no other module imports GitPython, starts a `git`
process, or calls a GitPython repository's git commands (`repo.git.log(...)`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "smartgoals"
VCS = PACKAGE / "vcs"


def git_calls(source: str) -> list[str]:
    """Each place in source that runs git, as `line: what`."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"{node.lineno}: import {alias.name}"
                for alias in node.names
                if alias.name.split(".")[0] == "git"
            ]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "git":
            if node.level == 0:
                found.append(f"{node.lineno}: from {node.module} import")
        elif isinstance(node, ast.List | ast.Tuple) and node.elts:
            first = node.elts[0]
            if isinstance(first, ast.Constant) and first.value == "git":
                found.append(f"{node.lineno}: a command starting with 'git'")
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "git"
        ):
            found.append(f"{node.lineno}: .git.{node.attr}")
    return found


def modules_outside_vcs() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if VCS not in p.parents)


@pytest.mark.parametrize(
    "source",
    [
        "import git\n",
        "import git.exc\n",
        "from git import Repo\n",
        "def f():\n    from git.exc import GitCommandError\n",
        "subprocess.run(['git', 'log'])\n",
        "subprocess.run(('git', 'blame', '--porcelain'), cwd=root)\n",
        "out = repo.git.blame('--line-porcelain', sha, '--', path)\n",
    ],
)
def test_every_way_of_running_git_is_found(source: str) -> None:
    assert git_calls(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import gitlab\n",
        "from .git import x\n",
        "subprocess.run(['less', '-R'])\n",
        "data = {'git': True}\n",
        "path = root / '.git' / 'HEAD'\n",
    ],
)
def test_what_is_not_git_is_left_alone(source: str) -> None:
    assert not git_calls(source), source


def test_git_is_run_only_inside_vcs() -> None:
    modules = modules_outside_vcs()
    assert len(modules) > 50  # the scan reads the package, not an empty folder
    found = {
        str(path.relative_to(REPO_ROOT)): calls
        for path in modules
        if (calls := git_calls(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "git is run outside smartgoals/vcs/; add a function to vcs instead"


def test_the_scan_sees_vcs_running_git() -> None:
    assert git_calls((VCS / "repo.py").read_text(encoding="utf-8"))
