"""The command line: parse arguments, call the library, print, map errors to exit codes."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from . import __version__
from .errors import (
    EXIT_INVALID,
    EXIT_OK,
    InvalidInputError,
)
from .output import console, plain, print_json, report_failure, report_problems
from .status import as_of_date, run_status


class _Group(TyperGroup):
    """Turns our errors into one line on stderr and a documented exit code; never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):
            raise  # Click's own control flow and usage errors
        except Exception as exc:
            raise typer.Exit(report_failure(exc)) from None


app = typer.Typer(
    cls=_Group,
    name="smartgoals",
    help="A goal ledger: SMART goals in YAML, values in a CSV journal, git as the database.\n\n"
    "Example: smartgoals log mrr 1200 && smartgoals status",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state: dict[str, Any] = {"directory": None}

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Evaluate at this date (YYYY-MM-DD, 2025-Q3, ...). Default: today.",
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for programs instead of a table.")]


def _today() -> dt.date:
    return dt.date.today()


def _root() -> Path:
    from .ledger import find_root

    return find_root(explicit=_state["directory"])


def _as_of(text: str | None) -> dt.date:
    return as_of_date(text, _today())


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smartgoals {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    directory: Annotated[
        str | None,
        typer.Option(
            "-C",
            "--directory",
            help="Use the ledger in DIR (a directory holding goals/). Default: $SMARTGOALS_DIR, "
            "else the nearest parent of the working directory with goals/.",
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """A goal ledger: SMART goals in YAML, values in a CSV journal, git as the database.

    Example: smartgoals -C ~/company status --area Revenue
    """
    _state["directory"] = directory


@app.command()
def status(
    as_of: AsOf = None,
    goal: Annotated[
        list[str] | None, typer.Option("--goal", "-g", help="Only this goal id (repeatable).")
    ] = None,
    area: Annotated[str | None, typer.Option(help="Only goals in this area.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only goals with this owner.")] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            metavar="REV",
            help="Evaluate the ledger as committed at this git revision (read from git, nothing "
            "is checked out); --as-of defaults to that commit's date.",
        ),
    ] = None,
    json_output: Json = False,
) -> None:
    """Show every goal and target: current value, what is left, pace and status.

    Exits 1 when the ledger has problems (they are printed first, on stderr).

    Example: smartgoals status --area Revenue --as-of 2026-Q3
    Example: smartgoals status --rev HEAD~10
    """
    code = run_status(
        _root(),
        _today(),
        as_of=as_of,
        goals=goal or (),
        area=area,
        owner=owner,
        rev=rev,
        json_output=json_output,
    )
    raise typer.Exit(code)


@app.command()
def diff(
    a: Annotated[str, typer.Argument(metavar="A", help="A revision (default: HEAD).")] = "HEAD",
    b: Annotated[
        str | None,
        typer.Argument(metavar="B", help="A revision (default: the working tree)."),
    ] = None,
    as_of: AsOf = None,
    all_items: Annotated[
        bool, typer.Option("--all", help="List unchanged statuses and metrics too.")
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when there are differences, like git diff."),
    ] = False,
    json_output: Json = False,
) -> None:
    """What a change did: goals, targets (eased ones flagged), observations and statuses.

    Both sides are judged at the same date (default: today), so the difference shows what the
    change itself did.

    Example: smartgoals diff HEAD~5 --exit-code
    """
    from .evaluation import evaluate
    from .history import diff as diff_ledgers
    from .history import ledger_at
    from .ledger import load_ledger

    day = _as_of(as_of)
    root = _root()
    ledger_a, commit_a = ledger_at(root, a)
    if b is None:
        ledger_b, label_b, commit_b = load_ledger(root), "working tree", None
    else:
        ledger_b, commit_b = ledger_at(root, b)
        label_b = f"{b} ({commit_b.short})"
    data: dict[str, Any] = {
        "a": {"rev": a, "commit": commit_a.sha, "label": f"{a} ({commit_a.short})"},
        "b": {"rev": b, "commit": commit_b.sha if commit_b else None, "label": label_b},
        "as_of": day.isoformat(),
    }
    data.update(
        diff_ledgers(
            ledger_a, ledger_b, evaluate(ledger_a, day), evaluate(ledger_b, day), all_items
        )
    )
    if json_output:
        print_json(data)
    else:
        from .rendering.changes import diff_lines

        typer.echo("\n".join(diff_lines(data, {**ledger_a.metrics, **ledger_b.metrics})))
    if exit_code and data["changed"]:
        raise typer.Exit(EXIT_INVALID)


@app.command()
def history(
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="The metric id.")],
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only observations from DATE on.")
    ] = None,
    json_output: Json = False,
) -> None:
    """Every observation of a metric: its change, note, and who recorded it in which commit.

    Below, each commit that changed a target of the metric. Outside git the observations are
    still listed, and the reason the rest is missing is said.

    Example: smartgoals history mrr --since 2026-01
    """
    from .history import metric_history
    from .ledger import load_ledger
    from .resolution import suggest

    root = _root()
    ledger = load_ledger(root)
    if metric not in ledger.metrics:
        raise InvalidInputError(f"unknown metric {metric!r}{suggest(metric, ledger.metrics)}")
    start = None
    if since is not None:
        from .periods import parse_period

        try:
            start = parse_period(since).first
        except ValueError as exc:
            raise InvalidInputError(f"--since: {exc}") from None
    data = metric_history(root, ledger, metric, start)
    if json_output:
        print_json(data)
    else:
        from .rendering.changes import history_lines

        typer.echo("\n".join(history_lines(data, ledger.metrics[metric])))


@app.command()
def risks(as_of: AsOf = None, json_output: Json = False) -> None:
    """Show every risk: whether its trigger fires, the values that decided it, its actions.

    A risk whose inputs have no data is not triggered; the missing inputs are named.

    Example: smartgoals risks --as-of 2026-Q3
    """
    from .evaluation import evaluate
    from .ledger import load_ledger

    day = _as_of(as_of)
    ledger = load_ledger(_root())
    report_problems(ledger.problems)
    evaluation = evaluate(ledger, day)
    if json_output:
        from .rendering.data import risk_data

        print_json({"as_of": day.isoformat(), "risks": [risk_data(r) for r in evaluation.risks]})
    elif plain(sys.stdout):
        from .rendering.plain import risks_lines

        typer.echo("\n".join(risks_lines(evaluation.risks, only_triggered=False)).rstrip())
    else:
        from .rendering.text import risks_view

        console().print(risks_view(evaluation.risks, plain=False, only_triggered=False))
    raise typer.Exit(EXIT_INVALID if ledger.problems else EXIT_OK)


@app.command(context_settings={"ignore_unknown_options": True})
def log(
    metric: Annotated[
        str, typer.Argument(metavar="METRIC", help="The metric id, as in goals/*.yaml.")
    ],
    value: Annotated[
        str,
        typer.Argument(
            metavar="VALUE", help="The value: 1200, 5k, $5,000, 60%, 5:1, 200ms, or a stage name."
        ),
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            metavar="DATE",
            help="The day it was measured (YYYY-MM-DD). Default: today.",
        ),
    ] = None,
    note: Annotated[
        str,
        typer.Option("--note", "-n", metavar="TEXT", help="A one-line note kept with the value."),
    ] = "",
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Append to goals/log.csv but do not commit.")
    ] = False,
) -> None:
    """Record a value: append one line to goals/log.csv and commit exactly that file.

    Other staged or modified files are never swept into the commit. On any error nothing is
    written: the journal stays byte for byte as it was.

    Example: smartgoals log mrr 1200 --note "Stripe dashboard"
    """
    from .recording import record

    if value.startswith("-") and value[1:2] == "-":
        raise InvalidInputError(f"unknown option {value!r}")
    done = record(_root(), metric, value, _today(), date, note, commit=not no_commit)
    from .rendering.cells import value_text

    if done.commit:
        where = f"committed {done.commit[:10]}"
    else:
        where = f"not committed ({done.not_committed_reason})"
    shown = value_text(done.metric, done.value)
    typer.echo(f"{done.metric.id} = {shown} on {done.day.isoformat()}: {where}")


@app.command()
def check(json_output: Json = False) -> None:
    """Validate every goal file and journal line, against the schema and each other.

    Prints each problem as path:line:column: field: message. Exits 1 if there is any.

    Example: smartgoals check
    """
    from .ledger import load_ledger

    ledger = load_ledger(_root())
    if json_output:
        print_json(
            {
                "ok": not ledger.problems,
                "problems": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "column": p.column,
                        "field": p.field or None,
                        "message": p.message,
                    }
                    for p in ledger.problems
                ],
                "goals": len(ledger.goals),
                "metrics": len(ledger.metrics),
                "observations": sum(len(s.dates) for s in ledger.series.values()),
            }
        )
    else:
        for problem in ledger.problems:
            typer.echo(str(problem))
        observations = sum(len(s.dates) for s in ledger.series.values())
        verdict = f"{len(ledger.problems)} problem(s)" if ledger.problems else "ok"
        typer.echo(
            f"{verdict}: {len(ledger.goals)} goals, {len(ledger.metrics)} metrics, "
            f"{observations} observations"
        )
    raise typer.Exit(EXIT_INVALID if ledger.problems else EXIT_OK)


@app.command()
def show(
    goal: Annotated[str, typer.Argument(help="The goal id.")],
    as_of: AsOf = None,
    recent: Annotated[
        int, typer.Option(help="How many recent values to list per target.", min=0)
    ] = 5,
    json_output: Json = False,
) -> None:
    """Show one goal as a SMART card: its texts, owner, dates, and each target's status and values.

    Example: smartgoals show early-adopters
    """
    from .evaluation import evaluate
    from .ledger import load_ledger
    from .resolution import suggest

    day = _as_of(as_of)
    ledger = load_ledger(_root())
    found = evaluate(ledger, day).goal(goal)
    if found is None:
        ids = [g.id for g in ledger.goals]
        raise InvalidInputError(f"unknown goal {goal!r}{suggest(goal, ids)}")
    history, why = _goal_history(goal)
    if json_output:
        from .rendering.data import goal_card_data

        data = goal_card_data(found, ledger, day, recent)
        data["history"] = history
        data["history_missing"] = why
        print_json(data)
    else:
        from .rendering.changes import goal_history_lines
        from .rendering.text import goal_card

        console().print(goal_card(found, ledger, day, plain(sys.stdout), recent))
        typer.echo("\n".join(goal_history_lines(history, why)))


def _goal_history(goal: str) -> tuple[list[dict[str, Any]], str | None]:
    """The commits that changed this goal's targets; outside git, why there are none."""
    from .errors import GitError
    from .history import target_history

    try:
        changes = target_history(_root(), goal=goal)
    except GitError as exc:
        return [], str(exc)
    return [
        {
            "commit": c.commit.sha,
            "author": c.commit.author,
            "date": c.commit.date.isoformat(),
            "message": c.commit.message,
            "goal": c.goal,
            "metric": c.metric,
            **c.change,
        }
        for c in changes
    ], None


@app.command()
def init(
    directory: Annotated[
        Path, typer.Argument(help="Where to create the ledger (default: here).")
    ] = Path("."),
) -> None:
    """Create a new ledger: a commented starter goal file, an empty journal, schemas and git.

    Runs git init when DIR is not inside a repository, and marks goals/log.csv merge=union in
    .gitattributes so that appends from two branches merge without conflicts.

    Example: smartgoals init ~/company && cd ~/company && smartgoals status
    """
    from .scaffold import init_ledger

    today = _today()
    done = init_ledger(directory, today.year, (today.month - 1) // 3 + 1)
    for path in done.created:
        typer.echo(f"created {path}")
    if done.git_initialized:
        typer.echo(f"initialized a git repository in {done.root}")
    typer.echo(
        f"next: edit {directory / 'goals' / 'goals.yaml'}, run smartgoals status, "
        "and commit the new files (git add . && git commit -m 'Start a goal ledger')"
    )


@app.command()
def schema(
    check_only: Annotated[
        bool, typer.Option("--check", help="Exit 1 if schemas/*.json differ from the models.")
    ] = False,
) -> None:
    """Write schemas/*.json (JSON Schema for goal files and settings) from the models.

    Editors use them for completion and validation through the $schema comment at the top of
    each goal file.

    Example: smartgoals schema --check
    """
    from .schemafiles import stale_schemas, write_schemas

    root = _root()
    if check_only:
        stale = stale_schemas(root)
        for name in stale:
            typer.echo(f"{name} is out of date: run smartgoals schema", err=True)
        if stale:
            raise typer.Exit(EXIT_INVALID)
        typer.echo("schemas are up to date")
        return
    written = write_schemas(root)
    for path in written:
        typer.echo(f"wrote {path.relative_to(root).as_posix()}")
    if not written:
        typer.echo("schemas are up to date")


def main() -> None:
    """Entry point for the smartgoals script."""
    app()
