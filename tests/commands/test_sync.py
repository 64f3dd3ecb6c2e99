"""commands/sync.py: the upstream's commits brought in, the ledger checked, then pushed."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.commands.sync import sync
from tests.conftest import IDENTITY, git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals: []
"""


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path, Path]:
    """An upstream bare repository and two clones of it, the ledger committed."""
    upstream, ada, bob = tmp_path / "upstream.git", tmp_path / "ada", tmp_path / "bob"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(upstream))
    for clone in (ada, bob):
        git(tmp_path, "clone", "-q", str(upstream), str(clone))
        git(clone, "config", "commit.gpgsign", "false")
        git(clone, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
        git(clone, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    write_ledger(ada, GOALS, "date,metric,value,note\n2026-01-31,mrr,100,\n")
    git(ada, "add", ".")
    git(ada, "commit", "-q", "-m", "start")
    git(ada, "push", "-q", "origin", "main")
    git(bob, "pull", "-q", "origin", "main")
    return upstream, ada, bob


def append(root: Path, row: str, message: str) -> None:
    with (root / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write(row)
    git(root, "commit", "-q", "-a", "-m", message)


def test_both_appends_kept_and_pushed(clones: tuple[Path, Path, Path]) -> None:
    upstream, ada, bob = clones
    append(ada, "2026-02-28,mrr,200,\n", "ada")
    git(ada, "push", "-q", "origin", "main")
    append(bob, "2026-03-31,mrr,300,\n", "bob")
    view = sync(bob)
    assert (view.synced.brought_in, view.synced.sent, view.synced.how) == (1, 1, "rebase")
    assert view.synced.pushed
    assert view.problems == ()
    assert git(upstream, "rev-parse", "main").strip() == git(bob, "rev-parse", "HEAD").strip()
    assert (bob / "goals" / "log.csv").read_text(encoding="utf-8").splitlines()[-2:] == [
        "2026-02-28,mrr,200,",
        "2026-03-31,mrr,300,",
    ]


def test_no_push_keeps_the_commits_here(clones: tuple[Path, Path, Path]) -> None:
    upstream, _ada, bob = clones
    before = git(upstream, "rev-parse", "main")
    append(bob, "2026-03-31,mrr,300,\n", "bob")
    view = sync(bob, push_changes=False)
    assert (view.synced.sent, view.synced.pushed, view.push_wanted) == (1, False, False)
    assert git(upstream, "rev-parse", "main") == before


def test_a_broken_ledger_is_not_pushed(clones: tuple[Path, Path, Path]) -> None:
    upstream, _ada, bob = clones
    before = git(upstream, "rev-parse", "main")
    append(bob, "2026-03-31,nope,300,\n", "bob")
    view = sync(bob)
    assert [p.line for p in view.problems] == [3]
    assert view.exit_code != 0
    assert not view.synced.pushed
    assert git(upstream, "rev-parse", "main") == before
