"""The commands that make a document to keep or hand on: report (Markdown, HTML, JSON), export
(CSV, JSON) and calendar (iCalendar), to standard output or, with -o, to a file replaced whole
(output.deliver)."""

from collections.abc import Callable
from typing import Annotated, Literal

import typer

from smartgoals.cli.options import (
    AreaFilter,
    AsOf,
    Charts,
    ExportChoice,
    GoalFilter,
    Json,
    Output,
    OutputFormat,
    ReportChoice,
    ReportPeriod,
    chosen_format,
    complete_revision,
    context_of,
    format_option,
    today,
)
from smartgoals.cli.output import deliver, show, warn_shallow

ReportKind = Literal["weekly", "monthly", "quarterly"]
ExportWhat = Literal["observations", "status"]

ReportFormat = Annotated[
    ReportChoice | None,
    format_option(
        OutputFormat.MD,
        help="md (GitHub Markdown; text is the same), html or json. Default: md, or in a "
        "terminal the report drawn for it (paged); --format md gives the Markdown there too.",
    ),
]
ExportFormat = Annotated[
    ExportChoice | None,
    format_option(
        OutputFormat.CSV,
        help="csv (spreadsheet-safe: text that would start a formula gets a leading '; text is "
        "the same) or json.",
    ),
]


def report(
    ctx: typer.Context,
    kind: Annotated[
        ReportKind,
        typer.Argument(help="The period: the last week, month or quarter finished by today."),
    ] = "monthly",
    as_of: AsOf = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="REV|DATE",
            help="Compare with the ledger at this revision, or as committed before this date. "
            "Default: the last commit on or before the previous period's end.",
            autocompletion=complete_revision,
        ),
    ] = None,
    output_format: ReportFormat = None,
    output: Output = None,
    goal: GoalFilter = None,
    area: AreaFilter = None,
    charts: Charts = "default",
    json_output: Json = False,
    period: ReportPeriod = None,
) -> None:
    """A report for the week, the month or the board: a one-page summary (the headline metrics
    against plan and the previous period, goals by status, what changed and why, risks, what needs
    a decision), then the exceptions, then every target grouped by goal.

    \b
    Example: smartgoals report monthly --format html -o report.html
    Example: smartgoals report weekly --since HEAD~20 >> "$GITHUB_STEP_SUMMARY"
    Example: smartgoals report quarterly --format html --charts all -o board.html
    """
    from smartgoals.commands.report import ReportRequest
    from smartgoals.commands.report import report as run
    from smartgoals.rendering import Format, render

    chosen = chosen_format(output_format, json_output, OutputFormat.MD)
    request = ReportRequest(str(kind), as_of, since, goal or (), area, str(charts), period)
    context = context_of(ctx)
    root = context.root()
    view = run(root, today(), request)
    warn_shallow(root)  # the baseline is a commit: it may be beyond the clone's depth
    if output_format is None and not json_output and output in (None, "-") and _terminal():
        from smartgoals.cli.output import show  # a person reads it: for the terminal, paged

        show(view, OutputFormat.TEXT, context, root)
    if chosen == OutputFormat.JSON:
        import json

        text = json.dumps(render(view, Format.JSON), indent=2, ensure_ascii=False) + "\n"
    else:
        text = render(view, Format.HTML if chosen == OutputFormat.HTML else Format.MARKDOWN)
    deliver(view, text, output, root=root)


def _terminal() -> bool:
    import sys

    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def export(
    ctx: typer.Context,
    output_format: ExportFormat = None,
    what: Annotated[
        ExportWhat,
        typer.Option(
            "--what",
            metavar="WHAT",
            show_default=False,
            help="observations (every recorded and derived value, derived ones marked) or status "
            "(every target's evaluated status). Default: observations.",
        ),
    ] = "observations",
    as_of: AsOf = None,
    json_output: Json = False,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="CONNECTION",
            show_default=False,
            help="Write observations, judgements and goals into the tables smartgoals_* of "
            "this database, a connection defined in your own config (connections:) or "
            "$SMARTGOALS_CONNECTION_<NAME>, for dashboards (docs/dashboards.md).",
        ),
    ] = None,
) -> None:
    """Export observations or every target's status as CSV or JSON, for spreadsheets and other
    tools; or, with --to, into your database's tables for dashboards.

    Observations are those dated on or before --as-of; status is evaluated at --as-of.

    \b
    Example: smartgoals export > observations.csv
    Example: smartgoals export --what status --as-of 2026-Q3 --format json
    Example: smartgoals export --to warehouse
    """
    from smartgoals.commands.export import export as run

    if to is not None:
        from smartgoals.commands.export import publish

        chosen = OutputFormat.JSON if json_output else OutputFormat.TEXT
        show(publish(context_of(ctx).root(), today(), to, as_of), chosen)
        return
    chosen = chosen_format(output_format, json_output, OutputFormat.CSV)
    view = run(context_of(ctx).root(), today(), str(what), as_of)
    if chosen == OutputFormat.JSON:
        show(view, chosen)
    from smartgoals.views.exchange import export_csv

    deliver(view, export_csv(view), None, for_terminal=_shown_not_obeyed)


def _shown_not_obeyed(text: str) -> str:
    """In a terminal, control characters in the rows are shown, never obeyed."""
    from smartgoals.safetext import clean

    return "\n".join(clean(line) for line in text.split("\n"))


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
    from smartgoals.commands.calendar import calendar as run

    root = context_of(ctx).root()
    view = run(root, today())
    wrote = f": {view.events} repeating events"
    deliver(
        view,
        view.text,
        output,
        wrote,
        for_terminal=lambda text: text.replace("\r\n", "\n"),
        root=root,
    )


def notify(
    ctx: typer.Context,
    weekly: Annotated[
        bool,
        typer.Option(
            "--weekly",
            help="Send the week's digest instead (goals by status, what needs attention, risks "
            "firing, what is due), once per week.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the notice; send nothing and remember nothing."),
    ] = False,
    json_output: Json = False,
) -> None:
    """Send what changed since the last notice: verdicts that moved, risks that fire or clear,
    check-ins and values due, unexplained variances; nothing when nothing changed.

    Destinations are Apprise URLs (Slack, Teams, Matrix, mailto, json:// webhooks) from your
    own configuration, never the ledger: notify: in ~/.config/smartgoals/config.yaml, or
    $SMARTGOALS_NOTIFY. What was sent is remembered in ~/.local/state/smartgoals/notify/, one
    file per ledger, so a notice never repeats itself. Needs the notify extra
    (pip install 'smartgoals[notify]').

    \b
    Example: smartgoals notify --dry-run
    Example: SMARTGOALS_NOTIFY=slack://TOKEN/CHANNEL smartgoals notify --weekly
    """
    import os

    from smartgoals.commands.notify import check_destinations
    from smartgoals.commands.notify import notify as run
    from smartgoals.commands.report import ReportRequest, report
    from smartgoals.rendering import Format, render

    chosen = OutputFormat.JSON if json_output else OutputFormat.TEXT
    context = context_of(ctx)
    root = context.root()
    urls = check_destinations(root, dry_run, os.environ)
    # what a notice speaks of is the week's report, computed once, read as its JSON
    week = render(
        report(root, today(), ReportRequest("weekly", charts="none", period="current")), Format.JSON
    )
    show(run(root, week, urls, weekly, dry_run), chosen, context)


# (command name, its place in --help's order, wrapper): read by app.py's table of commands
COMMANDS: tuple[tuple[str, int, Callable[..., None]], ...] = (
    ("report", 4, report),
    ("calendar", 11, calendar),
    ("notify", 12, notify),
    ("export", 20, export),
)
