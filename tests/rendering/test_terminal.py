"""Colour, pager, width and encoding decisions; paging through a real process and a real pty."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pexpect
import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartgoals.rendering.layout import display_width
from smartgoals.rendering.terminal import (
    ColorMode,
    color_enabled,
    output_encoding_is_utf8,
    page,
    pager_command,
    pager_environment,
    terminal_width,
)

REPO_ROOT = Path(__file__).resolve().parents[2]

# -- colour ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "isatty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),  # empty means unset
        ({"FORCE_COLOR": "1"}, False, True),
        ({"FORCE_COLOR": "3"}, False, True),
        ({"FORCE_COLOR": "0"}, False, False),
        ({"FORCE_COLOR": ""}, False, False),
        ({"CLICOLOR_FORCE": "1"}, False, True),
        ({"CLICOLOR_FORCE": "0"}, True, True),  # not forcing is not forbidding
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
        ({"TERM": "dumb"}, True, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
    ],
)
def test_auto_colour(env: dict[str, str], isatty: bool, expected: bool) -> None:
    assert color_enabled("auto", env, isatty) is expected


env_strategy = st.dictionaries(
    st.sampled_from(["NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "TERM"]),
    st.sampled_from(["", "0", "1", "dumb", "xterm"]),
)


@given(env_strategy, st.booleans())
def test_always_and_never_override_everything(env: dict[str, str], isatty: bool) -> None:
    assert color_enabled("always", env, isatty) is True
    assert color_enabled("never", env, isatty) is False


@given(env_strategy, st.booleans(), st.sampled_from(["auto", "always", "never"]))
def test_no_color_set_never_colours_in_auto(
    env: dict[str, str], isatty: bool, mode: ColorMode
) -> None:
    if env.get("NO_COLOR") and mode == "auto":
        assert not color_enabled(mode, env, isatty)


# -- choosing the pager ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, ["less", "-FRX"]),
        ({"PAGER": "more"}, ["more"]),
        ({"PAGER": "more", "SMARTGOALS_PAGER": "most -s"}, ["most", "-s"]),
        ({"PAGER": "more", "SMARTGOALS_PAGER": ""}, None),  # set but empty: no pager
        ({"PAGER": ""}, None),
        ({"PAGER": "  "}, None),
        ({"PAGER": "cat"}, None),
        ({"SMARTGOALS_PAGER": " cat "}, None),
        ({"PAGER": "cat -v"}, ["cat", "-v"]),
        ({"PAGER": "less -R | tee x"}, ["sh", "-c", "less -R | tee x"]),
        ({"PAGER": "LESS=R less"}, ["sh", "-c", "LESS=R less"]),
        ({"PAGER": "'/opt/my pager' -x"}, ["sh", "-c", "'/opt/my pager' -x"]),
        ({"PAGER": "~/bin/pager"}, ["sh", "-c", "~/bin/pager"]),
    ],
)
def test_the_pager_command(env: dict[str, str], expected: list[str] | None) -> None:
    assert pager_command(env, True, False, True) == expected


def test_no_pager_without_a_terminal_with_the_flag_or_with_the_setting_off() -> None:
    env = {"PAGER": "less"}
    assert pager_command(env, True, False, False) is None
    assert pager_command(env, True, True, True) is None
    assert pager_command(env, False, False, True) is None


def test_the_pager_gets_less_and_lv_unless_they_are_set() -> None:
    assert pager_environment({"PATH": "/bin"}) == {"PATH": "/bin", "LESS": "FRX", "LV": "-c"}
    assert pager_environment({"LESS": "R"})["LESS"] == "R"
    assert pager_environment({"LESS": ""})["LESS"] == ""  # set, even empty: left alone


# -- paging through a real process -------------------------------------------------------------


def fake_pager(tmp_path: Path) -> Path:
    """A pager that records its arguments, $LESS and its standard input."""
    script = tmp_path / "fake-pager"
    script.write_text(
        textwrap.dedent(
            f"""\
            #!/bin/sh
            printf '%s' "$*" > {shlex.quote(str(tmp_path / "args"))}
            printf '%s' "${{LESS-unset}}" > {shlex.quote(str(tmp_path / "less"))}
            cat > {shlex.quote(str(tmp_path / "stdin"))}
            """
        )
    )
    script.chmod(0o755)
    return script


def test_page_feeds_the_text_to_the_pager_and_waits(tmp_path: Path) -> None:
    pager = fake_pager(tmp_path)
    env = {"PATH": os.environ["PATH"]}
    page("Goal / metric  Status\nrevenue  on track ✔\n", [str(pager), "-S"], env)
    assert (tmp_path / "stdin").read_text() == "Goal / metric  Status\nrevenue  on track ✔\n"
    assert (tmp_path / "args").read_text() == "-S"
    assert (tmp_path / "less").read_text() == "FRX"


def test_page_runs_a_command_with_shell_syntax_through_sh(tmp_path: Path) -> None:
    pager = fake_pager(tmp_path)
    command = pager_command({"PAGER": f"LESS=XY {shlex.quote(str(pager))} a"}, True, False, True)
    assert command is not None
    assert command[:2] == ["sh", "-c"]
    page("text", command, {"PATH": os.environ["PATH"]})
    assert (tmp_path / "stdin").read_text() == "text"
    assert (tmp_path / "less").read_text() == "XY"


def test_a_pager_that_quits_early_is_not_an_error() -> None:
    out = io.StringIO()
    page("line\n" * 200_000, ["sh", "-c", "exit 0"], {"PATH": os.environ["PATH"]}, out)
    page("line\n" * 200_000, ["true"], {"PATH": os.environ["PATH"]}, out)
    assert out.getvalue() == ""


def test_a_pager_that_cannot_start_falls_back_to_standard_output(tmp_path: Path) -> None:
    out = io.StringIO()
    page("the table\n", [str(tmp_path / "no-such-pager")], {}, out)
    assert out.getvalue() == "the table\n"
    not_executable = tmp_path / "not-executable"
    not_executable.write_text("#!/bin/sh\n")
    page("again\n", [str(not_executable)], {}, out)
    assert out.getvalue() == "the table\nagain\n"
    missing = shlex.quote(str(tmp_path / "missing"))
    page("through sh\n", ["sh", "-c", f"LESS=R {missing} -R"], {"PATH": os.environ["PATH"]}, out)
    assert out.getvalue() == "the table\nagain\nthrough sh\n"


def test_page_writes_to_sys_stdout_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page("fallback\n", [str(tmp_path / "no-such-pager")], {})
    assert capsys.readouterr().out == "fallback\n"


# -- width and encoding ----------------------------------------------------------------------


def test_terminal_width_from_columns_and_a_bad_columns_is_ignored(tmp_path: Path) -> None:
    with open(tmp_path / "file", "w") as not_a_terminal:
        fd = not_a_terminal.fileno()
        assert terminal_width({"COLUMNS": "132"}, 80, fd) == 132
        assert terminal_width({"COLUMNS": " 90 "}, 80, fd) == 90
        for bad in ("abc", "", "0", "-5", "12.5", "80x"):
            assert terminal_width({"COLUMNS": bad}, 77, fd) == 77
        assert terminal_width({}, 64, fd) == 64


def test_output_encoding() -> None:
    assert output_encoding_is_utf8(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert output_encoding_is_utf8(io.TextIOWrapper(io.BytesIO(), encoding="UTF8"))
    assert not output_encoding_is_utf8(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert not output_encoding_is_utf8(io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
    assert not output_encoding_is_utf8(io.StringIO())  # no encoding
    assert not output_encoding_is_utf8(None)


# -- a real pseudo-terminal --------------------------------------------------------------------

LONG_NAME = "Lightning transactions per month across every regional payment network " * 4

LAYOUT_SCRIPT = f"""
import os, sys
from smartgoals.rendering.layout import Column, Heading, layout_table, render_lines
from smartgoals.rendering.terminal import output_encoding_is_utf8, terminal_width
width = terminal_width(os.environ, 80)
columns = [
    Column("Goal / metric", priority=1, min_width=24, truncate=True, droppable=False),
    Column("Current", "right", priority=2),
    Column("Target", priority=3, min_width=10, truncate=True),
    Column("Left", "right", priority=5),
    Column("Progress", priority=4),
    Column("Pace", "right", priority=6),
    Column("Status", priority=0, droppable=False),
]
rows = [
    Heading("REVENUE AND EVERYTHING THAT GOES WITH IT " * 8),
    ["  " + {LONG_NAME.strip()!r}, "905,000", ">= 1,000,000 by 2026-Q4", "95,000",
     "#########.  90%", "89%", "on track"],
    ["  Monthly recurring revenue", "$240,000", ">= $100,000 by 2026-Q4 (rung 4/4)", "$0",
     "########## 100%", "-", "achieved"],
]
ascii = not output_encoding_is_utf8(sys.stdout)
print("WIDTH", width, "TTY", sys.stdout.isatty())
print("\\n".join(render_lines(layout_table(columns, rows, width, ascii=ascii))))
"""


def pty_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def run_in_pty(code: str, width: int, env: dict[str, str]) -> list[str]:
    child = pexpect.spawn(
        sys.executable,
        ["-c", code],
        dimensions=(50, width),
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    output: str = child.before
    return output.replace("\r\n", "\n").split("\n")


@pytest.mark.parametrize(("width", "ellipsis"), [(80, "…"), (120, "…"), (200, "…"), (80, "...")])
def test_the_layout_fits_a_real_terminal(width: int, ellipsis: str) -> None:
    encoding = "utf-8" if ellipsis == "…" else "ascii"
    lines = run_in_pty(LAYOUT_SCRIPT, width, pty_env(PYTHONIOENCODING=encoding))
    assert lines[0] == f"WIDTH {width} TTY True"
    table = [line for line in lines[1:] if line]
    assert len(table) == 4  # header, heading, two rows: nothing wrapped
    for line in table:
        assert display_width(line) <= width, line
    (metric,) = [line for line in table if line.startswith("  Lightning transactions")]
    assert LONG_NAME.strip() not in metric
    name = metric[2:].split("  ")[0]
    assert name.endswith(ellipsis)
    assert table[1].startswith("REVENUE AND") and table[1].endswith(ellipsis)
    assert "$240,000" in "\n".join(table)  # a number is whole or not there, never split


PAGER_SCRIPT = """
import os, sys
from smartgoals.rendering.terminal import page, pager_command
text = "".join(f"row {i}: on track ✔\\n" for i in range(500))
command = pager_command(os.environ, True, False, sys.stdout.isatty())
print("COMMAND", command, flush=True)
if command is None:
    sys.stdout.write(text)
else:
    page(text, command, os.environ)
print("DONE", flush=True)
"""
PAGED_TEXT = "".join(f"row {i}: on track ✔\n" for i in range(500))


def test_the_pager_runs_in_a_terminal(tmp_path: Path) -> None:
    pager = fake_pager(tmp_path)
    env = pty_env(SMARTGOALS_PAGER=f"{pager} --flag", PAGER="false")
    env.pop("LESS", None)
    lines = run_in_pty(PAGER_SCRIPT, 80, env)
    assert lines[0] == f"COMMAND [{str(pager)!r}, '--flag']"
    assert "DONE" in lines
    assert "row 1: on track ✔" not in lines  # it went to the pager, not the screen
    assert (tmp_path / "stdin").read_text(encoding="utf-8") == PAGED_TEXT
    assert (tmp_path / "args").read_text() == "--flag"
    assert (tmp_path / "less").read_text() == "FRX"


def test_no_pager_runs_when_the_output_is_piped(tmp_path: Path) -> None:
    pager = fake_pager(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", PAGER_SCRIPT],
        env=pty_env(SMARTGOALS_PAGER=str(pager)),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    assert done.stdout == f"COMMAND None\n{PAGED_TEXT}DONE\n"
    assert not (tmp_path / "stdin").exists()


def test_ctrl_c_is_left_to_the_pager(tmp_path: Path) -> None:
    """Ctrl-C while the pager is open (less ignores it) does not end smartgoals under it."""
    pager = tmp_path / "patient-pager"
    pager.write_text(
        "#!/bin/sh\ntrap '' INT\ncat > /dev/null\necho READY\nread answer < /dev/tty\necho BYE\n"
    )
    pager.chmod(0o755)
    child = pexpect.spawn(
        sys.executable,
        ["-c", PAGER_SCRIPT],
        dimensions=(50, 80),
        env=pty_env(SMARTGOALS_PAGER=str(pager)),
        encoding="utf-8",
        timeout=60,
    )
    child.expect("READY")
    child.sendintr()
    child.sendline("q")
    child.expect("BYE")
    child.expect("DONE")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
