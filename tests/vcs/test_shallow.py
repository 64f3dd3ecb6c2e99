"""vcs/shallow.py: a shallow clone is seen for what it is (real `git clone --depth 1` over
file://), and a ledger's history has one identity in every full clone."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.vcs.repo import open_work_tree
from smartgoals.vcs.shallow import history_identity, shallow_boundary, shallow_warning
from tests.conftest import git, write_ledger

GOALS = "metrics:\n  mrr: {name: MRR}\n"


def history(root: Path, rows: int = 3) -> Path:
    """A ledger of `rows` commits, one journal row each."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    write_ledger(root, GOALS, "date,metric,value,note\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    for day in range(1, rows + 1):
        with (root / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
            journal.write(f"2026-01-0{day},mrr,{day * 100},\n")
        git(root, "commit", "-q", "-am", f"log: mrr {day * 100}")
    return root


def shallow_clone(origin: Path, into: Path) -> Path:
    git(origin.parent, "clone", "-q", "--depth", "1", f"file://{origin}", str(into))
    return into


def test_a_depth_1_clone_names_the_commit_before_which_history_is_missing(tmp_path: Path) -> None:
    origin = history(tmp_path / "origin")
    clone = shallow_clone(origin, tmp_path / "clone")
    tip = git(clone, "rev-parse", "HEAD").strip()
    repo = open_work_tree(clone)
    assert shallow_boundary(repo) == [tip]
    assert shallow_warning(repo) == (
        f"shallow clone: history before {tip[:12]} is not here; run git fetch --unshallow "
        "(or check out with fetch-depth: 0)"
    )


def test_a_full_clone_says_nothing(tmp_path: Path) -> None:
    origin = history(tmp_path / "origin")
    git(tmp_path, "clone", "-q", f"file://{origin}", "full")
    assert shallow_warning(open_work_tree(tmp_path / "full")) is None
    assert shallow_warning(open_work_tree(origin)) is None


def test_the_identity_is_the_first_commit_and_the_ledgers_folder(tmp_path: Path) -> None:
    origin = history(tmp_path / "origin", rows=1)
    first = git(origin, "rev-list", "--max-parents=0", "HEAD").strip()
    assert history_identity(origin) == f"{first}:"
    git(tmp_path, "clone", "-q", f"file://{origin}", "full")
    assert history_identity(tmp_path / "full") == f"{first}:"
    (origin / "team").mkdir()
    write_ledger(origin / "team", GOALS)
    assert history_identity(origin / "team") == f"{first}:team"


def test_no_identity_from_history_it_does_not_have(tmp_path: Path) -> None:
    origin = history(tmp_path / "origin")
    assert history_identity(shallow_clone(origin, tmp_path / "clone")) is None
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert history_identity(empty) is None
    assert history_identity(tmp_path / "nowhere") is None


SHALLOW_LINE = "shallow clone: history before {} is not here; run git fetch --unshallow (or check out with fetch-depth: 0)"


@pytest.mark.parametrize(
    "args",
    [
        ["history", "mrr"],
        ["report", "monthly", "--as-of", "2026-02-01"],
        ["status", "--rev", "HEAD", "--as-of", "2026-02-01"],
        ["check", "--history", "HEAD"],
    ],
)
def test_commands_that_read_history_say_what_a_shallow_clone_cannot_see(
    tmp_path: Path, args: list[str]
) -> None:
    from tests.system.test_hardening import smartgoals

    origin = history(tmp_path / "origin")
    clone = shallow_clone(origin, tmp_path / "clone")
    tip = git(clone, "rev-parse", "HEAD").strip()
    git(tmp_path, "clone", "-q", f"file://{origin}", "full")

    code, out, err, _ = smartgoals(clone, *args)
    full_code, full_out, full_err, _ = smartgoals(tmp_path / "full", *args)

    assert err.splitlines()[0] == SHALLOW_LINE.format(tip[:12]), err
    assert code == full_code, err
    assert "shallow" not in full_err and "shallow" not in out
    if args[0] in ("report", "status"):  # history and check see only the commits here
        assert out == full_out


def test_commands_that_read_no_history_say_nothing_of_it(tmp_path: Path) -> None:
    from tests.system.test_hardening import smartgoals

    clone = shallow_clone(history(tmp_path / "origin"), tmp_path / "clone")
    for args in (["status", "--as-of", "2026-02-01"], ["check"]):
        _code, _out, err, _ = smartgoals(clone, *args)
        assert "shallow" not in err
