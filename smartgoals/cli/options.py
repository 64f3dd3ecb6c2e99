"""The options shared by several commands, declared once: the global context, the one output
format option (and its --json alias), dates, filters, and their shell completion."""

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from smartgoals.record import Record

ColorChoice = Literal["auto", "always", "never"]
SortChoice = Literal["area", "severity", "due"]


class Context(Record):
    """Global options, kept in Typer's context (ctx.obj) for the command that runs."""

    directory: str | None
    color: str = "auto"  # --color auto|always|never (terminal.color_enabled)
    no_pager: bool = False  # --no-pager

    def root(self) -> Path:
        from smartgoals.files import find_root

        return find_root(explicit=self.directory)


def context_of(ctx: typer.Context) -> Context:
    found = ctx.find_object(Context)
    return found if found is not None else Context(None)


def today() -> dt.date:
    return dt.date.today()


# --- the one output option -----------------------------------------------------------------


class OutputFormat(StrEnum):
    """Every format a command can print; each command offers the members that make sense for it."""

    TEXT = "text"  # for people: a table in a terminal, plain lines when piped
    JSON = "json"  # for programs
    MD = "md"  # GitHub-flavoured Markdown
    HTML = "html"  # one self-contained page
    CSV = "csv"  # spreadsheet-safe rows
    GITHUB = "github"  # GitHub Actions workflow commands (check, diff)


# The choices each command offers, all values of OutputFormat (a test holds them to it).
TextChoice = Literal["text", "json"]
ReportChoice = Literal["text", "md", "html", "json"]
ChartsChoice = Literal["default", "all", "none"]
ExportChoice = Literal["text", "csv", "json"]
CheckChoice = Literal["text", "github", "json"]
TreeChoice = Literal["text", "md", "json"]
DiffChoice = Literal["text", "md", "github", "json"]


def format_option(default: OutputFormat, help: str) -> Any:
    """`--format`, its choices from the parameter's Literal; the default is said in the help and
    not given to Typer, so that --json can tell a format the user gave from the default."""
    return typer.Option(
        "--format", metavar="FORMAT", show_default=False, help=f"{help} Default: {default.value}."
    )


def chosen_format(value: str | None, json_output: bool, default: OutputFormat) -> OutputFormat:
    """The format asked for: --json is --format json; with another --format, a usage error."""
    if json_output:
        if value is not None and value != OutputFormat.JSON:
            raise typer.BadParameter(f"--format {value} and --json exclude each other")
        return OutputFormat.JSON
    return OutputFormat(value) if value is not None else default


TEXT_OR_JSON = "text (for people) or json (for programs)."
Format = Annotated[TextChoice | None, format_option(OutputFormat.TEXT, help=TEXT_OR_JSON)]
Json = Annotated[
    bool,
    typer.Option(
        "--json", help="Print JSON for programs instead of text for people (= --format json)."
    ),
]

# --- shell completion: candidates from the definitions cache (completion.py) -----------------


def _directory(ctx: typer.Context) -> str | None:
    """-C as typed on the command line being completed (no callback has run yet)."""
    value = ctx.find_root().params.get("directory")
    return value if isinstance(value, str) else None


def complete_goal(ctx: typer.Context) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import goal_ids

    return goal_ids(_directory(ctx))


def complete_metric(ctx: typer.Context) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import metric_ids

    return metric_ids(_directory(ctx))


def complete_log_item(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """log's words: a metric id; after `log METRIC `, its stage names; in `METRIC=`, the
    stage names of that metric, written whole (`mvp=launched`)."""
    from smartgoals.cli.completion import metric_ids, stages

    directory = _directory(ctx)
    if "=" in incomplete:
        metric, _, _ = incomplete.partition("=")
        return [
            (f"{metric}={name}", help_text)
            for name, help_text in stages(directory, metric)
            if f"{metric}={name}".startswith(incomplete)
        ]
    typed = ctx.params.get("items") or []
    if len(typed) % 2 == 1 and "=" not in typed[-1]:  # `log mvp <TAB>`: the value of mvp
        return stages(directory, typed[-1])
    return metric_ids(directory, recorded=True)


def complete_area(ctx: typer.Context) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import areas

    return areas(_directory(ctx))


def complete_owner(ctx: typer.Context) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import owners

    return owners(_directory(ctx))


def complete_status(incomplete: str) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import status_words

    return status_words(incomplete)


def complete_revision(ctx: typer.Context) -> list[tuple[str, str]]:
    from smartgoals.cli.completion import revisions

    return revisions(_directory(ctx))


# --- dates, filters and arguments used by several commands --------------------------------------

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Evaluate at this date (2026-11-22, 2026-11, 2026-Q3, 2026, today, yesterday, -3d, "
        "last-friday). Default: today.",
    ),
]
ReportPeriod = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="current|last",
        help="last (default): the last period finished; current: the period to date (as an "
        "--as-of inside a period does).",
    ),
]
GoalFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--goal",
        "-g",
        metavar="ID",
        help="Only this goal (repeatable).",
        autocompletion=complete_goal,
    ),
]
AreaFilter = Annotated[
    str | None,
    typer.Option(metavar="AREA", help="Only goals in this area.", autocompletion=complete_area),
]
Charts = Annotated[
    ChartsChoice,
    typer.Option(
        "--charts",
        metavar="WHICH",
        help="Charts in an HTML report: default (the headline metrics and the exceptions), all "
        "(every target, grouped by goal) or none.",
    ),
]
OwnerFilter = Annotated[
    str | None,
    typer.Option(
        metavar="OWNER", help="Only goals with this owner.", autocompletion=complete_owner
    ),
]
StatusFilter = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        "-s",
        metavar="STATUS[,STATUS...]",
        help="Only targets with these statuses, under their goals (repeatable; e.g. "
        "off_track,missed).",
        autocompletion=complete_status,
    ),
]
Sort = Annotated[
    SortChoice,
    typer.Option(
        "--sort",
        metavar="KEY",
        show_default=False,
        help="area (grouped by area, in file order), severity (worst first) or due "
        "(soonest first). Default: area.",
    ),
]
MetricArgument = Annotated[
    str,
    typer.Argument(metavar="METRIC", help="The metric id.", autocompletion=complete_metric),
]
GoalArgument = Annotated[
    str, typer.Argument(metavar="GOAL", help="The goal id.", autocompletion=complete_goal)
]
Output = Annotated[
    str | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (replaced whole)."),
]
DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Print the rows that would be appended; write nothing."),
]
