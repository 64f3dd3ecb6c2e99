"""Where command output goes: plain text for pipes and NO_COLOR, Rich only for a terminal.

Typer-free, so that the start-up fast path (see fastpath.py) prints exactly what the Typer
commands print.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, TextIO


def plain(stream: TextIO) -> bool:
    """True when output must carry no escape codes: NO_COLOR is set or it is not a terminal."""
    return bool(os.environ.get("NO_COLOR")) or not stream.isatty()


def echo(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def print_json(data: Any) -> None:
    echo(json.dumps(data, indent=2, ensure_ascii=False))


def report_problems(problems: Any) -> None:
    for problem in problems:
        echo(str(problem), err=True)


def drop_stdout() -> None:
    """After the reader of a pipe went away (`smartgoals history mrr | head`): send what is left
    to /dev/null, so that nothing more fails or is reported at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test runner's capture): nothing to do
        pass


def report_failure(exc: Exception) -> int:
    """Report a command's failure as one line on stderr (none for a closed pipe); its exit code.

    The one place both routes (the Typer CLI and the fast path) turn an exception into what the
    user sees. With SMARTGOALS_DEBUG set, a bug of ours is re-raised for its traceback.
    """
    from .errors import EXIT_ENVIRONMENT, EXIT_INTERNAL, error_line

    if isinstance(exc, BrokenPipeError):  # the reader went away (| head): nothing to tell it
        drop_stdout()
        return EXIT_ENVIRONMENT
    line, code = error_line(exc)
    if code == EXIT_INTERNAL and os.environ.get("SMARTGOALS_DEBUG"):
        raise exc
    echo(line, err=True)
    return code


def console(stderr: bool = False) -> Any:
    """A Rich console for a terminal (Rich is imported only here)."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    is_plain = plain(stream)
    width = None
    if not stream.isatty():
        # Piped output is for grep and files: never wrap a row unless COLUMNS asks for it.
        width = int(os.environ.get("COLUMNS", "0") or 0) or 1000
    return Console(
        file=stream,
        highlight=False,
        color_system=None if is_plain else "auto",
        width=width,
        force_terminal=False if is_plain else None,
    )
