"""Git's other states: shallow clones, filtered journals, and git failures in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git, write_ledger
from tests.write.test_log_safety import BASE, HEADER, ledger, one_line, run

__all__ = ["ledger"]


@pytest.fixture
def shallow(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    write_ledger(source, BASE, HEADER)
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "start")
    for day in range(1, 5):
        with (source / "goals" / "log.csv").open("a") as journal:
            journal.write(f"2026-01-0{day},mrr,{day},\n")
        git(source, "commit", "-q", "-am", f"day {day}")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{source}", str(clone))
    return clone


def test_a_revision_beyond_a_shallow_clones_depth_is_one_line(shallow: Path) -> None:
    parent = git(shallow, "rev-parse", "HEAD~1").strip()
    for args in (("status", "--rev", f"{parent}~1"), ("diff", f"{parent}~1")):
        code, _out, err = run(shallow, *args)
        one_line(code, err)
        assert code == 3
        assert "beyond this shallow clone's depth: git fetch --unshallow" in err


def test_history_of_a_filtered_journal_is_refused(ledger: Path) -> None:
    (ledger / ".gitattributes").write_text("goals/log.csv filter=lfs\n")
    git(ledger, "add", ".gitattributes")
    git(ledger, "commit", "-q", "-m", "lfs")
    code, _out, err = run(ledger, "status", "--rev", "HEAD")
    one_line(code, err)
    assert code == 3
    assert "goals/log.csv is stored through a git filter (such as LFS)" in err


def test_a_failing_hook_is_one_line_naming_git(ledger: Path) -> None:
    hook = ledger / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\necho 'hint: noise' >&2\necho 'error: \033[31mno\033[0m' >&2\nexit 1\n"
    )
    hook.chmod(0o755)
    before = (ledger / "goals" / "log.csv").read_bytes()
    code, _out, err = run(ledger, "log", "mrr", "7")
    one_line(code, err)
    assert err == "error: git commit failed: \\x1b[31mno\\x1b[0m\n"
    assert (ledger / "goals" / "log.csv").read_bytes() == before
