"""The commands about the ledger itself and the tool: check, schema and completion."""

from collections.abc import Callable
from typing import Annotated, Literal

import typer

from smartgoals.cli.options import (
    CheckChoice,
    Json,
    OutputFormat,
    chosen_format,
    context_of,
    format_option,
    today,
)
from smartgoals.cli.output import show, warn, warn_shallow

CheckFormat = Annotated[
    CheckChoice | None,
    format_option(
        OutputFormat.TEXT,
        help="text (path:line:column: message), github (GitHub Actions workflow commands, "
        "::error file=...,line=...,col=...::message, that annotate a pull request's files) "
        "or json.",
    ),
]


History = Annotated[
    str | None,
    typer.Option(
        "--history",
        metavar="RANGE",
        help="Instead: check that every commit of RANGE (BASE..HEAD, as git log takes it) only "
        "appended to the journal (goals/log.csv, goals/log.d/*.csv) and goals/checkins.csv, "
        "against each of its parents; prints path:line: changed in SHA by NAME <EMAIL>: "
        "old -> new (or removed ...) for each row rewritten, and exits 1 if there is any.",
        show_default=False,
    ),
]
RequireSigned = Annotated[
    str | None,
    typer.Option(
        "--require-signed",
        metavar="RANGE",
        help="Instead: check that every commit of RANGE (BASE..HEAD) that changed the journal "
        "or goals/checkins.csv carries a good signature, as git verifies it "
        "(gpg.ssh.allowedSignersFile for SSH keys, the trust database for GnuPG); names each "
        "commit that is unsigned, badly signed or signed by an unknown key, and exits 1 if "
        "there is any.",
        show_default=False,
    ),
]


def check(
    ctx: typer.Context,
    output_format: CheckFormat = None,
    json_output: Json = False,
    history: History = None,
    require_signed: RequireSigned = None,
) -> None:
    """Validate every goal file and journal line, against the schema and each other.

    Prints each problem as path:line:column: field: message. Exits 1 if there is any.
    With --history, checks a range of commits instead: rows are only ever appended; with
    --require-signed, that each commit of a range that changed the journal is signed.

    \b
    Example: smartgoals check
    Example: smartgoals check --format github
    Example: smartgoals check --history origin/main..HEAD
    Example: smartgoals check --require-signed origin/main..HEAD
    """
    from smartgoals.commands.check import check as run
    from smartgoals.commands.check import check_github, check_history, check_signed

    chosen = chosen_format(output_format, json_output, OutputFormat.TEXT)
    if require_signed is not None:
        github = chosen == OutputFormat.GITHUB
        show(check_signed(context_of(ctx).root(), require_signed, github), chosen)
    if history is not None:
        github = chosen == OutputFormat.GITHUB
        root = context_of(ctx).root()
        checked = check_history(root, history, github)
        warn_shallow(root)
        show(checked, chosen)
    if chosen == OutputFormat.GITHUB:
        show(check_github(context_of(ctx).root(), today()), chosen)
    view = run(context_of(ctx).root(), today())
    warn(view.warnings, "warning: ")
    show(view, chosen)


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
    from smartgoals.commands.schema import schema as run

    show(run(context_of(ctx).root(), check_only))


Shell = Literal["bash", "zsh", "fish"]


def completion(
    shell: Annotated[
        Shell, typer.Argument(metavar="SHELL", help="bash, zsh or fish.", show_default=False)
    ],
) -> None:
    """Print the shell completion script for SHELL, to load it by hand or from a file.

    smartgoals --install-completion installs it for the shell you are in. Completion offers
    goal ids, metric ids, areas, owners, stage names, statuses and revisions, read from the
    definitions cache.

    \b
    Example: smartgoals completion bash > ~/.local/share/bash-completion/completions/smartgoals
    Example: eval "$(smartgoals completion zsh)"
    """
    from smartgoals.cli.shells import script

    typer.echo(script(str(shell), "smartgoals", "_SMARTGOALS_COMPLETE"))


# (command name, its place in --help's order, wrapper): read by app.py's table of commands
COMMANDS: tuple[tuple[str, int, Callable[..., None]], ...] = (
    ("check", 13, check),
    ("schema", 18, schema),
    ("completion", 23, completion),
)
