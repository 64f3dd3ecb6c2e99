"""The commands that make a document to keep or hand on: report (Markdown, HTML, JSON), export
(CSV, JSON) and calendar (iCalendar), to standard output or, with -o, to a file replaced whole
(output.deliver)."""

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
        typer.Argument(help="The period: the week, month or quarter that ends at the as-of date."),
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
    request = ReportRequest(str(kind), as_of, since, goal or (), area, str(charts))
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
) -> None:
    """Export observations or every target's status as CSV or JSON, for spreadsheets and other
    tools.

    Observations are those dated on or before --as-of; status is evaluated at --as-of.

    \b
    Example: smartgoals export > observations.csv
    Example: smartgoals export --what status --as-of 2026-Q3 --format json
    """
    from smartgoals.commands.export import export as run

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
