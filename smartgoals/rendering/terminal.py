"""The terminal: whether output may carry escape codes, a Rich console for a terminal (Rich is
imported only here), and writing lines."""

from __future__ import annotations

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
