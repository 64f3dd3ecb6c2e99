"""The command adapter: a program run in the ledger's directory (no shell, no input, a timeout,
its output capped) that prints date,value rows or one number for today. It runs only where the
user allowed programs for this ledger; what the program itself does is the user's trust."""

from __future__ import annotations

from smartgoals.ledger.sourcespec import CommandSource
from smartgoals.sources.common import Context, Pulled, SourceError, run_program, to_pairs, to_value

RUNS_PROGRAM = True


def read(spec: CommandSource, context: Context) -> Pulled:
    """The rows the program printed, or its one number dated today."""
    import shlex

    try:
        argv = shlex.split(spec.command)
    except ValueError as exc:
        raise SourceError(f"command: {exc}") from None
    if not argv:
        raise SourceError("command: empty")
    text = run_program(argv, context.root, spec.timeout, f"command {argv[0]}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) == 1 and "," not in lines[0]:
        return Pulled([(context.today, to_value(lines[0], context.metric, "command"))], [])
    rows = []
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.lower().replace(" ", "") == "date,value":
            continue
        rows.append(tuple(line.split(",")))
    return Pulled(to_pairs(rows, "command", context), [])
