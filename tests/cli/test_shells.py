"""Completion in real shells (bash, zsh, fish in a pseudo-terminal): a candidate that carries
shell metacharacters is inserted so that pressing Enter passes it as one argument, intact, and
runs nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import IDENTITY, git

pexpect = pytest.importorskip("pexpect")

REAL = str(Path(sys.executable).with_name("smartgoals"))
HOSTILE = [
    "Sales Ops; $(touch F)",
    '~$(touch${IFS}G) `touch H` & c | d < e > f; O\'Brien "Co" * ? [x] ~ #tag',
    "#two\nlines; touch I",
]
# The shell, how to start it, and how to load the script that `smartgoals completion` prints.
SHELLS = {
    "bash": (["bash", "--norc", "--noprofile", "-i"], "source {script}"),
    "zsh": (["zsh", "-f", "-i"], "autoload -U compinit; compinit -u; source {script}"),
    "fish": (["fish", "--no-config", "-i"], "source {script}"),
}


def _ledger(root: Path, area: str) -> Path:
    (root / "goals").mkdir(parents=True)
    metrics = "metrics:\n  mrr: {name: MRR, unit: USD}\n"
    goal = {"id": "grow", "title": area, "area": area, "owner": area}
    import json

    goals = "goals:\n  - " + json.dumps({**goal, "targets": [{"metric": "mrr", "target": 1}]})
    (root / "goals" / "goals.yaml").write_text(metrics + goals + "\n", encoding="utf-8")
    (root / "goals" / "log.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    return root


def _wrapper(folder: Path) -> Path:
    """A `smartgoals` that completes as the real one and, run, only records its arguments."""
    folder.mkdir(exist_ok=True)
    wrapper = folder / "smartgoals"
    wrapper.write_text(
        textwrap.dedent(f"""\
            #!/bin/sh
            if [ -n "$_SMARTGOALS_COMPLETE" ]; then exec {REAL} "$@"; fi
            printf '%s\\0' "$@" > "$RECORD.tmp" && mv "$RECORD.tmp" "$RECORD"
            """)
    )
    wrapper.chmod(0o755)
    return folder


def _complete_and_run(shell: str, root: Path, typed: str, tmp_path: Path) -> list[str]:
    """Type `typed`, press Tab, then Enter, in a real interactive shell in root; the arguments
    the command received."""
    command, load = SHELLS[shell]
    if shutil.which(command[0]) is None:
        pytest.skip(f"{command[0]} is not installed (.ci/run installs it)")
    script = tmp_path / f"completion.{shell}"
    script.write_text(
        subprocess.run(
            [REAL, "completion", shell], capture_output=True, text=True, check=True
        ).stdout
    )
    record = tmp_path / "record"
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        "PATH": f"{_wrapper(tmp_path / 'bin')}:{os.environ['PATH']}",
        "HOME": str(home),
        "ZDOTDIR": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "TERM": "xterm",
        "LANG": "C.UTF-8",
        "PS1": "$ ",
        "RECORD": str(record),
        **IDENTITY,
    }
    child = pexpect.spawn(
        command[0], command[1:], env=env, cwd=str(root), encoding="utf-8", timeout=30
    )
    try:
        time.sleep(0.5)
        child.sendline(load.format(script=script))
        time.sleep(0.5)
        child.send(typed + "\t")
        time.sleep(2.5)  # the candidate comes from a Python process
        child.send("\r")
        deadline = time.monotonic() + 20
        while not record.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert record.exists(), f"nothing ran; the shell showed: {child.before!r}"
    finally:
        child.close(force=True)
    return record.read_bytes().decode().split("\0")[:-1]


@pytest.mark.slow
@pytest.mark.parametrize("shell", list(SHELLS))
@pytest.mark.parametrize("name", HOSTILE)
def test_an_area_and_an_owner_complete_to_one_intact_argument(
    shell: str, name: str, tmp_path: Path
) -> None:
    root = _ledger(tmp_path / "ledger", name)
    before = sorted(os.listdir(root))
    for option in ("--area", "--owner"):
        args = _complete_and_run(shell, root, f"smartgoals status {option} ", tmp_path)
        assert args == ["status", option, name]
        assert sorted(os.listdir(root)) == before  # no `touch` ran
        (tmp_path / "record").unlink()


@pytest.mark.slow
@pytest.mark.parametrize("shell", list(SHELLS))
def test_a_fetched_tag_completes_to_one_intact_argument(shell: str, tmp_path: Path) -> None:
    root = _ledger(tmp_path / "ledger", "Sales")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    git(root, "tag", "$(touch${IFS}F);`touch${IFS}G`")
    before = sorted(os.listdir(root))
    args = _complete_and_run(shell, root, "smartgoals diff \\$", tmp_path)
    assert args == ["diff", "$(touch${IFS}F);`touch${IFS}G`"]
    assert sorted(os.listdir(root)) == before


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("Revenue", "Revenue"),
        ("Sales Ops; $(touch F)", "Sales\\ Ops\\;\\ \\$\\(touch\\ F\\)"),
        ("~root", "\\~root"),
        ("two\nlines", "$'two\\x0alines'"),
    ],
)
def test_bash_candidates_are_quoted_words(value: str, quoted: str) -> None:
    from smartgoals.cli.shells import quote_bash

    assert quote_bash(value) == quoted
