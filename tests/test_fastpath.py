"""The start-up fast path for `status`: it accepts only what Click accepts, and says the same."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from smartgoals.cli import app
from smartgoals.fastpath import (
    GLOBAL_OPTIONS,
    STATUS_FLAGS,
    STATUS_OPTIONS,
    StatusRequest,
    parse_status,
)

from .conftest import REPO_ROOT, git, write_ledger

FAST = [sys.executable, "-m", "smartgoals"]  # the console script's route
TYPER = [sys.executable, "-c", "from smartgoals.cli import main; main()"]  # Typer only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status"], StatusRequest()),
        (["-C", "d", "status"], StatusRequest(directory="d")),
        (["--directory=d", "status", "--json"], StatusRequest(directory="d", json_output=True)),
        (["--directory", "d", "status"], StatusRequest(directory="d")),
        (
            ["status", "--goal", "a", "-g", "b", "--goal=c", "--as-of", "2026-Q3"],
            StatusRequest(goals=("a", "b", "c"), as_of="2026-Q3"),
        ),
        (
            ["status", "--area", "Revenue", "--owner=CEO", "--rev", "HEAD~1"],
            StatusRequest(area="Revenue", owner="CEO", rev="HEAD~1"),
        ),
        (["status", "--area", ""], StatusRequest(area="")),
        (["status", "--area=a=b"], StatusRequest(area="a=b")),
    ],
)
def test_accepted_command_lines(args: list[str], expected: StatusRequest) -> None:
    assert parse_status(args) == expected


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["log", "mrr", "5"],
        ["status", "--help"],
        ["-h", "status"],
        ["--version"],
        ["status", "extra"],
        ["status", "status"],
        ["status", "--"],
        ["status", "--goal"],  # a missing value: Click's own message
        ["status", "--area", "a", "--area", "b"],  # repeated: Click lets the last win
        ["status", "--json", "--json"],
        ["status", "--json=1"],
        ["status", "--area", "-x"],  # a value like an option
        ["status", "-gx"],  # attached short values
        ["-Cd", "status"],
        ["status", "--are", "a"],  # abbreviations
        ["status", "-C", "d"],  # a group option after the command
        ["-C", "d"],
        ["--unknown", "status"],
    ],
)
def test_everything_else_goes_to_typer(args: list[str]) -> None:
    assert parse_status(args) is None


def test_the_fast_path_knows_no_option_that_typer_does_not() -> None:
    group = typer.main.get_command(app)
    status = group.commands["status"]  # type: ignore[attr-defined]

    def names(command: object) -> set[str]:
        found: set[str] = set()
        for param in command.params:  # type: ignore[attr-defined]
            found.update(param.opts)
        return found

    assert set(GLOBAL_OPTIONS) <= names(group)
    assert set(STATUS_OPTIONS) | set(STATUS_FLAGS) <= names(status)
    # and every option of status is known, so the common lines never pay for Typer
    assert names(status) - {"--help", "-h"} == set(STATUS_OPTIONS) | set(STATUS_FLAGS)


def run(route: list[str], cwd: Path, *args: str) -> tuple[int, str, str]:
    env = {**os.environ, "NO_COLOR": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}
    env.pop("SMARTGOALS_DIR", None)
    done = subprocess.run([*route, *args], capture_output=True, text=True, env=env, cwd=cwd)
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled demo in a git repository with two commits."""
    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(REPO_ROOT / "goals", root / "goals")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "goals")
    git(root, "commit", "-q", "-m", "The demo")
    with (root / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-11-20,mrr,9000,a later value\n")
    git(root, "commit", "-q", "-am", "More MRR")
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["status", "--as-of", "2026-11-22"],
        ["status", "--as-of=2026-Q3", "--json"],
        ["status", "--as-of", "2026-11-22", "--area", "revenue", "-g", "lightning-revenue"],
        ["status", "--as-of", "2026-11-22", "--owner", "nobody"],
        ["status", "--as-of", "2026-11-22", "--goal", "no-such-goal"],  # exit 1, a suggestion
        ["status", "--as-of", "2026-02-30"],  # an impossible date
        ["status", "--as-of", "2026-11-22", "--rev", "HEAD~1"],
        ["status", "--rev", "HEAD~1", "--json"],
        ["status", "--rev", "no-such-revision"],  # exit 3
        ["-C", "/nonexistent", "status"],  # no ledger: exit 3
    ],
)
def test_both_routes_print_the_same(demo: Path, args: list[str]) -> None:
    fast = run(FAST, demo, *args)
    slow = run(TYPER, demo, *args)
    assert fast == slow
    assert "Traceback" not in fast[2]


def test_a_ledger_with_problems_reads_alike(tmp_path: Path) -> None:
    write_ledger(
        tmp_path,
        """
        metrics:
          mrr: {name: MRR, unit: USD}
        goals:
          - {id: g, title: G, taget: 5, targets: [{metric: mrr, target: 10}]}
        """,
        "date,metric,value,note\n2026-01-01,mrr,oops,\n",
    )
    fast = run(FAST, tmp_path, "status", "--as-of", "2026-06-01")
    assert fast == run(TYPER, tmp_path, "status", "--as-of", "2026-06-01")
    code, _, stderr = fast
    assert code == 1
    assert "goals/goals.yaml:5:" in stderr and "goals/log.csv:2:" in stderr


PROBE = """
import sys
from smartgoals.fastpath import main
sys.argv = ["smartgoals", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = {m.split(".")[0] for m in sys.modules}
print("LOADED", sorted(loaded & {"typer", "click", "rich", "pydantic", "yaml", "git"}))
"""


def test_plain_status_loads_neither_typer_nor_anything_heavy(demo: Path) -> None:
    for _ in range(2):  # the first run fills the definitions cache
        code, stdout, _ = run([sys.executable, "-c", PROBE], demo, "status", "--json")
    assert code == 0
    assert stdout.rstrip().endswith("LOADED []")
    # and anything else still goes through Typer
    code, stdout, _ = run([sys.executable, "-c", PROBE], demo, "check")
    assert code == 0
    assert "'typer'" in stdout


def run_in_terminal(route: list[str], cwd: Path, *args: str) -> tuple[int, bytes]:
    """Run with a pseudo-terminal as stdout, so that Rich draws its coloured table."""
    import pty

    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "160", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [*route, *args], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd
    )
    os.close(slave)
    output = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return process.wait(), output


def test_both_routes_draw_the_same_terminal_table(demo: Path) -> None:
    fast = run_in_terminal(FAST, demo, "status", "--as-of", "2026-11-22")
    assert fast == run_in_terminal(TYPER, demo, "status", "--as-of", "2026-11-22")
    code, output = fast
    assert code == 0
    assert b"\x1b[" in output  # colour, for a terminal
    assert b"off track" in output  # and the status word, never colour alone


@pytest.mark.parametrize("route", [FAST, TYPER])
@pytest.mark.parametrize("args", [["status", "--json"], ["check"], ["history", "mrr"]])
def test_a_reader_that_went_away_gets_no_error_line(
    demo: Path, route: list[str], args: list[str]
) -> None:
    """`smartgoals status --json | head -1`: the rest of the output has nowhere to go."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: EPIPE, deterministically
    env = {**os.environ, "NO_COLOR": "1"}
    try:
        done = subprocess.run(
            [*route, *args], stdout=write_end, stderr=subprocess.PIPE, env=env, cwd=demo
        )
    finally:
        os.close(write_end)
    assert done.returncode == 3
    assert done.stderr == b""
