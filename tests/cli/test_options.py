"""cli/options.py: the global context, the one --format option with its --json alias, and the
choices each command offers."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest
import typer

from smartgoals.cli import options
from smartgoals.cli.options import (
    Context,
    OutputFormat,
    chosen_format,
    complete_status,
    context_of,
    today,
)
from tests.conftest import write_ledger


@pytest.mark.parametrize(
    ("value", "json_output", "default", "chosen"),
    [
        (None, False, OutputFormat.TEXT, OutputFormat.TEXT),
        (None, False, OutputFormat.MD, OutputFormat.MD),
        ("html", False, OutputFormat.MD, OutputFormat.HTML),
        (None, True, OutputFormat.TEXT, OutputFormat.JSON),
        ("json", True, OutputFormat.TEXT, OutputFormat.JSON),
    ],
)
def test_chosen_format(
    value: str | None, json_output: bool, default: OutputFormat, chosen: OutputFormat
) -> None:
    assert chosen_format(value, json_output, default) == chosen


def test_json_and_another_format_exclude_each_other() -> None:
    with pytest.raises(typer.BadParameter, match="--format csv and --json exclude each other"):
        chosen_format("csv", True, OutputFormat.TEXT)


@pytest.mark.parametrize(
    "choice", [options.TextChoice, options.ReportChoice, options.ExportChoice, options.CheckChoice]
)
def test_every_choice_is_an_output_format(choice: object) -> None:
    values = {member.value for member in OutputFormat}
    assert set(typing.get_args(choice)) <= values


def test_context_root_and_defaults(tmp_path: Path) -> None:
    write_ledger(tmp_path, "metrics: {}\ngoals: []\n")
    assert Context(str(tmp_path)).root() == tmp_path.resolve()
    assert (Context(None).color, Context(None).no_pager) == ("auto", False)


def test_context_of_a_typer_context_without_one() -> None:
    import typer.main

    command = typer.main.get_command(typer.Typer(add_completion=False, callback=lambda: None))
    ctx = typer.Context(command)
    assert context_of(ctx) == Context(None)
    ctx.obj = Context("/somewhere", "never", True)
    assert context_of(ctx) == Context("/somewhere", "never", True)


def test_today_is_a_date() -> None:
    import datetime as dt

    assert isinstance(today(), dt.date) and not isinstance(today(), dt.datetime)


def test_complete_status_offers_status_words() -> None:
    words = [word for word, _help in complete_status("off")]
    assert {"on_track", "at_risk", "off_track"} <= set(words)  # the shell filters by prefix
