"""The one output path: a command's problems and warnings on stderr, its view rendered in the
format asked for (through the pager, or into the file of -o), and its exit code."""

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import typer

from smartgoals.cli.options import Context, OutputFormat


def rendering_format(chosen: OutputFormat, context: Context) -> Any:
    """The `rendering.Format` of a choice: text is painted or plain as the stream calls for."""
    from smartgoals.rendering import Format, choose_format

    if chosen in (OutputFormat.TEXT, OutputFormat.GITHUB):
        return choose_format(False, color=context.color)
    return {
        OutputFormat.JSON: Format.JSON,
        OutputFormat.MD: Format.MARKDOWN,
        OutputFormat.HTML: Format.HTML,
    }[chosen]


def warn(lines: Iterable[str], prefix: str = "") -> None:
    """Lines for the person at the terminal, on stderr, control characters shown not obeyed."""
    from smartgoals.rendering.terminal import echo
    from smartgoals.safetext import clean

    for line in lines:
        echo(clean(f"{prefix}{line}"), err=True)


def show(
    view: Any,
    chosen: OutputFormat = OutputFormat.TEXT,
    context: Context | None = None,
    root: Path | None = None,
    wide: bool = False,
) -> None:
    """Problems first (stderr), then the view in the format asked for (through the pager when
    it is taller than the terminal); exits with the view's exit code."""
    from smartgoals.rendering import Format, display_for, emit
    from smartgoals.rendering.terminal import echo

    context = context or Context(None)
    for problem in getattr(view, "problems", ()):
        echo(str(problem), err=True)
    fmt = rendering_format(chosen, context)
    display = display_for(color=context.color, wide=wide)
    pager = None if fmt == Format.JSON else _pager(context, root)
    emit(view, fmt, display, pager)
    raise typer.Exit(view.exit_code)


def deliver(
    view: Any,
    text: str,
    output: str | None,
    wrote: str = "",
    for_terminal: Callable[[str], str] | None = None,
) -> None:
    """A document already rendered (a report, CSV rows, a calendar) to standard output, or to
    the file of -o, replaced whole (then `wrote FILE` and `wrote` on stdout); problems first on
    stderr; exits with the view's exit code. for_terminal: what the text becomes when standard
    output is a terminal."""
    from smartgoals.rendering.terminal import echo

    for problem in view.problems:
        echo(str(problem), err=True)
    if output is not None and output != "-":
        write_file(Path(output), text.encode("utf-8"))
        echo(f"wrote {output}{wrote}")
    else:
        if for_terminal is not None and sys.stdout.isatty():
            text = for_terminal(text)
        sys.stdout.write(text)
        sys.stdout.flush()
    raise typer.Exit(view.exit_code)


def write_file(path: Path, data: bytes) -> None:
    """Replace the file whole, so that a reader (a browser, a subscribed calendar) never sees
    half of one."""
    from smartgoals.errors import InvalidInputError, JournalError

    if path.is_dir():
        raise InvalidInputError(f"-o: {path} is a directory")
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise JournalError(f"cannot write {path}: {exc.strerror or exc}") from None


def _pager(context: Context, root: Path | None) -> list[str] | None:
    """The pager to run, git's way (terminal.pager_command): never when piped, with --no-pager
    or with `pager: false` in smartgoals.yaml."""
    from smartgoals.rendering.terminal import pager_command

    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or context.no_pager:
        return None
    enabled = True
    if root is not None:
        from smartgoals.ledger.settings import settings_of

        enabled = settings_of(root).pager  # those the command loaded: no second read
    return pager_command(os.environ, enabled, context.no_pager, tty)
