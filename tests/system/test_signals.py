"""Signals at start-up (issue 28, item 7): Ctrl-C in the first milliseconds ends the run with
130 and one line (or, before Python runs anything of ours, with the signal itself, which a
shell reports as 130 too), never a traceback through our code; a reader that goes away is
not an error shown.

The child is started as a regular install starts it, with the interpreter's site hooks left
out (-S, the packages on PYTHONPATH): this test environment's editable install adds a .pth
hook that imports pathlib and re before any code of ours, where no handler of ours can be.
Each child gets SIGINT's default disposition back, whatever the test runner was started
with (a background job ignores SIGINT)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import sysconfig
import time

import pytest

from tests.conftest import REPO_ROOT

LAUNCH = "from smartgoals.console import main; main()"


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(*args: str, stdout: int = subprocess.DEVNULL) -> subprocess.Popen[bytes]:
    paths = [str(REPO_ROOT), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "SMARTGOALS_NO_CACHE": "1"}
    return subprocess.Popen(
        [sys.executable, "-S", "-c", LAUNCH, "-C", str(REPO_ROOT), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_default_sigint,
    )


def test_ctrl_c_in_the_first_50_ms_is_never_a_traceback_of_ours() -> None:
    """Once console.py runs, Ctrl-C is one line and 130. Before it, the interpreter is still
    starting and locating the package: there Python itself reports the KeyboardInterrupt (its
    traceback has no frame of ours) or dies of the signal; that part is counted, not ours."""
    outcomes: list[int] = []
    before_ours = 0
    for run in range(40):
        child = start("status", "--as-of", "2026-11-23")
        time.sleep((run % 26) * 0.002)  # 0 to 50 ms: interpreter, imports, Typer, the ledger
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=60)
        text = err.decode(errors="replace")
        assert "smartgoals" not in text.replace("interrupted by SIGINT", ""), text
        if "Traceback" in text or "Fatal Python error" in text:
            before_ours += 1  # the interpreter's own start-up
            continue
        assert child.returncode in (0, 130, -signal.SIGINT), (child.returncode, text)
        if child.returncode == 130:
            assert text == "error: interrupted by SIGINT\n"
        outcomes.append(child.returncode)
    assert outcomes.count(130) >= 10, outcomes  # most land in our start-up, handled
    assert before_ours <= 10, before_ours


@pytest.mark.parametrize("args", [["status"], ["export"], ["--help"], ["status", "--help"]])
def test_a_reader_that_goes_away_is_no_traceback(args: list[str]) -> None:
    child = start(*args, stdout=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()  # as `| head -0` does
    err = child.stderr.read() if child.stderr else b""
    child.wait(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err, err
    assert child.returncode in (1, 3), child.returncode
