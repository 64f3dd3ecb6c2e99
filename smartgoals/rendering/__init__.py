"""The one output path, and the toolkit every view's forms share (layout, cells, ANSI, SVG...).

Each command returns a view (smartgoals/views/); `render` picks its form for the format chosen
once: JSON for programs, plain aligned text for pipes, files and NO_COLOR, Rich (or painted
text) for a terminal, Markdown and HTML for reports. Forms import Rich only inside themselves,
so that plain output never imports Rich and JSON output imports neither.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from smartgoals.record import Record
from smartgoals.safetext import clean


class Format(StrEnum):
    JSON = "json"
    PLAIN = "plain"
    RICH = "rich"
    MARKDOWN = "md"  # report: a string of GitHub-flavoured Markdown
    HTML = "html"  # report: a string, one self-contained page


class Display(Record):
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


# A view's form in one format: the view and the display in; a dict (JSON), lines of text
# (plain), a painted or Rich renderable, or a string (Markdown, HTML) out.
Form = Callable[[Any, Display], Any]


def choose_format(json_output: bool, stream: Any = None, color: str = "auto") -> Format:
    """JSON when asked; else Rich when colour is on (--color, FORCE_COLOR, CLICOLOR_FORCE,
    NO_COLOR, a terminal: see terminal.color_enabled), plain text otherwise."""
    if json_output:
        return Format.JSON
    return Format.RICH if display_for(stream, color).color else Format.PLAIN


def forms_of(kind: type) -> dict[Format, Form]:
    """The forms of a view class, by format: the `FORMS` table of the view's own module
    (smartgoals/views/), found through the class at run time, as the views sit above this
    package. Empty for a class that declares none."""
    forms: dict[type, dict[Format, Form]] = getattr(
        importlib.import_module(kind.__module__), "FORMS", {}
    )
    return forms.get(kind, {})


def render(view: Any, fmt: Format, display: Display | None = None) -> Any:
    """The view in this format: a dict (JSON), lines of text (plain), a painted or Rich
    renderable, or a string (Markdown, HTML). A view without a Rich form is shown as plain text
    in a terminal too."""
    forms = forms_of(type(view))
    form = forms.get(fmt)
    if form is None and fmt == Format.RICH:
        form = forms.get(Format.PLAIN)
    if form is None:
        raise ValueError(f"no {fmt} output for {type(view).__name__}")
    return form(view, display or Display())


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
    elif isinstance(rendered, str):  # Markdown or HTML, whole: never read as Rich markup
        text = rendered.removesuffix("\n")
    elif hasattr(rendered, "ansi"):  # painted without Rich and made safe (rendering/ansi.py)
        text = rendered.ansi()
    elif isinstance(rendered, list):
        if not rendered:
            return

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
