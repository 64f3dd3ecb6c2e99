"""The command line: the one front end. Typer parses, dispatches to a command function (in
commands/, which never imports Typer), hands its view to rendering, and turns every failure into
one line and a documented exit code, here and nowhere else.

Only Typer is imported at start-up; each command imports what it needs when it runs.
"""

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from . import __version__


class ColorChoice(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class SortChoice(StrEnum):
    AREA = "area"
    SEVERITY = "severity"
    DUE = "due"


class Context(NamedTuple):
    """Global options, kept in Typer's context (ctx.obj) for the command that runs."""

    directory: str | None
    color: str = "auto"  # --color auto|always|never (terminal.color_enabled)
    no_pager: bool = False  # --no-pager

    def root(self) -> Path:
        from .files import find_root

        return find_root(explicit=self.directory)


def report_failure(exc: BaseException) -> int:
    """A command's failure as one line on stderr (none for a closed pipe); its exit code.

    With SMARTGOALS_DEBUG set, a bug of ours is re-raised for its traceback.
    """
    import contextlib
    import os

    from .errors import EXIT_ENVIRONMENT, EXIT_INTERNAL, error_line
    from .rendering.terminal import drop_stdout, echo

    if isinstance(exc, BrokenPipeError):  # the reader went away (| head): nothing to tell it
        drop_stdout()
        return EXIT_ENVIRONMENT
    line, code = error_line(exc)
    if code == EXIT_INTERNAL and os.environ.get("SMARTGOALS_DEBUG"):
        raise exc
    with contextlib.suppress(OSError):  # stderr is gone too: the exit code still tells
        echo(line, err=True)
    return code


class _Group(TyperGroup):
    """The one error funnel: our errors become one line on stderr and an exit code."""

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
    "\b\nExample: smartgoals log mrr 1200 && smartgoals status",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Evaluate at this date (2026-11-22, 2026-11, 2026-Q3, 2026, today, yesterday). "
        "Default: today.",
    ),
]
Json = Annotated[
    bool, typer.Option("--json", help="Print JSON for programs instead of text for people.")
]


def _today() -> dt.date:
    return dt.date.today()


def _pager(context: Context, root: Path | None) -> list[str] | None:
    """The pager to run, git's way (terminal.pager_command): never when piped, with --no-pager
    or with `pager: false` in smartgoals.yaml."""
    import os
    import sys

    from .terminal import pager_command

    try:
        tty = sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty or context.no_pager:
        return None
    enabled = True
    if root is not None:
        from .definitions import read_settings

        enabled = read_settings(root).pager
    return pager_command(os.environ, enabled, context.no_pager, tty)


def _show(
    view: Any,
    json_output: bool = False,
    context: Context | None = None,
    root: Path | None = None,
    wide: bool = False,
) -> None:
    """Problems first (stderr), then the view in the format the output calls for (through the
    pager when it is taller than the terminal); the exit code."""
    from .rendering import choose_format, display_for, emit
    from .rendering.terminal import echo

    context = context or Context(None)
    for problem in getattr(view, "problems", ()):
        echo(str(problem), err=True)
    display = display_for(color=context.color, wide=wide)
    pager = None if json_output else _pager(context, root)
    emit(view, choose_format(json_output, color=context.color), display, pager)
    raise typer.Exit(view.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"smartgoals {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
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
    color: Annotated[
        ColorChoice,
        typer.Option(
            "--color",
            metavar="WHEN",
            show_default=False,
            help="Colour: auto (a terminal, unless NO_COLOR is set; FORCE_COLOR or "
            "CLICOLOR_FORCE force it), always or never. Default: auto.",
        ),
    ] = ColorChoice.AUTO,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Never page output (else output taller than the terminal goes through "
            "$SMARTGOALS_PAGER, $PAGER or less -FRX, unless smartgoals.yaml says pager: false).",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """A goal ledger: SMART goals in YAML, values in a CSV journal, git as the database.

    \b
    Example: smartgoals -C ~/company status --area Revenue
    """
    ctx.obj = Context(directory, str(color), no_pager)


def _context(ctx: typer.Context) -> Context:
    found = ctx.find_object(Context)
    return found if found is not None else Context(None)


@app.command()
def status(
    ctx: typer.Context,
    as_of: AsOf = None,
    goal: Annotated[
        list[str] | None,
        typer.Option("--goal", "-g", metavar="ID", help="Only this goal (repeatable)."),
    ] = None,
    area: Annotated[
        str | None, typer.Option(metavar="AREA", help="Only goals in this area.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option(metavar="OWNER", help="Only goals with this owner.")
    ] = None,
    rev: Annotated[
        str | None,
        typer.Option(
            "--rev",
            metavar="REV",
            help="Evaluate the ledger as committed at this git revision (read from git, nothing "
            "is checked out); --as-of defaults to that commit's date.",
        ),
    ] = None,
    status_filter: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            "-s",
            metavar="STATUS[,STATUS...]",
            help="Only targets with these statuses, under their goals (repeatable; e.g. "
            "off_track,missed).",
        ),
    ] = None,
    sort: Annotated[
        SortChoice,
        typer.Option(
            "--sort",
            metavar="KEY",
            show_default=False,
            help="area (grouped by area, in file order), severity (worst first) or due "
            "(soonest first). Default: area.",
        ),
    ] = SortChoice.AREA,
    compact: Annotated[
        bool, typer.Option("--compact", help="One line per goal: score, targets achieved, status.")
    ] = False,
    wide: Annotated[
        bool,
        typer.Option(
            "--wide",
            help="Every column at its full width, whatever the terminal's width (and the Trend "
            "column when piped).",
        ),
    ] = False,
    json_output: Json = False,
) -> None:
    """Show every goal and target: current value, target, what is left, progress, expected
    progress, trend and status.

    Expected is the progress the target should have made by now, at an even pace from its start
    to its due; a target is on track when its progress is at least that. The table fits the
    terminal's width (less important columns narrow, then drop; --wide shows them all); piped,
    each row is one line. Exits 1 when the ledger has problems (they are printed first, on
    stderr).

    \b
    Example: smartgoals status --area Revenue --as-of 2026-Q3
    Example: smartgoals status --status off_track,missed --sort severity
    Example: smartgoals status --rev HEAD~10
    """
    from .commands.status import status as run

    context = _context(ctx)
    root = context.root()
    view = run(
        root,
        _today(),
        as_of,
        goal or (),
        area,
        owner,
        rev,
        status_filter or (),
        str(sort),
        compact,
        checkin_authors=json_output,
    )
    _show(view, json_output, context, root, wide)


@app.command()
def diff(
    ctx: typer.Context,
    a: Annotated[
        str, typer.Argument(metavar="A", help="A revision. Default: HEAD.", show_default=False)
    ] = "HEAD",
    b: Annotated[
        str | None,
        typer.Argument(metavar="B", help="A revision. Default: the working tree."),
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

    \b
    Example: smartgoals diff HEAD~5 --exit-code
    """
    from .commands.diff import diff as run

    root = _context(ctx).root()
    _show(run(root, _today(), a, b, as_of, all_items, exit_code), json_output)


@app.command()
def history(
    ctx: typer.Context,
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="The metric id.")],
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only observations from DATE on.")
    ] = None,
    json_output: Json = False,
) -> None:
    """Every observation of a metric: its change, note, and who recorded it in which commit.

    Below, each commit that changed a target of the metric. Outside git the observations are
    still listed, and the reason the rest is missing is said.

    \b
    Example: smartgoals history mrr --since 2026-01
    """
    from .commands.history import history as run

    _show(run(_context(ctx).root(), metric, since), json_output)


@app.command()
def risks(ctx: typer.Context, as_of: AsOf = None, json_output: Json = False) -> None:
    """Show every risk: whether its trigger fires, the values that decided it, its actions.

    A risk whose inputs have no data is not triggered; the missing inputs are named.

    \b
    Example: smartgoals risks --as-of 2026-Q3
    """
    from .commands.risks import risks as run

    _show(run(_context(ctx).root(), _today(), as_of), json_output)


@app.command()
def due(
    ctx: typer.Context,
    as_of: AsOf = None,
    within: Annotated[
        int,
        typer.Option(
            "--within",
            metavar="DAYS",
            help="Also what falls due within DAYS days. Default: 0 (only what is due now).",
            show_default=False,
        ),
    ] = 0,
    json_output: Json = False,
) -> None:
    """What needs a person now: metrics whose cadence lapsed, review checkpoints without a
    check-in in their period, risks triggered since the last check-in.

    Exits 0 when nothing is due and 1 when something is, for cron jobs and shell prompts.

    \b
    Example: smartgoals due
    Example: smartgoals due --within 7 --json
    """
    from .commands.due import due_view

    context = _context(ctx)
    root = context.root()
    _show(due_view(root, _today(), as_of, within), json_output, context, root)


@app.command(context_settings={"ignore_unknown_options": True})
def log(
    ctx: typer.Context,
    items: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="METRIC VALUE | METRIC=VALUE...",
            help="One value (mrr 1200), or several (mrr=1200 mau=8.1k), recorded in one commit. "
            "A value is 1200, 5k, $5,000, 60%, 5:1, 200ms, or a stage name.",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            metavar="DATE",
            help="The day it was measured (2026-11-22, today, yesterday, -3d, -2w, last-friday). "
            "Default: today.",
        ),
    ] = None,
    note: Annotated[
        str,
        typer.Option("--note", "-n", metavar="TEXT", help="A one-line note kept with the value."),
    ] = "",
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Read date,metric,value,note rows from FILE (- for standard input): all checked "
            "first, then one append and one commit, or nothing.",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse an implausible value (a jump over 10x, a sign change, 0.48 for 48%) "
            "instead of asking or warning.",
        ),
    ] = False,
    correct: Annotated[
        bool,
        typer.Option(
            "--correct",
            help="Correct the value already recorded on --date (a marked row that replaces it; "
            "no line is rewritten).",
        ),
    ] = False,
    no_commit: Annotated[
        bool, typer.Option("--no-commit", help="Append to goals/log.csv but do not commit.")
    ] = False,
) -> None:
    """Record values: append lines to goals/log.csv and commit exactly that file, once.

    Other staged or modified files are never swept into the commit. On any error nothing is
    written: the journal stays byte for byte as it was. An implausible value is asked about in
    a terminal, warned about otherwise (--strict refuses it).

    \b
    Example: smartgoals log mrr 1200 --note "Stripe dashboard"
    Example: smartgoals log mrr=1200 mau=8.1k --date yesterday
    Example: smartgoals log --from values.csv
    Example: smartgoals log mrr 7450 --date 2026-11-01 --correct
    Example: smartgoals log cac -- -5
    """
    from .commands.log import log as run

    root = _context(ctx).root()
    view = run(
        root,
        _today(),
        items or (),
        date,
        note,
        commit=not no_commit,
        source=source,
        strict=strict,
        correct=correct,
        confirm=_confirmer(),
    )
    from .rendering.terminal import drop_stdout, echo
    from .safetext import clean

    for warning in view.warnings:
        echo(clean(f"warning: {warning}"), err=True)
    try:
        _show(view)
    except BrokenPipeError:  # the value is recorded: a reader that went away changes nothing
        drop_stdout()
        raise typer.Exit(view.exit_code) from None


def _confirmer() -> Any:
    """A yes/no question on the terminal (default no), or None when stdin or stderr is not
    one: then nothing can be asked."""
    import sys

    try:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            return None
    except (AttributeError, ValueError):
        return None

    def confirm(question: str) -> bool:
        from .safetext import clean

        return bool(typer.confirm(clean(question), default=False, err=True))

    return confirm


@app.command()
def checkin(
    ctx: typer.Context,
    goal: Annotated[
        list[str] | None,
        typer.Option("--goal", "-g", metavar="ID", help="Every metric of this goal (repeatable)."),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every metric a goal targets, due or not.")
    ] = False,
) -> None:
    """An interactive check-in: a value for each due metric (or each metric of the chosen
    goals), then a confidence and a note per goal touched, all in one commit.

    Values are read as log reads them (an error is shown and the value asked again; Enter
    skips). Confidence (on_track, at_risk, off_track) and notes go to goals/checkins.csv. Ctrl-C
    at any point writes nothing. Needs a terminal: elsewhere use smartgoals log --from FILE.

    \b
    Example: smartgoals checkin
    Example: smartgoals checkin --goal lightning-revenue
    """
    import sys

    from .errors import InvalidInputError

    try:
        tty = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        raise InvalidInputError(
            "checkin needs a terminal to ask its questions; without one, record values with "
            "smartgoals log METRIC=VALUE ... or smartgoals log --from FILE"
        )
    from .commands.checkin import plan, record
    from .rendering.interview import interview
    from .rendering.terminal import console

    context = _context(ctx)
    root = context.root()
    questions = plan(root, _today(), goal or (), every)
    from .rendering import display_for

    answers = interview(questions, console(color=display_for(color=context.color).color))
    if answers is None:
        raise InvalidInputError("check-in not confirmed; nothing was written")
    _show(record(root, questions, *answers))


@app.command()
def undo(
    ctx: typer.Context,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask for confirmation (for scripts).")
    ] = False,
) -> None:
    """Cancel your last log or check-in commit that is not pushed yet, by appending correction
    rows (no line is rewritten or deleted), in one commit.

    Shows what it will append and asks first; without a terminal it needs --yes. Refused
    (exit 1) when there is nothing to undo or the commit was pushed.

    \b
    Example: smartgoals undo
    Example: smartgoals undo --yes
    """
    from .commands.undo import plan, preview_lines
    from .commands.undo import undo as run
    from .errors import InvalidInputError
    from .rendering.terminal import echo
    from .safetext import clean

    root = _context(ctx).root()
    found = plan(root)
    if not yes:
        confirm = _confirmer()
        if confirm is None:
            raise InvalidInputError(
                "undo: not a terminal, so it cannot ask; run smartgoals undo --yes to undo "
                f"{found.commit.short} ({found.commit.message})"
            )
        for line in preview_lines(found):
            echo(clean(line), err=True)
        if not confirm("Append these rows and commit?"):
            raise InvalidInputError("undo: not confirmed; nothing was written")
    view = run(root, found)
    for warning in view.warnings:
        echo(clean(f"warning: {warning}"), err=True)
    _show(view)


@app.command()
def calendar(
    ctx: typer.Context,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the iCalendar file to FILE (replaced whole). Default: standard output.",
        ),
    ] = None,
) -> None:
    """Write an iCalendar file (RFC 5545) with a repeating event per review checkpoint and per
    metric cadence, for a calendar to import or subscribe to.

    \b
    Example: smartgoals calendar -o ~/goals.ics
    """
    import sys

    from .commands.calendar import calendar as run
    from .rendering.terminal import echo

    view = run(_context(ctx).root(), _today(), output)
    for problem in view.problems:
        echo(str(problem), err=True)
    if view.output is None:
        sys.stdout.write(view.text.replace("\r\n", "\n") if sys.stdout.isatty() else view.text)
        sys.stdout.flush()
    else:
        echo(f"wrote {view.output}: {view.events} repeating events")
    raise typer.Exit(view.exit_code)


@app.command()
def check(ctx: typer.Context, json_output: Json = False) -> None:
    """Validate every goal file and journal line, against the schema and each other.

    Prints each problem as path:line:column: field: message. Exits 1 if there is any.

    \b
    Example: smartgoals check
    """
    from .commands.check import check as run

    view = run(_context(ctx).root(), _today())
    from .rendering.terminal import echo
    from .safetext import clean

    for warning in view.warnings:
        echo(clean(f"warning: {warning}"), err=True)
    _show(view, json_output)


@app.command()
def metrics(ctx: typer.Context, json_output: Json = False) -> None:
    """List every metric: id, name, unit, cadence, and its latest value with its date.

    \b
    Example: smartgoals metrics --json
    """
    from .commands.metrics import metrics as run

    context = _context(ctx)
    root = context.root()
    _show(run(root), json_output, context, root)


@app.command()
def show(
    ctx: typer.Context,
    goal: Annotated[str, typer.Argument(metavar="GOAL", help="The goal id.")],
    as_of: AsOf = None,
    recent: Annotated[
        int,
        typer.Option(
            metavar="N",
            help="How many recent values to list per target. Default: 5.",
            min=0,
            show_default=False,
        ),
    ] = 5,
    json_output: Json = False,
) -> None:
    """Show one goal as a SMART card: its texts, owner, dates, and each target's status and values.

    \b
    Example: smartgoals show early-adopters
    """
    from .commands.show import show as run

    _show(run(_context(ctx).root(), _today(), goal, as_of, recent), json_output)


@app.command()
def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Where to create the ledger. Default: here.", show_default=False
        ),
    ] = Path("."),
) -> None:
    """Create a new ledger: a commented starter goal file, an empty journal, schemas and git.

    Runs git init when DIR is not inside a repository, and marks goals/log.csv merge=union in
    .gitattributes so that appends from two branches merge without conflicts.

    \b
    Example: smartgoals init ~/company && cd ~/company && smartgoals status
    """
    from .commands.init import init as run

    _show(run(directory, _today()))


@app.command()
def schema(
    ctx: typer.Context,
    check_only: Annotated[
        bool, typer.Option("--check", help="Exit 1 if schemas/*.json differ from the models.")
    ] = False,
) -> None:
    """Write schemas/*.json (JSON Schema for goal files and settings) from the models.

    Editors use them for completion and validation through the $schema comment at the top of
    each goal file.

    \b
    Example: smartgoals schema --check
    """
    from .commands.schema import schema as run

    _show(run(_context(ctx).root(), check_only))


def main() -> None:
    """Entry point of the smartgoals script and of python -m smartgoals."""
    app()
