"""The commands that read the ledger and show it: status, show, explain, risks, due, metrics,
chart, history and diff. Each parses, calls its command function and hands the view to
output.show in the format asked for."""

from collections.abc import Callable
from typing import Annotated

import typer

from smartgoals.cli.options import (
    AreaFilter,
    AsOf,
    DiffChoice,
    Format,
    GoalArgument,
    GoalFilter,
    Json,
    MetricArgument,
    OutputFormat,
    OwnerFilter,
    Sort,
    StatusFilter,
    TreeChoice,
    chosen_format,
    complete_goal,
    complete_revision,
    complete_status,
    context_of,
    format_option,
    today,
)
from smartgoals.cli.output import show as show_view
from smartgoals.cli.output import warn, warn_shallow

Rev = Annotated[
    str | None,
    typer.Option(
        "--rev",
        metavar="REV",
        help="Evaluate the ledger as committed at this git revision (read from git, nothing "
        "is checked out); --as-of defaults to that commit's date, or for a closed period's "
        "tag (goals/2026-Q4) to the period's last day.",
        autocompletion=complete_revision,
    ),
]
FailOn = Annotated[
    list[str] | None,
    typer.Option(
        "--fail-on",
        metavar="STATUS[,STATUS...]",
        help="Exit 4 when any target shown has one of these statuses (a CI gate; e.g. "
        "missed,off_track,breached). Problems in the ledger still exit 1.",
        autocompletion=complete_status,
    ),
]
Goals = Annotated[
    bool,
    typer.Option(
        "--goals",
        "--compact",
        help="One line per goal: its status, its score, its worst target and why (with "
        "--format json, the same rows as data).",
    ),
]
Wide = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="Every column at its full width, whatever the terminal's width (and the Trend "
        "column when piped).",
    ),
]
DiffFormat = Annotated[
    DiffChoice | None,
    format_option(
        OutputFormat.TEXT,
        help="text, md (a reviewer's summary for a pull request: targets added, removed, eased "
        "with their reason or none, tightened; the verdicts and forecasts the change moves; rows "
        "appended or corrected), github (eased targets without a reason as ::error "
        "file=...,line=...:: workflow commands, then the text) or json.",
    ),
]
ForecastColumn = Annotated[
    bool,
    typer.Option(
        "--forecast",
        help="Add an ETA/slack column: when each dated target is reached at its recent rate, "
        "and how many days before (+) or after (-) its due.",
    ),
]


def status(
    ctx: typer.Context,
    as_of: AsOf = None,
    goal: GoalFilter = None,
    area: AreaFilter = None,
    owner: OwnerFilter = None,
    rev: Rev = None,
    status_filter: StatusFilter = None,
    fail_on: FailOn = None,
    sort: Sort = "area",
    compact: Goals = False,
    wide: Wide = False,
    forecast: ForecastColumn = False,
    tree_view: Annotated[
        bool,
        typer.Option(
            "--tree", help="The goals as the tree of contributes_to: (= smartgoals tree)."
        ),
    ] = False,
    output_format: Format = None,
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
    Example: smartgoals status --goals
    Example: smartgoals status --area Revenue --as-of 2026-Q3
    Example: smartgoals status --status off_track,missed --sort severity
    Example: smartgoals status --rev HEAD~10
    Example: smartgoals status --forecast
    Example: smartgoals status --fail-on missed,off_track,breached
    Example: smartgoals status --tree
    """
    from smartgoals.commands.status import status as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    if tree_view:
        from smartgoals.commands.tree import tree as run_tree

        show_view(run_tree(context_of(ctx).root(), today(), as_of), chosen)
    context = context_of(ctx)
    root = context.root()
    # forecasts and check-ins cost reading more: only the JSON form shows them
    detailed = chosen == OutputFormat.JSON
    view = run(
        root,
        today(),
        as_of,
        goal or (),
        area,
        owner,
        rev,
        status_filter or (),
        str(sort),
        compact,
        fail_on=fail_on or (),
        forecast=detailed,
        forecast_column=forecast,
        checkins=detailed,
    )
    if rev is not None:  # (when the revision is beyond the clone, the error has said so)
        warn_shallow(root)
    if view.fail_on and not view.problems:
        from smartgoals.engine.gate import failing_targets

        warn(
            f"fail-on: {goal_id} / {metric_id} is {word}"
            for goal_id, metric_id, word in failing_targets(view.evaluation, view.fail_on)
        )
    show_view(view, chosen, context, root, wide)


def diff(
    ctx: typer.Context,
    a: Annotated[
        str,
        typer.Argument(
            metavar="A",
            help="A revision. Default: HEAD.",
            show_default=False,
            autocompletion=complete_revision,
        ),
    ] = "HEAD",
    b: Annotated[
        str | None,
        typer.Argument(
            metavar="B",
            help="A revision. Default: the working tree.",
            autocompletion=complete_revision,
        ),
    ] = None,
    as_of: AsOf = None,
    all_items: Annotated[
        bool, typer.Option("--all", help="List unchanged statuses and metrics too.")
    ] = False,
    exit_code: Annotated[
        bool,
        typer.Option("--exit-code", help="Exit 1 when there are differences, like git diff."),
    ] = False,
    require_reason: Annotated[
        bool,
        typer.Option(
            "--require-reason",
            help="Exit 1 when a target was eased without a reason: added or changed on it or "
            "its rungs, naming each (for pull requests).",
        ),
    ] = False,
    output_format: DiffFormat = None,
    json_output: Json = False,
) -> None:
    """What a change did: goals, targets (eased ones flagged), observations and statuses.

    Both sides are judged at the same date (default: today), so the difference shows what the
    change itself did.

    \b
    Example: smartgoals diff HEAD~5 --exit-code
    Example: smartgoals diff origin/main HEAD --require-reason
    Example: smartgoals diff origin/main HEAD --format md >> "$GITHUB_STEP_SUMMARY"
    """
    from smartgoals.commands.diff import diff as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    root = context_of(ctx).root()
    forecasts = chosen in (OutputFormat.MD, OutputFormat.JSON)
    github = chosen == OutputFormat.GITHUB
    view = run(root, today(), a, b, as_of, all_items, exit_code, require_reason, forecasts, github)
    if view.require_reason and not github:
        warn(
            f"error: {change.goal} / {change.metric.id} was eased without a reason "
            "(add reason: to the target or the rung)"
            for change in view.unreasoned
        )
    show_view(view, chosen)


def history(
    ctx: typer.Context,
    metric: MetricArgument,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only observations from DATE on (2026-11-01, 2026-11, -30d, last-monday).",
        ),
    ] = None,
    output_format: Format = None,
    json_output: Json = False,
) -> None:
    """Every observation of a metric: its change, note, and who recorded it in which commit.

    Below, each commit that changed a target of the metric. Outside git the observations are
    still listed, and the reason the rest is missing is said.

    \b
    Example: smartgoals history mrr --since 2026-01
    """
    from smartgoals.commands.history import history as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    root = context_of(ctx).root()
    view = run(root, metric, since, today())
    warn_shallow(root)
    show_view(view, chosen)


def chart(
    ctx: typer.Context,
    metric: MetricArgument,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="Only observations from DATE on.")
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--goal",
            metavar="ID",
            help="Draw this goal's target on the metric (default: the first goal targeting it).",
            autocompletion=complete_goal,
        ),
    ] = None,
    as_of: AsOf = None,
    output_format: Format = None,
    json_output: Json = False,
) -> None:
    """A metric's observations as a chart in the terminal, with its target line, sized to the
    terminal (Unicode braille; ASCII when the output is not UTF-8).

    \b
    Example: smartgoals chart mrr --since 2026-01
    """
    from smartgoals.commands.chart import chart as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    context = context_of(ctx)
    view = run(context.root(), today(), metric, since, goal, as_of)
    show_view(view, chosen, context)


def tree(
    ctx: typer.Context,
    as_of: AsOf = None,
    output_format: Annotated[
        TreeChoice | None,
        format_option(
            OutputFormat.TEXT,
            help="text (for people), md (a Mermaid flowchart for Markdown) or json.",
        ),
    ] = None,
    json_output: Json = False,
) -> None:
    """Show the goals as a tree: each goal under the goals it contributes to (contributes_to:),
    with its status and score (rolled up with rollup: children or both), then the goals that
    roll up their children but have none, and the goals outside every tree.

    \b
    Example: smartgoals tree
    Example: smartgoals tree --format md >> reports/alignment.md
    """
    from smartgoals.commands.tree import tree as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    show_view(run(context_of(ctx).root(), today(), as_of), chosen)


def risks(
    ctx: typer.Context, as_of: AsOf = None, output_format: Format = None, json_output: Json = False
) -> None:
    """Show every risk: whether its trigger fires, the values that decided it, its actions.

    A risk whose inputs have no data is not triggered; the missing inputs are named.

    \b
    Example: smartgoals risks --as-of 2026-Q3
    """
    from smartgoals.commands.risks import risks as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    show_view(run(context_of(ctx).root(), today(), as_of), chosen)


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
    output_format: Format = None,
    json_output: Json = False,
) -> None:
    """What needs a person now: metrics whose cadence lapsed, review checkpoints without a
    check-in in their period, risks triggered since the last check-in.

    Exits 0 when nothing is due and 1 when something is, for cron jobs and shell prompts.

    \b
    Example: smartgoals due
    Example: smartgoals due --within 7 --json
    """
    from smartgoals.commands.due import due_view

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    context = context_of(ctx)
    root = context.root()
    show_view(due_view(root, today(), as_of, within), chosen, context, root)


def metrics(ctx: typer.Context, output_format: Format = None, json_output: Json = False) -> None:
    """List every metric: id, name, unit, cadence, and its latest value with its date.

    \b
    Example: smartgoals metrics --json
    """
    from smartgoals.commands.metrics import metrics as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    context = context_of(ctx)
    root = context.root()
    show_view(run(root), chosen, context, root)


def show(
    ctx: typer.Context,
    goal: GoalArgument,
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
    output_format: Format = None,
    json_output: Json = False,
) -> None:
    """Show one goal as a SMART card: its texts, owner, dates, and each target's status and values.

    \b
    Example: smartgoals show early-adopters
    """
    from smartgoals.commands.show import show as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    show_view(run(context_of(ctx).root(), today(), goal, as_of, recent), chosen)


def explain(
    ctx: typer.Context,
    goal: Annotated[str, typer.Argument(metavar="GOAL", help="The goal id.")],
    metric: Annotated[
        str | None,
        typer.Argument(
            metavar="[METRIC]", help="Only the target(s) of this metric. Default: every target."
        ),
    ] = None,
    as_of: AsOf = None,
    output_format: Format = None,
    json_output: Json = False,
) -> None:
    """Show every step that produced a status: observations, baseline, window, expected value,
    progress, band, the rule that decided it, and the forecast fit.

    \b
    Example: smartgoals explain lightning-revenue mrr --as-of 2026-Q3
    """
    from smartgoals.commands.explain import explain as run

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    context = context_of(ctx)
    root = context.root()
    show_view(run(root, today(), goal, metric, as_of), chosen, context, root)


# (command name, its place in --help's order, wrapper): read by app.py's table of commands
COMMANDS: tuple[tuple[str, int, Callable[..., None]], ...] = (
    ("status", 1, status),
    ("diff", 2, diff),
    ("history", 3, history),
    ("chart", 5, chart),
    ("risks", 6, risks),
    ("due", 7, due),
    ("metrics", 14, metrics),
    ("show", 15, show),
    ("explain", 16, explain),
    ("tree", 24, tree),  # after the others: the places above are taken
)
