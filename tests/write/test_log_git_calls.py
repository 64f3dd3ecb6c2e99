"""`log` with its commit runs seven git commands, not twelve: HEAD, its blob of the journal and
the index entry come from one `git cat-file --batch-check`, and the file git will store is
checked in Python (HEAD's blob id hashed from the working bytes, the appended rows compared)
where git would store the bytes unchanged. The checks still refuse what they refused: an edited
or uncommitted line, a filter; and where git converts line ends, git is asked as before. Real
repositories and the real CLI (GIT_TRACE counts the commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import IDENTITY, REPO_ROOT, git, write_ledger

BASE = "metrics:\n  mrr: {name: MRR, unit: USD}\n"
HEADER = "date,metric,value,note\n"
FIRST = "2026-01-01,mrr,5,\n"
ROW = "2026-01-02,mrr,7,\n"


def run(root: Path, *args: str, extra: dict[str, str] | None = None) -> tuple[int, str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("GIT_")},
        **IDENTITY,
        "SMARTGOALS_NO_CACHE": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        **(extra or {}),
    }
    done = subprocess.run(
        [sys.executable, "-m", "smartgoals", "-C", str(root), *args],
        capture_output=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
    )
    return done.returncode, done.stderr.decode()


def make_ledger(root: Path, *init: str) -> Path:
    write_ledger(root, BASE, HEADER + FIRST)
    git(root, "init", "-q", "-b", "main", *init)
    git(root, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return make_ledger(tmp_path / "ledger")


def committed(root: Path) -> str:
    return git(root, "show", "HEAD:goals/log.csv")


def test_one_log_runs_seven_git_commands(ledger: Path, tmp_path: Path) -> None:
    trace = tmp_path / "trace.txt"
    code, err = run(
        ledger, "log", "mrr", "7", "--date", "2026-01-02", extra={"GIT_TRACE": str(trace)}
    )
    assert code == 0, err
    commands = [
        line.split("trace: built-in: git ", 1)[1].split()
        for line in trace.read_text().splitlines()
        if "trace: built-in: git " in line
    ]
    own = [words for words in commands if words[0] not in ("maintenance", "gc")]  # git's own
    assert [words[0] if words[0] != "-c" else words[2] for words in own] == [
        "rev-parse",  # the repository's directories
        "var",  # the author ...
        "var",  # ... and the committer git would use
        "check-attr",  # filters and conversions
        "cat-file",  # HEAD, its blob of the journal, the index entry
        "commit",
        "rev-parse",  # the new commit
    ]
    assert ["cat-file", "--batch-check"] in own  # sizes and ids: no blob is read
    assert committed(ledger) == HEADER + FIRST + ROW
    assert git(ledger, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "edit",
    [
        lambda text: text.replace("mrr,5,", "mrr,6,"),  # same size: only the hash sees it
        lambda text: text + "2026-01-01,mrr,9,not committed\n",
        lambda text: text.replace(FIRST, ""),
    ],
    ids=["edited", "uncommitted", "removed"],
)
def test_a_journal_that_is_not_heads_copy_is_refused(ledger: Path, edit: object) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.write_text(edit(journal.read_text()))  # type: ignore[operator]
    before = journal.read_bytes()
    head = git(ledger, "rev-parse", "HEAD")
    code, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 3, err
    assert "is not what HEAD holds plus the new row" in err
    assert journal.read_bytes() == before
    assert git(ledger, "rev-parse", "HEAD") == head


def test_line_ends_git_converts_are_judged_by_git(ledger: Path) -> None:
    git(ledger, "config", "core.autocrlf", "true")
    journal = ledger / "goals" / "log.csv"
    journal.unlink()
    git(ledger, "checkout", "--", "goals/log.csv")  # checked out with CRLF line ends
    assert b"\r\n" in journal.read_bytes()
    code, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert committed(ledger) == HEADER + FIRST + ROW  # stored with LF, as git converts


def test_an_ident_attribute_is_judged_by_git(ledger: Path) -> None:
    (ledger / ".gitattributes").write_text("goals/log.csv ident\n")
    git(ledger, "add", ".gitattributes")
    git(ledger, "commit", "-q", "-m", "attributes")
    code, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert committed(ledger) == HEADER + FIRST + ROW


def test_a_journal_removed_from_the_index_is_added_back(ledger: Path) -> None:
    git(ledger, "rm", "-q", "--cached", "goals/log.csv")
    code, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert committed(ledger) == HEADER + FIRST + ROW
    assert git(ledger, "status", "--porcelain") == ""


def test_a_sha256_repository(tmp_path: Path) -> None:
    try:
        root = make_ledger(tmp_path / "ledger", "--object-format=sha256")
    except subprocess.CalledProcessError:
        pytest.skip("this git makes no SHA-256 repositories")
    code, err = run(root, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert committed(root) == HEADER + FIRST + ROW
    journal = root / "goals" / "log.csv"
    journal.write_text(journal.read_text().replace("mrr,5,", "mrr,6,"))
    code, err = run(root, "log", "mrr", "8", "--date", "2026-01-03")
    assert code == 3 and "is not what HEAD holds plus the new row" in err


def test_the_first_journal_on_an_unborn_branch(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write_ledger(root, BASE)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    code, err = run(root, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert committed(root) == HEADER + ROW
    assert git(root, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
