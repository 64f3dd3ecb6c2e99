"""The terminal: decisions made the way git makes them (colour, pager, width, encoding), a Rich
console for a terminal (Rich is imported only here), and writing lines.

The deciding functions are pure functions of an environment mapping, isatty flags and
settings, so that they are tested without a terminal; only :func:`page` runs anything.

The rules
---------

Colour (:func:`color_enabled`):

- ``--color always`` / ``--color never`` decide, whatever the environment says.
- ``auto`` (the default): no colour when ``NO_COLOR`` is set to anything but the empty
  string (NO_COLOR wins over the forcing variables); else colour when ``FORCE_COLOR`` or
  ``CLICOLOR_FORCE`` is set and is neither empty nor ``0``; else no colour when ``TERM`` is
  ``dumb``; else colour exactly when the output is a terminal.

Pager (:func:`pager_command`):

- No pager when the output is not a terminal, with ``--no-pager``, or when the ``pager``
  setting is off.
- The command is ``$SMARTGOALS_PAGER`` when that is set (even empty), else ``$PAGER`` when
  set, else ``less -FRX`` (quit if one screen, keep colours, do not clear the screen).
- A command that is empty (or only spaces) or is ``cat`` means no pager.
- A command with shell metacharacters (``| & ; < > ( ) $ ` \\ " ' * ? [ # ~ = %``) runs as
  ``sh -c COMMAND`` like git; otherwise it is split into words (``less -R``).
- The pager runs with ``LESS=FRX`` and ``LV=-c`` added when they are not set
  (:func:`pager_environment`), as git does.

Paging (:func:`page`): the text goes to the pager's standard input and smartgoals waits for
the pager to finish (Ctrl-C is left to the pager). A pager that quits before reading
everything (``q`` in less) is not an error. A pager that cannot be started (not installed,
not executable; through ``sh -c``: the shell's exit status 126 or 127) is not an error
either: the text is written to standard output instead.

Width (:func:`terminal_width`): ``$COLUMNS`` when it is a positive whole number, else the
terminal's width, else the fallback. A ``COLUMNS`` that is not a number is ignored.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Any, Literal, TextIO

ColorMode = Literal["auto", "always", "never"]
DEFAULT_PAGER = "less -FRX"
PAGER_ENV = {"LESS": "FRX", "LV": "-c"}
SHELL_METACHARACTERS = frozenset("|&;<>()$`\\\"'*?[#~=%\n")


def _forced(value: str | None) -> bool:
    return value is not None and value not in ("", "0")


def color_enabled(mode: ColorMode, env: Mapping[str, str], isatty: bool) -> bool:
    """Whether to write colour (see the module docstring for the order of the rules)."""
    if mode == "always":
        return True
    if mode == "never":
        return False
    if env.get("NO_COLOR"):
        return False
    if _forced(env.get("FORCE_COLOR")) or _forced(env.get("CLICOLOR_FORCE")):
        return True
    if env.get("TERM") == "dumb":
        return False
    return isatty


def pager_command(
    env: Mapping[str, str], setting_enabled: bool, no_pager_flag: bool, isatty: bool
) -> list[str] | None:
    """The pager to run as an argument list, or None for no pager (module docstring)."""
    if not isatty or no_pager_flag or not setting_enabled:
        return None
    if "SMARTGOALS_PAGER" in env:
        command = env["SMARTGOALS_PAGER"]
    elif "PAGER" in env:
        command = env["PAGER"]
    else:
        command = DEFAULT_PAGER
    command = command.strip()
    if not command or command == "cat":
        return None
    if SHELL_METACHARACTERS.intersection(command):
        return ["sh", "-c", command]
    import shlex

    return shlex.split(command)


def pager_environment(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with ``LESS=FRX`` and ``LV=-c`` where they are not set."""
    return {**PAGER_ENV, **env}


def page(
    text: str, command: list[str], env: Mapping[str, str], output: TextIO | None = None
) -> None:
    """Show ``text`` through the pager ``command`` and wait for it to finish.

    If the pager cannot be started, ``text`` is written to ``output`` (standard output by
    default) instead. A pager that exits without reading everything is not an error.
    """
    stream = output if output is not None else sys.stdout
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=pager_environment(env))
    except OSError:
        _write(stream, text)
        return
    encoding = getattr(stream, "encoding", None) or "utf-8"
    assert process.stdin is not None
    # BrokenPipeError: the pager quit first (q in less). KeyboardInterrupt: Ctrl-C is for the
    # pager (less stays open), so stop writing and wait for it below.
    with contextlib.suppress(BrokenPipeError, KeyboardInterrupt):
        process.stdin.write(text.encode(encoding, errors="replace"))
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()
    while True:
        try:
            code = process.wait()
            break
        except KeyboardInterrupt:
            continue
    if command[:2] == ["sh", "-c"] and code in (126, 127):  # the shell found no such pager
        _write(stream, text)


def _write(stream: TextIO, text: str) -> None:
    stream.write(text)
    stream.flush()


def terminal_width(env: Mapping[str, str], fallback: int = 80, fd: int | None = None) -> int:
    """``$COLUMNS`` if a positive whole number, else the width of the terminal on ``fd``
    (standard output by default), else ``fallback``."""
    columns = env.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if fd is None:
            fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
        size = os.get_terminal_size(fd)
    except (OSError, ValueError):
        return fallback
    return size.columns if size.columns > 0 else fallback


def output_encoding_is_utf8(stream: TextIO | None) -> bool:
    """Whether ``stream`` encodes as UTF-8 (any spelling: ``UTF8``, ``utf_8``, ...)."""
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


__all__ = [
    "DEFAULT_PAGER",
    "ColorMode",
    "color_enabled",
    "output_encoding_is_utf8",
    "page",
    "pager_command",
    "pager_environment",
    "terminal_width",
]


def plain(stream: TextIO) -> bool:
    """True when output must carry no escape codes: NO_COLOR is set or it is not a terminal."""
    return bool(os.environ.get("NO_COLOR")) or not stream.isatty()


def echo(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def drop_stdout() -> None:
    """After the reader of a pipe went away (`smartgoals history mrr | head`): send what is left
    to /dev/null, so that nothing more fails or is reported at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's capture): nothing to do
        pass


def _columns() -> int:
    """$COLUMNS when it is a positive number; anything else is ignored."""
    text = os.environ.get("COLUMNS", "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else 0


def console(
    stderr: bool = False,
    color: bool | None = None,
    width: int | None = None,
    file: TextIO | None = None,
) -> Any:
    """A Rich console: colour as decided (terminal.color_enabled; None: NO_COLOR or not a
    terminal means none), `width` columns (None: the terminal's, or for a pipe, unbounded)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    is_plain = plain(stream) if color is None else not color
    if width is None and not stream.isatty():
        # Piped output is for grep and files: never wrap a row unless COLUMNS asks for it.
        width = _columns() or 1000
    elif width is None and _columns() == 0 and os.environ.get("COLUMNS") is not None:
        os.environ.pop("COLUMNS")  # not a number: let Rich ask the terminal instead
    color_system = None
    if not is_plain:
        term = os.environ.get("TERM", "")
        color_system = (
            "truecolor"
            if os.environ.get("COLORTERM") in ("truecolor", "24bit")
            else "256"
            if term.endswith("256color")
            else "standard"
        )
    return Console(
        file=file or stream,
        highlight=False,
        markup=False,
        color_system=color_system,  # type: ignore[arg-type]
        width=width,
        force_terminal=not is_plain,
        legacy_windows=False,
    )
