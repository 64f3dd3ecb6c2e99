"""The one output path: a command's problems and warnings on stderr, its view rendered in the
format asked for (through the pager, or into the file of -o), and its exit code."""

import os
import sys
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

import typer

from smartgoals.cli.options import Context, OutputFormat
from smartgoals.errors import EXIT_USAGE, SmartgoalsError
from smartgoals.files import read_by_ledger


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


def warn_shallow(root: Path) -> None:
    """For the commands that read history (history, report, status --rev, check --history):
    in a shallow clone, one line on stderr saying which commits are not here."""
    from smartgoals.vcs.shallow import shallow_warning_at

    line = shallow_warning_at(root)
    if line:
        warn([line])


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
    root: Path | None = None,
) -> None:
    """A document already rendered (a report, CSV rows, a calendar) to standard output, or to
    the file of -o, replaced whole (then `wrote FILE` and `wrote` on stdout); problems first on
    stderr; exits with the view's exit code. for_terminal: what the text becomes when standard
    output is a terminal. root: the ledger, whose files -o never replaces (write_file)."""
    from smartgoals.rendering.terminal import echo

    for problem in view.problems:
        echo(str(problem), err=True)
    if output is not None and output != "-":
        write_file(Path(output), text.encode("utf-8"), root)
        echo(f"wrote {output}{wrote}")
    else:
        if for_terminal is not None and sys.stdout.isatty():
            text = for_terminal(text)
        sys.stdout.write(text)
        sys.stdout.flush()
    raise typer.Exit(view.exit_code)


class OutputRefusedError(SmartgoalsError):
    """-o names a file the ledger reads."""

    exit_code = EXIT_USAGE


def write_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Replace the file whole, so that a reader (a browser, a subscribed calendar) never sees
    half of one; never a file the ledger at root reads (OutputRefusedError)."""
    from smartgoals.errors import InvalidInputError, JournalError

    if path.is_dir():
        raise InvalidInputError(f"-o: {path} is a directory")
    if root is not None:
        refuse_ledger_file(path, root)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise JournalError(f"cannot write {path}: {exc.strerror or exc}") from None


def refuse_ledger_file(path: Path, root: Path) -> None:
    """OutputRefusedError when path, as written or through its symbolic links, is a file the
    ledger reads: its settings, goal files, journal files, check-ins, import rules (files.py
    names them) or a file a metric's source: declares."""
    root = root.resolve()
    places = _places(path)
    for place in places:
        rel = _inside(place, root)
        what = rel and read_by_ledger(rel)
        if what:
            raise OutputRefusedError(
                f"-o: {path} is {what}, a file the ledger reads; write elsewhere"
            )
    sources = _declared_files(root)
    if any(place in sources for place in places):
        raise OutputRefusedError(
            f"-o: {path} is a declared source, a file the ledger reads; write elsewhere"
        )


def _places(path: Path) -> set[Path]:
    """The file that replacing path replaces (its folder's links followed), and the file
    its own link, if it is one, leads to."""
    absolute = Path(os.path.abspath(path))
    return {absolute.parent.resolve() / absolute.name, absolute.resolve()}


def _inside(path: Path, root: Path) -> str | None:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return None


def _declared_files(root: Path) -> set[Path]:
    """Every file a metric's source: reads (csv globs expanded), resolved."""
    from smartgoals.commands.pull import declared_sources
    from smartgoals.ledger.loader import load_ledger

    specs, _problems = declared_sources(root, load_ledger(root).metrics)
    found: set[Path] = set()
    for spec, _where, _rel in specs.values():
        for key in ("csv", "json_file", "sqlite", "file", "rules"):
            named = getattr(spec, key, None)
            if not isinstance(named, str) or not named:
                continue
            found.update(_places(root / named))
            if any(ch in named for ch in "*?["):
                with suppress(ValueError, NotImplementedError, OSError):  # a pattern glob refuses
                    found.update(place for match in root.glob(named) for place in _places(match))
    return found


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
