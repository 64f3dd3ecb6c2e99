"""The `status` command, without Typer: shared by the CLI and the start-up fast path."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import EXIT_INVALID, EXIT_OK, InvalidInputError
from .output import console, echo, plain, print_json, report_problems


def as_of_date(text: str | None, today: dt.date) -> dt.date:
    """An --as-of value: a day, a period (its last day), today or yesterday; default today."""
    if text is None:
        return today
    from .periods import parse_day, parse_period

    try:
        if text.strip().lower() in {"today", "yesterday"}:
            return parse_day(text, today)
        return parse_period(text).last
    except ValueError as exc:
        raise InvalidInputError(f"--as-of: {exc}") from None


def rev_line(rev: str | None, commit: Any) -> str:
    day = commit.date.date().isoformat()
    return f"{rev} = {commit.short} by {commit.author} on {day}: {commit.message}"


def run_status(
    root: Path,
    today: dt.date,
    as_of: str | None = None,
    goals: Sequence[str] = (),
    area: str | None = None,
    owner: str | None = None,
    rev: str | None = None,
    json_output: bool = False,
) -> int:
    """Print the status of the ledger at root; the exit code (1 when the ledger has problems)."""
    from .evaluation import evaluate
    from .ledger import load_ledger

    commit = None
    if rev is not None:
        from .history import ledger_at

        ledger, commit = ledger_at(root, rev)
        day = as_of_date(as_of, today) if as_of is not None else commit.date.date()
    else:
        day = as_of_date(as_of, today)
        ledger = load_ledger(root)
    report_problems(ledger.problems)
    evaluation = evaluate(ledger, day)
    wanted = set(goals)
    unknown = wanted - {g.id for g in ledger.goals}
    if unknown:
        from .resolution import suggest

        name = sorted(unknown)[0]
        raise InvalidInputError(
            f"unknown goal {name!r}{suggest(name, [g.id for g in ledger.goals])}"
        )
    selected = tuple(
        g
        for g in evaluation.goals
        if (not wanted or g.goal.id in wanted)
        and (area is None or g.goal.area.casefold() == area.casefold())
        and (owner is None or (g.goal.owner or "").casefold() == owner.casefold())
    )
    evaluation = type(evaluation)(evaluation.as_of, selected, evaluation.risks)
    if json_output:
        from .rendering.data import evaluation_data

        data = evaluation_data(evaluation)
        if commit is not None:
            data["rev"] = {
                "rev": rev,
                "commit": commit.sha,
                "date": commit.date.isoformat(),
                "author": commit.author,
                "message": commit.message,
            }
        print_json(data)
    else:
        from .rendering.cells import summary_line

        triggered = any(r.triggered for r in evaluation.risks)
        if plain(sys.stdout):  # pipes, files, NO_COLOR: plain text, and no Rich to import
            from .rendering.plain import risks_lines, status_lines

            lines = status_lines(evaluation) if selected else []
            if triggered:
                lines += ["", *risks_lines(evaluation.risks, only_triggered=True)]
            if commit is not None:
                lines.insert(0, rev_line(rev, commit))
            echo("\n".join([*lines, summary_line(evaluation)]))
        else:
            from .rendering.text import risks_view, status_table

            out = console()
            if commit is not None:
                out.print(rev_line(rev, commit))
            if selected:
                out.print(status_table(evaluation, plain=False))
            if triggered:
                out.print()
                out.print(risks_view(evaluation.risks, plain=False, only_triggered=True))
            out.print(summary_line(evaluation))
    return EXIT_INVALID if ledger.problems else EXIT_OK
