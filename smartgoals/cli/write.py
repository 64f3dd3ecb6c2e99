"""The commands that write: log, checkin, undo, import, pull, init and sync. Each parses, asks
what only a person can answer (in a terminal), calls its command function and shows what was
written."""

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from smartgoals.cli.options import (
    DryRun,
    Json,
    OutputFormat,
    TreeChoice,
    chosen_format,
    complete_log_item,
    complete_metric,
    context_of,
    format_option,
    today,
)
from smartgoals.cli.output import show, warn


def confirmer() -> Any:
    """A yes/no question on the terminal (default no), or None when stdin or stderr is not
    one: then nothing can be asked."""
    try:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            return None
    except (AttributeError, ValueError):
        return None

    def confirm(question: str) -> bool:
        from smartgoals.safetext import clean

        return bool(typer.confirm(clean(question), default=False, err=True))

    return confirm


LogItems = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="METRIC VALUE | METRIC=VALUE...",
        help="One value (mrr 1200), or several (mrr=1200 mau=8.1k), recorded in one commit. "
        "A value is 1200, 5k, $5,000, 60%, 5:1, 200ms, or a stage name.",
        show_default=False,
        autocompletion=complete_log_item,
    ),
]
LogDate = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        metavar="DATE",
        help="The day it was measured (2026-11-22, today, yesterday, -3d, -2w, last-friday). "
        "Default: today.",
    ),
]
Note = Annotated[
    str,
    typer.Option("--note", "-n", metavar="TEXT", help="A one-line note kept with the value."),
]
LogSource = Annotated[
    str | None,
    typer.Option(
        "--from",
        metavar="FILE",
        help="Read date,metric,value,note rows from FILE (- for standard input): all checked "
        "first, then one append and one commit, or nothing.",
    ),
]
Strict = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse an implausible value (a jump over 10x, a sign change, 0.48 for 48%) "
        "instead of asking or warning.",
    ),
]
Correct = Annotated[
    bool,
    typer.Option(
        "--correct",
        help="Correct the value already recorded on --date (a marked row that replaces it; "
        "no line is rewritten).",
    ),
]
NoCommit = Annotated[
    bool, typer.Option("--no-commit", help="Append to goals/log.csv but do not commit.")
]


def log(
    ctx: typer.Context,
    items: LogItems = None,
    date: LogDate = None,
    note: Note = "",
    source: LogSource = None,
    strict: Strict = False,
    correct: Correct = False,
    no_commit: NoCommit = False,
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
    from smartgoals.commands.log import log as run

    root = context_of(ctx).root()
    view = run(
        root,
        today(),
        items or (),
        date,
        note,
        commit=not no_commit,
        source=source,
        strict=strict,
        correct=correct,
        confirm=confirmer(),
    )
    from smartgoals.rendering.terminal import drop_stdout

    warn(view.warnings, "warning: ")
    try:
        show(view)
    except BrokenPipeError:  # the value is recorded: a reader that went away changes nothing
        drop_stdout()
        raise typer.Exit(view.exit_code) from None


def checkin(
    ctx: typer.Context,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            "--goal",
            "-g",
            metavar="ID",
            help="Every logged metric of this goal, and the inputs of its derived targets "
            "(repeatable).",
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every metric a goal targets, due or not.")
    ] = False,
) -> None:
    """An interactive check-in: a value for each due metric (or each metric of the chosen
    goals; a derived target asks for the logged inputs of its formula), then a confidence and
    a note per goal touched, all in one commit.

    Values are read as log reads them (an error is shown and the value asked again; Enter
    skips). Confidence (on_track, at_risk, off_track) and notes go to goals/checkins.csv. Ctrl-C
    at any point writes nothing. Needs a terminal: elsewhere use smartgoals log --from FILE.

    \b
    Example: smartgoals checkin
    Example: smartgoals checkin --goal lightning-revenue
    """
    from smartgoals.errors import InvalidInputError

    try:
        tty = sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        raise InvalidInputError(
            "checkin needs a terminal to ask its questions; without one, record values with "
            "smartgoals log METRIC=VALUE ... or smartgoals log --from FILE"
        )
    from smartgoals.cli.prompts import interview
    from smartgoals.commands.checkin import plan, record
    from smartgoals.rendering.terminal import console

    context = context_of(ctx)
    root = context.root()
    questions = plan(root, today(), goal or (), every)
    from smartgoals.rendering import display_for

    try:
        answers = interview(questions, console(color=display_for(color=context.color).color))
    except EOFError:  # Ctrl-D at a prompt: the user's way out, as Ctrl-C is
        from smartgoals.rendering.terminal import echo

        echo("\nerror: end of input (Ctrl-D); nothing was recorded", err=True)
        raise typer.Exit(130) from None
    if answers is None:
        raise InvalidInputError("check-in not confirmed; nothing was written")
    show(record(root, questions, *answers))


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
    from smartgoals.commands.undo import plan, preview_lines
    from smartgoals.commands.undo import undo as run
    from smartgoals.errors import InvalidInputError

    root = context_of(ctx).root()
    found = plan(root)
    if not yes:
        confirm = confirmer()
        if confirm is None:
            raise InvalidInputError(
                "undo: not a terminal, so it cannot ask; run smartgoals undo --yes to undo "
                f"{found.commit.short} ({found.commit.message})"
            )
        warn(preview_lines(found))
        if not confirm("Append these rows and commit?"):
            raise InvalidInputError("undo: not confirmed; nothing was written")
    view = run(root, found)
    warn(view.warnings, "warning: ")
    show(view)


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            metavar="DIR", help="Where to create the ledger. Default: here.", show_default=False
        ),
    ] = Path("."),
    team: Annotated[
        bool,
        typer.Option(
            "--team",
            help="A ledger for several people: each logs to goals/log.d/<email>.csv "
            "(journal: log.d/{user}.csv in smartgoals.yaml), so pull requests never conflict.",
        ),
    ] = False,
) -> None:
    """Create a new ledger: a commented starter goal file, an empty journal, schemas and git.

    When DIR is not inside a repository, runs git init and commits the new files (as the
    identity git is configured with); inside one, stages nothing and prints what to commit.
    Marks goals/log.csv and goals/log.d/*.csv merge=union in .gitattributes so that appends
    from two branches merge without conflicts.

    \b
    Example: smartgoals init ~/company && cd ~/company && smartgoals status
    Example: smartgoals init --team ~/company
    """
    from smartgoals.commands.init import init as run

    show(run(directory, today(), team))


def sync(
    ctx: typer.Context,
    no_push: Annotated[
        bool, typer.Option("--no-push", help="Only bring the upstream's commits in; no push.")
    ] = False,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="Merge the upstream in (a merge commit) instead of rebasing."),
    ] = False,
) -> None:
    """Share the ledger: fetch, rebase onto the upstream, check, push.

    The journal is merged with git's union driver, so rows logged on both sides are all kept.
    A conflict in a goal file is aborted (nothing changes) and named; problems in the merged
    ledger stop the push (exit 1).

    \b
    Example: smartgoals sync
    Example: smartgoals sync --no-push
    """
    from smartgoals.commands.sync import sync as run

    show(run(context_of(ctx).root(), push_changes=not no_push, merge=merge))


def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="A CSV or JSON file exported by another tool."),
    ],
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            metavar="RULES",
            help="The rules file (YAML). Default: FILE.rules.yaml beside FILE, else the "
            "ledger's importers/*.yaml whose match: fits FILE's name.",
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            "--preset",
            metavar="NAME",
            help="Rules shipped with smartgoals: plausible, linkedin, stripe-balance, "
            "stripe-subscriptions.",
        ),
    ] = None,
    dry_run: DryRun = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Append a correction where the file has a different value for a day that "
            "already has one (else it is only reported).",
        ),
    ] = False,
) -> None:
    """Import values from a CSV or JSON export (Plausible, LinkedIn, Stripe, or your own rules).

    Rows are mapped by the rules to one value per metric and day (or week, month); values
    already in the journal are skipped, so importing the same file again appends nothing. Every
    row is checked first: on any invalid row nothing is written and every problem is listed
    with its row number. Then one append and one commit.

    \b
    Example: smartgoals import visitors.csv --preset plausible
    Example: smartgoals import balance.csv --rules importers/stripe.yaml --dry-run
    """
    from smartgoals.commands.importing import import_file

    root = context_of(ctx).root()
    view = import_file(root, today(), file, rules, preset, dry_run, update)
    show(view)


def pull(
    ctx: typer.Context,
    metrics: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[METRIC]...",
            help="Only these metrics. Default: every metric whose source: declares an adapter.",
            show_default=False,
            autocompletion=complete_metric,
        ),
    ] = None,
    dry_run: DryRun = False,
    allow_commands: Annotated[
        bool,
        typer.Option(
            "--allow-commands",
            help="Run the sources that run a program (hledger, beancount, command) this once, "
            "as if the ledger were listed under allow_commands: in the user's config.",
        ),
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Append a correction where a source now gives a different value for a day "
            "that already has one (else it is only reported).",
        ),
    ] = False,
) -> None:
    """Read the declared sources (source: {json: ..., path: ...}, csv, sqlite, hledger,
    beancount, command) and append what is new, in one commit.

    Values already in the journal are skipped, so pulling unchanged sources appends nothing.
    Any problem and nothing is written. Sources that run a program run only when this ledger
    is allowed in ~/.config/smartgoals/config.yaml (allow_commands:) or with --allow-commands.

    \b
    Example: smartgoals pull
    Example: smartgoals pull linkedin_followers --dry-run
    """
    from smartgoals.commands.pull import pull as run

    root = context_of(ctx).root()
    show(run(root, today(), metrics or (), dry_run, allow_commands, update))


def close(
    ctx: typer.Context,
    period: Annotated[
        str,
        typer.Argument(
            metavar="PERIOD", help="The period to close: 2026-Q4, 2026-11, 2026-H2, 2026-W48, 2026."
        ),
    ],
    grades: Annotated[
        str | None,
        typer.Option(
            "--grades",
            metavar="FILE",
            help="People's grades: CSV (goal,grade,note,reason) or YAML; a grade that differs "
            "from the computed one needs a reason.",
        ),
    ] = None,
    roll_over: Annotated[
        str | None,
        typer.Option(
            "--roll-over",
            metavar="FILE",
            help="Write a new goal file (goals/NAME.yaml) with the targets due in the period "
            "and not reached, due at the end of the next period.",
        ),
    ] = None,
    amend: Annotated[
        bool,
        typer.Option(
            "--amend",
            help="The period is closed: append rows that supersede its grades (no new tag).",
        ),
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Accept the computed grades; ask nothing.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")
    ] = False,
    output_format: Annotated[
        TreeChoice | None,
        format_option(OutputFormat.TEXT, help="text (for people), md (Markdown) or json."),
    ] = None,
    json_output: Json = False,
) -> None:
    """Close a period: grade every goal active in it at its last day, append the grades to
    reviews/PERIOD.csv, start reports/notes/PERIOD.md, list its calibration, and make one
    commit tagged goals/PERIOD.

    Grades are bands of the clamped score (A >= 0.9, B >= 0.7, C >= 0.4, D below, n/a without
    a score). In a terminal each goal's grade and note are asked (Enter keeps the computed
    grade); --grades FILE gives them; --yes, or no terminal, keeps the computed ones. A period
    already closed is refused (exit 1) unless --amend.

    \b
    Example: smartgoals close 2026-Q4 --roll-over goals/2027-q1.yaml
    Example: smartgoals close 2026-11 --grades grades.csv --dry-run
    """
    from smartgoals.commands.close import close as run
    from smartgoals.commands.close import plan_close, read_grades

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    root = context_of(ctx).root()
    plan = plan_close(root, today(), period, roll_over, amend)
    human = read_grades(Path(grades)) if grades else {}
    if grades is None and not yes and not dry_run and confirmer() is not None:
        from smartgoals.cli.prompts import grade_interview
        from smartgoals.rendering.terminal import console

        asked = grade_interview(plan, console(stderr=True))
        if asked is None:
            raise typer.Exit(1)
        human = asked
    view = run(root, today(), plan, human, dry_run, grades or "--grades")
    warn(view.warnings)
    show(view, chosen)


# (command name, its place in --help's order, wrapper): read by app.py's table of commands
COMMANDS: tuple[tuple[str, int, Callable[..., None]], ...] = (
    ("log", 8, log),
    ("checkin", 9, checkin),
    ("undo", 10, undo),
    ("init", 17, init),
    ("sync", 19, sync),
    ("import", 21, import_),
    ("pull", 22, pull),
    ("close", 25, close),  # after tree: the places above are taken
)
