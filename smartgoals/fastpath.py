"""The console script: plain `smartgoals status` without loading Typer.

`status` runs many times a day, in shell prompts and in CI. Importing Typer (and Click) and
building the command tree costs about 25 ms, more than reading, evaluating and printing a typical
ledger. So the entry point first tries to read the command line itself, for `status` and its
options only, in exactly the forms Click accepts:

    smartgoals [-C DIR | --directory DIR | --directory=DIR] status
        [--as-of DATE] [--goal ID | -g ID]... [--area A] [--owner O] [--rev REV] [--json]

(`--opt=VALUE` works for every long option). Anything else, such as another command, --help, an
unknown, repeated or abbreviated option, or a value starting with "-", goes to the Typer CLI
untouched, so that Typer stays the one authority on usage and its messages. Both routes call
the same `run_status` and report failures through the same `error_line`; the test suite runs
each accepted command line through both and compares the output byte for byte.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import NamedTuple

GLOBAL_OPTIONS = {"-C": "directory", "--directory": "directory"}
STATUS_OPTIONS = {
    "--as-of": "as_of",
    "--goal": "goals",
    "-g": "goals",
    "--area": "area",
    "--owner": "owner",
    "--rev": "rev",
}
STATUS_FLAGS = {"--json": "json_output"}
REPEATABLE = {"goals"}


class StatusRequest(NamedTuple):
    directory: str | None = None
    as_of: str | None = None
    goals: tuple[str, ...] = ()
    area: str | None = None
    owner: str | None = None
    rev: str | None = None
    json_output: bool = False


def _take(args: Sequence[str], i: int, options: dict[str, str]) -> tuple[str, str, int] | None:
    """The option at args[i] with its value, and the next index; None if not simple."""
    token = args[i]
    if token.startswith("--") and "=" in token:
        name, value = token.split("=", 1)
        step = 1
    elif i + 1 < len(args):
        name, value = token, args[i + 1]
        step = 2
    else:
        return None
    if name not in options or value.startswith("-"):
        return None
    return options[name], value, i + step


def parse_status(args: Sequence[str]) -> StatusRequest | None:
    """The request, when args are a `status` command line the fast path fully understands."""
    found: dict[str, str | bool | tuple[str, ...]] = {}
    i = 0
    command_seen = False
    while i < len(args):
        token = args[i]
        if not command_seen and token == "status":
            command_seen = True
            i += 1
            continue
        if command_seen and token in STATUS_FLAGS:
            key = STATUS_FLAGS[token]
            if key in found:
                return None
            found[key] = True
            i += 1
            continue
        taken = _take(args, i, STATUS_OPTIONS if command_seen else GLOBAL_OPTIONS)
        if taken is None:
            return None
        key, value, i = taken
        if key in REPEATABLE:
            previous = found.get(key, ())
            assert isinstance(previous, tuple)
            found[key] = (*previous, value)
        elif key in found:
            return None  # Click lets the last one win; leave such lines to it
        else:
            found[key] = value
    if not command_seen:
        return None
    return StatusRequest(**found)  # type: ignore[arg-type]


def run(request: StatusRequest) -> int:
    """Run `status` as the Typer command would; the exit code."""
    import datetime as dt

    from .ledger import find_root
    from .output import echo, report_failure
    from .status import run_status

    try:
        return run_status(
            find_root(explicit=request.directory),
            dt.date.today(),
            as_of=request.as_of,
            goals=request.goals,
            area=request.area,
            owner=request.owner,
            rev=request.rev,
            json_output=request.json_output,
        )
    except KeyboardInterrupt:
        echo("", err=True)
        echo("Aborted!", err=True)  # as Click says it
        return 1
    except Exception as exc:
        return report_failure(exc)


def main() -> None:
    """Entry point of the smartgoals script and of python -m smartgoals."""
    request = parse_status(sys.argv[1:])
    if request is None:
        from .cli import main as cli_main

        cli_main()
        return
    sys.exit(run(request))
