"""Views -> output. Each read command computes a view (immutable records); `render` picks the
format once: JSON for programs, plain aligned text for pipes, files and NO_COLOR, Rich for a
terminal. Markdown and HTML reports go here too.

Renderers are looked up by the view's type and the format, and imported only when used, so
that plain output never imports Rich and JSON output imports neither.
"""

from __future__ import annotations

import importlib
import os
import sys
from enum import StrEnum
from typing import Any, NamedTuple


class Format(StrEnum):
    JSON = "json"
    PLAIN = "plain"
    RICH = "rich"
    MARKDOWN = "md"  # report: a string of GitHub-flavoured Markdown
    HTML = "html"  # report: a string, one self-contained page


class Display(NamedTuple):
    """How the output looks beyond its format: decided once, from the stream and the options.

    width: the terminal's width; None when the output is not a terminal (a pipe or a file gets
    every row on one line at its natural width). wide: show every column at its natural width.
    color: escape codes for colour. ascii: the output cannot encode UTF-8 (ellipsis, sparkline).
    """

    width: int | None = None
    wide: bool = False
    color: bool = False
    ascii: bool = False


def display_for(stream: Any = None, color: str = "auto", wide: bool = False) -> Display:
    """The display for this stream (standard output by default) and the --color mode."""
    from smartgoals.rendering.terminal import color_enabled, output_encoding_is_utf8, terminal_width

    stream = stream or sys.stdout
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    mode = color if color in ("auto", "always", "never") else "auto"
    return Display(
        width=terminal_width(os.environ) if tty else None,
        wide=wide,
        color=color_enabled(mode, os.environ, tty),  # type: ignore[arg-type]
        ascii=not output_encoding_is_utf8(stream),
    )


# (view type, format) -> "module:function" in this package. A view without a Rich renderer is
# shown as plain text in a terminal too.
RENDERERS: dict[tuple[str, Format], str] = {
    ("StatusView", Format.JSON): "data:status_data",
    ("StatusView", Format.PLAIN): "statustable:status_lines",
    ("StatusView", Format.RICH): "statustable:status_rich",
    ("MetricsView", Format.JSON): "data:metrics_data",
    ("MetricsView", Format.PLAIN): "statustable:metrics_lines",
    ("RisksView", Format.JSON): "data:risks_data",
    ("RisksView", Format.PLAIN): "plain:risks_view_lines",
    ("RisksView", Format.RICH): "text:risks_rich",
    ("CheckView", Format.JSON): "data:check_data",
    ("CheckView", Format.PLAIN): "plain:check_lines",
    ("GithubCheckView", Format.PLAIN): "plain:github_check_lines",
    ("HistoryCheckView", Format.JSON): "rewrites:history_check_data",
    ("HistoryCheckView", Format.PLAIN): "rewrites:history_check_lines",
    ("ShowView", Format.JSON): "data:show_data",
    ("ShowView", Format.PLAIN): "text:show_view",
    ("ShowView", Format.RICH): "text:show_view",
    ("DiffView", Format.JSON): "data:diff_view_data",
    ("DiffView", Format.PLAIN): "changes:diff_view_lines",
    ("HistoryView", Format.JSON): "data:history_view_data",
    ("HistoryView", Format.PLAIN): "changes:history_view_lines",
    ("RecordedView", Format.PLAIN): "plain:recorded_lines",
    ("BatchView", Format.PLAIN): "plain:batch_lines",
    ("RefusedView", Format.PLAIN): "plain:refused_lines",
    ("UndoView", Format.PLAIN): "plain:undo_lines",
    ("DueView", Format.JSON): "data:due_data",
    ("CheckinView", Format.PLAIN): "plain:checkin_lines",
    ("DueView", Format.PLAIN): "plain:due_lines",
    ("InitView", Format.PLAIN): "plain:init_lines",
    ("SyncView", Format.PLAIN): "plain:sync_lines",
    ("SchemaView", Format.PLAIN): "plain:schema_lines",
    ("ExplainView", Format.JSON): "data:explain_data",
    ("ExplainView", Format.PLAIN): "plain:explain_lines",
    ("ExplainView", Format.RICH): "text:explain_rich",
    ("ReportView", Format.JSON): "report_data:report_data",
    ("ReportView", Format.MARKDOWN): "report_markdown:report_text",
    ("ReportView", Format.HTML): "report_html:report_page",
    ("ChartView", Format.JSON): "chart_data:chart_data",
    ("ChartView", Format.PLAIN): "chart_text:chart_lines",
    ("ExportView", Format.JSON): "exports:export_json",
    ("ImportView", Format.PLAIN): "exports:import_lines",
    ("PullView", Format.PLAIN): "exports:pull_lines",
}


def choose_format(json_output: bool, stream: Any = None, color: str = "auto") -> Format:
    """JSON when asked; else Rich when colour is on (--color, FORCE_COLOR, CLICOLOR_FORCE,
    NO_COLOR, a terminal: see terminal.color_enabled), plain text otherwise."""
    if json_output:
        return Format.JSON
    return Format.RICH if display_for(stream, color).color else Format.PLAIN


def render(view: Any, fmt: Format, display: Display | None = None) -> Any:
    """The view in this format: a dict (JSON), lines of text (plain), or a Rich renderable.

    Renderers in `statustable` also get the display (width, colour, ASCII)."""
    name = type(view).__name__
    where = RENDERERS.get((name, fmt))
    if where is None and fmt == Format.RICH:
        where = RENDERERS.get((name, Format.PLAIN))
    if where is None:
        raise ValueError(f"no {fmt} output for {name}")
    module, function = where.split(":")
    renderer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    if module in ("statustable", "chart_text"):
        return renderer(view, display or Display())
    return renderer(view, fmt) if module == "text" else renderer(view)


def emit(
    view: Any, fmt: Format, display: Display | None = None, pager: list[str] | None = None
) -> None:
    """Render the view and write it to standard output; through the pager command when one is
    given and the text is taller than the terminal (terminal.pager_command decides)."""
    from smartgoals.rendering.terminal import console, echo

    display = display or Display()
    rendered = render(view, fmt, display)
    if fmt == Format.JSON:
        import json

        text = json.dumps(rendered, indent=2, ensure_ascii=False)
    elif hasattr(rendered, "ansi"):  # painted without Rich and made safe (rendering/ansi.py)
        text = rendered.ansi()
    elif isinstance(rendered, list):
        if not rendered:
            return
        from smartgoals.safetext import clean

        # plain lines carry user text: control characters in it are shown, never obeyed
        lines = [clean(line) for line in rendered]
        if display.width:  # a terminal: fold long lines between words, as Rich does
            lines = [part for line in lines for part in fold(line, display.width)]
        text = "\n".join(lines)
    elif pager is None:
        console(color=display.color, width=display.width).print(rendered)
        return
    else:
        import io

        buffer = io.StringIO()
        console(color=display.color, width=display.width, file=buffer).print(rendered)
        text = buffer.getvalue().removesuffix("\n")
    if pager is not None and text.count("\n") + 1 > _terminal_height():
        from smartgoals.rendering.terminal import page

        page(text + "\n", pager, os.environ)
        return
    echo(text)


def fold(line: str, width: int) -> list[str]:
    """line in pieces of at most width columns, broken between words only (a word longer than
    the width stays whole), continued at the line's own indentation."""
    if len(line) <= width:
        return [line]
    import textwrap

    indent = line[: len(line) - len(line.lstrip(" "))]
    return textwrap.wrap(
        line,
        width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def _terminal_height() -> int:
    """Lines of the terminal ($LINES when a positive number), 24 when it cannot be told."""
    lines = os.environ.get("LINES", "").strip()
    if lines.isdigit() and int(lines) > 0:
        return int(lines)
    try:
        return os.get_terminal_size(sys.stdout.fileno()).lines or 24
    except (OSError, ValueError, AttributeError):
        return 24
