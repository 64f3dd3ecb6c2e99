"""`log` never destroys the journal's history, never undoes a commit that happened, never
leaves an uncommitted row behind when interrupted, and never commits as an invented committer.
Real git repositories, hooks and the real CLI in subprocesses; signals are sent at points a
hook announces with a marker file, never after a sleep."""

from __future__ import annotations

import datetime as dt
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.write.batch import record
from tests.conftest import IDENTITY, REPO_ROOT, git, write_ledger

BASE = "metrics:\n  mrr: {name: MRR, unit: USD}\n"
HEADER = "date,metric,value,note\n"
ROW = "2026-01-02,mrr,7,\n"
CLEAN_ENV = {
    key: value
    for key, value in os.environ.items()
    if not key.startswith("GIT_") and key not in ("EMAIL", "SMARTGOALS_DIR")
}


def _env(extra: dict[str, str] | None = None, identity: bool = True) -> dict[str, str]:
    env = {
        **CLEAN_ENV,
        "SMARTGOALS_NO_CACHE": "1",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if identity:
        env.update(IDENTITY)
    env.update(extra or {})
    return env


def _start(root: Path, *args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "smartgoals", "-C", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=REPO_ROOT,
        # the signals these tests send reach it even where the runner ignores SIGINT
        preexec_fn=_default_signals,
    )


def _default_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(
    root: Path, *args: str, extra: dict[str, str] | None = None, identity: bool = True
) -> tuple[int, str, str]:
    process = _start(root, *args, env=_env(extra, identity))
    out, err = process.communicate(timeout=120)
    return process.returncode, out.decode(), err.decode()


def one_line(code: int, err: str) -> None:
    assert code > 0, f"exit {code}"
    assert "Traceback" not in err
    assert err.count("\n") == 1, err


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    root = tmp_path / "ledger"
    write_ledger(root, BASE, HEADER + "2026-01-01,mrr,5,\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def state(root: Path) -> tuple[bytes | None, str, bytes, str]:
    journal = root / "goals" / "log.csv"
    return (
        journal.read_bytes() if journal.exists() else None,
        git(root, "rev-parse", "HEAD").strip(),
        (root / ".git" / "index").read_bytes(),
        git(root, "status", "--porcelain"),
    )


def committed(root: Path) -> str:
    return git(root, "show", "HEAD:goals/log.csv")


def hook(root: Path, name: str, body: str) -> None:
    path = root / ".git" / "hooks" / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(0o755)


def wait_for(marker: Path, process: subprocess.Popen[bytes]) -> None:
    """Until a hook creates marker (bounded by the process, not by a clock)."""
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        time.sleep(0.01)


# --- 1. the journal's history is never destroyed by a commit -----------------------------------


def test_a_deleted_tracked_journal_is_refused(ledger: Path) -> None:
    (ledger / "goals" / "log.csv").unlink()
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    one_line(code, err)
    assert code == 3
    assert "goals/log.csv is missing from the work tree but HEAD has it" in err
    assert state(ledger) == before  # no journal created, no commit
    assert committed(ledger) == HEADER + "2026-01-01,mrr,5,\n"


def test_a_journal_left_out_by_a_sparse_checkout_is_refused(ledger: Path) -> None:
    git(ledger, "sparse-checkout", "set", "--no-cone", "/*", "!/goals/log.csv")
    assert not (ledger / "goals" / "log.csv").exists()
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    one_line(code, err)
    assert code == 3
    assert "left out by a sparse checkout" in err
    assert state(ledger) == before
    assert committed(ledger) == HEADER + "2026-01-01,mrr,5,\n"


def test_rows_not_in_head_are_never_swept_into_the_commit(ledger: Path) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.write_text(HEADER)  # someone removed a committed row by hand
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    one_line(code, err)
    assert code == 3
    assert "goals/log.csv is not what HEAD holds plus the new row" in err
    assert state(ledger) == before


@pytest.mark.parametrize("variable", ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"])
def test_git_variables_pointing_elsewhere_are_refused(
    ledger: Path, tmp_path: Path, variable: str
) -> None:
    other = tmp_path / "other"
    git(tmp_path, "init", "-q", "-b", "main", str(other))
    target = {
        "GIT_DIR": str(other / ".git"),
        "GIT_WORK_TREE": str(other),
        "GIT_INDEX_FILE": str(tmp_path / "stale-index"),
    }[variable]
    other_before = git(other, "status", "--porcelain")
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7", extra={variable: target})
    one_line(code, err)
    assert code == 3
    assert err.startswith(f"error: {variable}={target} points git at another")
    assert state(ledger) == before
    assert git(other, "status", "--porcelain") == other_before
    assert not (tmp_path / "stale-index").exists()
    # naming the ledger's own repository, work tree or index is fine
    own = {
        "GIT_DIR": str(ledger / ".git"),
        "GIT_WORK_TREE": str(ledger),
        "GIT_INDEX_FILE": str(ledger / ".git" / "index"),
    }[variable]
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02", extra={variable: own})
    assert code == 0, err
    assert committed(ledger).endswith(ROW)


def test_a_filtered_journal_is_refused(ledger: Path) -> None:
    (ledger / ".gitattributes").write_text("goals/log.csv filter=lfs diff=lfs merge=lfs -text\n")
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7")
    one_line(code, err)
    assert code == 3
    assert "goals/log.csv is under the git filter 'lfs'" in err
    assert state(ledger) == before


# --- 2. a commit that happened is never undone; an interruption leaves nothing or the commit ---


def test_a_post_commit_hook_that_kills_git_keeps_the_committed_row(ledger: Path) -> None:
    hook(ledger, "post-commit", "kill -KILL $PPID\n")
    head = git(ledger, "rev-parse", "HEAD").strip()
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    assert code == 0, err
    assert "Traceback" not in err
    assert git(ledger, "rev-parse", "HEAD~1").strip() == head
    assert committed(ledger) == (ledger / "goals" / "log.csv").read_text()
    assert committed(ledger).endswith("2026-01-01,mrr,5,\n" + ROW)
    assert git(ledger, "status", "--porcelain") == ""


def test_a_post_commit_failure_is_reported_as_a_warning(ledger: Path) -> None:
    hook(ledger, "post-commit", "kill -KILL $PPID\n")
    done = record(ledger, "mrr", "7", dt.date(2026, 1, 2), commit=True)
    assert done.commit == git(ledger, "rev-parse", "HEAD").strip()
    assert len(done.warnings) == 1
    assert "git was killed by signal 9; but the commit was made" in done.warnings[0]


def test_a_corrupt_index_undoes_the_append(ledger: Path) -> None:
    index = ledger / ".git" / "index"
    index.write_bytes(b"DIRC garbage, not an index")
    journal_before = (ledger / "goals" / "log.csv").read_bytes()
    head = git(ledger, "rev-parse", "HEAD").strip()
    code, _out, err = run(ledger, "log", "mrr", "7")
    one_line(code, err)
    assert code == 3
    assert err.startswith("error: git ")
    assert (ledger / "goals" / "log.csv").read_bytes() == journal_before
    assert git(ledger, "rev-parse", "HEAD").strip() == head


@pytest.mark.skipif(os.geteuid() != 0, reason="making a repository someone else's needs root")
def test_dubious_ownership_is_refused_and_changes_nothing(ledger: Path) -> None:
    journal_before = (ledger / "goals" / "log.csv").read_bytes()
    os.chown(ledger, 65534, 65534)
    try:
        code, _out, err = run(ledger, "log", "mrr", "7")
    finally:
        os.chown(ledger, 0, 0)
    one_line(code, err)
    assert code == 3
    assert "dubious ownership" in err
    assert (ledger / "goals" / "log.csv").read_bytes() == journal_before


def _interrupt_during_pre_commit(
    ledger: Path, signum: int, hook_exit: int
) -> tuple[int, str, str, bytes]:
    """Send signum to smartgoals while its pre-commit hook runs, then let the hook end."""
    marker, go = ledger.parent / "hook-started", ledger.parent / "go"
    hook(
        ledger,
        "pre-commit",
        f"touch '{marker}'\nwhile [ ! -e '{go}' ]; do sleep 0.01; done\nexit {hook_exit}\n",
    )
    before = (ledger / "goals" / "log.csv").read_bytes()
    process = _start(ledger, "log", "mrr", "7", "--date", "2026-01-02", env=_env())
    wait_for(marker, process)
    process.send_signal(signum)  # to smartgoals alone: git and its hook carry on
    go.touch()
    out, err = process.communicate(timeout=120)
    return process.returncode, out.decode(), err.decode(), before


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_the_commit_keeps_the_commit_and_says_so(
    ledger: Path, signum: int, code: int
) -> None:
    exit_code, _out, err, before = _interrupt_during_pre_commit(ledger, signum, hook_exit=0)
    one_line(exit_code, err)
    assert exit_code == code
    name = signal.Signals(signum).name
    assert err.startswith(f"error: interrupted by {name}: mrr = 7 USD (2026-01-02) was committed")
    assert (ledger / "goals" / "log.csv").read_bytes() == before + ROW.encode()
    assert committed(ledger).encode() == before + ROW.encode()


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_refused_commit_leaves_nothing(
    ledger: Path, signum: int, code: int
) -> None:
    head = git(ledger, "rev-parse", "HEAD").strip()
    exit_code, _out, err, before = _interrupt_during_pre_commit(ledger, signum, hook_exit=1)
    one_line(exit_code, err)
    assert exit_code == code
    name = signal.Signals(signum).name
    assert err.startswith(f"error: interrupted by {name}: nothing was recorded (git commit failed")
    assert (ledger / "goals" / "log.csv").read_bytes() == before
    assert git(ledger, "rev-parse", "HEAD").strip() == head
    assert git(ledger, "status", "--porcelain") == ""


def test_a_row_left_by_an_interrupted_log_is_not_swept_in(ledger: Path) -> None:
    journal = ledger / "goals" / "log.csv"
    journal.write_bytes(journal.read_bytes() + b"2026-01-01,mrr,6,\n")  # as a kill -9 leaves it
    before = state(ledger)
    code, _out, err = run(ledger, "log", "mrr", "7", "--date", "2026-01-02")
    one_line(code, err)
    assert code == 3
    assert state(ledger) == before


# --- 3. the committer is never invented ----------------------------------------------------------


def test_a_committer_that_git_would_invent_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write_ledger(root, BASE, HEADER)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])  # an email, no name
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    before = state(root)
    # the author is given; git would take the committer's name from passwd
    extra = {"GIT_AUTHOR_NAME": "Ada Founder"}
    code, _out, err = run(root, "log", "mrr", "7", extra=extra, identity=False)
    one_line(code, err)
    assert code == 3
    assert "git does not know who you are (no committer name and email configured)" in err
    assert state(root) == before
    extra["GIT_COMMITTER_NAME"] = "Ada Committer"  # given, the committer is used as it is
    code, _out, err = run(
        root, "log", "mrr", "7", "--date", "2026-01-02", extra=extra, identity=False
    )
    assert code == 0, err
    assert git(root, "log", "-1", "--format=%an|%cn|%ce").strip() == (
        "Ada Founder|Ada Committer|ada@example.com"
    )


def test_a_detached_head_commits_with_a_warning(ledger: Path) -> None:
    git(ledger, "checkout", "-q", "--detach")
    done = record(ledger, "mrr", "7", dt.date(2026, 1, 2), commit=True)
    assert done.commit == git(ledger, "rev-parse", "HEAD").strip()
    assert done.warnings == (
        "HEAD is detached: the commit is on no branch (git switch -c NAME keeps it on a new one)",
    )


# --- 7. odd environments ------------------------------------------------------------------------


def test_a_refused_first_log_leaves_no_empty_journal(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write_ledger(root, BASE)
    git(root, "init", "-q", "-b", "main")
    code, _out, err = run(root, "log", "mrr", "7", identity=False)
    one_line(code, err)
    assert code == 3
    assert not (root / "goals" / "log.csv").exists()
    assert git(root, "status", "--porcelain", "-uall") == "?? goals/goals.yaml\n"


def test_a_refused_first_commit_leaves_no_empty_journal(tmp_path: Path) -> None:
    root = tmp_path / "ledger"
    write_ledger(root, BASE)
    git(root, "init", "-q", "-b", "main")
    hook(root, "pre-commit", "exit 1\n")
    with pytest.raises(GitError):
        record(root, "mrr", "7", dt.date(2026, 1, 2), commit=True)
    assert not (root / "goals" / "log.csv").exists()
    assert git(root, "status", "--porcelain", "-uall") == "?? goals/goals.yaml\n"


@pytest.mark.parametrize(("umask", "mode"), [(0o000, 0o644), (0o777, 0o600), (0o027, 0o640)])
def test_a_new_journal_is_0644_or_stricter(tmp_path: Path, umask: int, mode: int) -> None:
    write_ledger(tmp_path, BASE)
    old = os.umask(umask)
    try:
        record(tmp_path, "mrr", "7", dt.date(2026, 1, 2), commit=False)
    finally:
        os.umask(old)
    journal = tmp_path / "goals" / "log.csv"
    assert stat.S_IMODE(journal.stat().st_mode) == mode
    assert journal.read_text() == HEADER + ROW
