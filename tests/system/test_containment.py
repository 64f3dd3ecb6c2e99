"""Nothing escapes the ledger and nothing blocks; odd environments degrade, never crash.

Each case runs the real CLI in a fresh process with a timeout, so a read that blocked (a FIFO,
a device) would fail the test instead of hanging it.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_ledger

GOALS = """
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - {id: g, title: G, targets: [{metric: mrr, target: 10}]}
"""


def run(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "smartgoals", "-C", str(root), *args],
        capture_output=True,
        text=True,
        errors="replace",  # the output may be latin-1 or ASCII on purpose
        timeout=60,
        env={**os.environ, "SMARTGOALS_NO_CACHE": "", **(env or {})},
    )


def test_goals_folder_that_is_a_link_out_of_the_ledger_is_not_read(tmp_path: Path) -> None:
    outside = write_ledger(tmp_path / "outside", GOALS)
    ledger = tmp_path / "ledger"
    ledger.mkdir()
    (ledger / "goals").symlink_to(outside / "goals")
    done = run(ledger, "check")
    assert done.returncode == 1
    assert "goals: is a symbolic link out of the ledger; not read" in done.stdout
    assert "0 goals" in done.stdout


def test_settings_pointing_into_the_parent_directory_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.yaml").write_text("at_risk_band: 0.5\n")
    ledger = write_ledger(tmp_path / "ledger", GOALS)
    (ledger / "smartgoals.yaml").symlink_to(tmp_path / "secret.yaml")
    done = run(ledger, "check")
    assert done.returncode == 1
    assert "smartgoals.yaml: is a symbolic link out of the ledger; not read" in done.stdout


@pytest.mark.parametrize("kind", ["fifo", "directory", "device"])
def test_a_goal_file_that_is_not_a_regular_file_is_refused_by_type(
    tmp_path: Path, kind: str
) -> None:
    ledger = write_ledger(tmp_path, GOALS)
    odd = ledger / "goals" / "odd.yaml"
    if kind == "fifo":
        os.mkfifo(odd)
    elif kind == "directory":
        odd.mkdir()
    else:
        if os.geteuid() != 0:
            pytest.skip("creating a device node needs root")
        os.mknod(odd, 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero's numbers
    done = run(ledger, "check")
    assert done.returncode == 1
    words = {"fifo": "a FIFO", "directory": "a directory", "device": "a device"}[kind]
    assert f"goals/odd.yaml: is not a regular file ({words}); not read" in done.stdout


def test_a_link_to_a_device_outside_the_ledger_is_refused(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, GOALS)
    (ledger / "goals" / "zero.yaml").symlink_to("/dev/zero")
    done = run(ledger, "check")
    assert done.returncode == 1
    assert "goals/zero.yaml: is a symbolic link out of the ledger; not read" in done.stdout


def test_a_link_inside_the_ledger_is_read(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path, GOALS)
    (ledger / "shared").mkdir()
    (ledger / "goals" / "goals.yaml").rename(ledger / "shared" / "goals.yaml")
    (ledger / "goals" / "goals.yaml").symlink_to(ledger / "shared" / "goals.yaml")
    done = run(ledger, "check")
    assert done.returncode == 0, done.stdout
    assert "1 goals" in done.stdout


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "latin-1", "LANG": "C"},
        {"PYTHONIOENCODING": "ascii"},
        {"COLUMNS": "wide"},
        {"COLUMNS": "-5"},
    ],
)
def test_odd_environments_degrade_and_never_crash(tmp_path: Path, env: dict[str, str]) -> None:
    goals = GOALS.replace("title: G", "title: Café ☕ growth …")
    ledger = write_ledger(tmp_path, goals, "date,metric,value,note\n2026-01-01,mrr,5,naïve ✓\n")
    for args in (["status", "--as-of", "2026-02-01"], ["show", "g"], ["history", "mrr"]):
        done = run(ledger, *args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize(("signum", "code", "name"), [(15, 143, "SIGTERM"), (2, 130, "SIGINT")])
def test_a_signal_outside_log_ends_with_one_line_and_its_code(
    tmp_path: Path, signum: int, code: int, name: str
) -> None:
    """A command interrupted while it runs (here: waiting for a pager that waits for a marker)
    ends with 128 + the signal's number and one line, never a traceback."""
    import signal as signals

    pexpect = pytest.importorskip("pexpect")
    from tests.conftest import REPO_ROOT

    started, release = tmp_path / "started", tmp_path / "release"
    pager = tmp_path / "pager.sh"
    pager.write_text(
        f"#!/bin/sh\ncat > /dev/null\ntouch {started}\n"
        f"while [ ! -e {release} ]; do sleep 0.05; done\n"
    )
    pager.chmod(0o755)
    env = {**os.environ, "SMARTGOALS_PAGER": str(pager), "LINES": "5", "COLUMNS": "100"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "smartgoals", "-C", str(REPO_ROOT), "status", "--as-of", "2026-11-22"],
        env=env,
        dimensions=(5, 100),
        encoding="utf-8",
        timeout=60,
        # SIGINT reaches it even where the test runner ignores it (a background job)
        preexec_fn=lambda: signals.signal(signals.SIGINT, signals.SIG_DFL),
    )
    try:
        for _ in range(1200):  # the pager reached its marker: smartgoals is waiting for it
            if started.exists():
                break
            child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.05)
        assert started.exists()
        os.kill(child.pid, signum)
        if signum == signals.SIGINT:  # Ctrl-C belongs to the pager; when it ends, so do we
            release.touch()
        child.expect(pexpect.EOF)
    finally:
        release.touch()
        child.close()
    output = child.before.replace("\r\n", "\n")
    assert "Traceback" not in output
    if signum == signals.SIGTERM:
        assert child.exitstatus == code, output
        assert f"error: interrupted by {name}" in output
