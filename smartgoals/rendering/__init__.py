"""Views -> output. Each read command computes a view (immutable records); `render` picks the
format once: JSON for programs, plain aligned text for pipes, files and NO_COLOR, Rich for a
terminal. Markdown and HTML reports go here too.

Renderers are looked up by the view's type and the format, and imported only when used, so
that plain output never imports Rich and JSON output imports neither.
"""

from __future__ import annotations

import importlib
import json
import sys
from enum import StrEnum
from typing import Any


class Format(StrEnum):
    JSON = "json"
    PLAIN = "plain"
    RICH = "rich"


# (view type, format) -> "module:function" in this package. A view without a Rich renderer is
# shown as plain text in a terminal too.
RENDERERS: dict[tuple[str, Format], str] = {
    ("StatusView", Format.JSON): "data:status_data",
    ("StatusView", Format.PLAIN): "plain:status_lines",
    ("StatusView", Format.RICH): "text:status_view",
    ("RisksView", Format.JSON): "data:risks_data",
    ("RisksView", Format.PLAIN): "plain:risks_view_lines",
    ("RisksView", Format.RICH): "text:risks_rich",
    ("CheckView", Format.JSON): "data:check_data",
    ("CheckView", Format.PLAIN): "plain:check_lines",
    ("ShowView", Format.JSON): "data:show_data",
    ("ShowView", Format.PLAIN): "text:show_view",
    ("ShowView", Format.RICH): "text:show_view",
    ("DiffView", Format.JSON): "data:diff_view_data",
    ("DiffView", Format.PLAIN): "changes:diff_view_lines",
    ("HistoryView", Format.JSON): "data:history_view_data",
    ("HistoryView", Format.PLAIN): "changes:history_view_lines",
    ("RecordedView", Format.PLAIN): "plain:recorded_lines",
    ("InitView", Format.PLAIN): "plain:init_lines",
    ("SchemaView", Format.PLAIN): "plain:schema_lines",
}


def choose_format(json_output: bool, stream: Any = None) -> Format:
    """JSON when asked; else Rich for a terminal, plain text for anything else or NO_COLOR."""
    if json_output:
        return Format.JSON
    from .terminal import plain

    return Format.PLAIN if plain(stream or sys.stdout) else Format.RICH


def render(view: Any, fmt: Format) -> Any:
    """The view in this format: a dict (JSON), lines of text (plain), or a Rich renderable."""
    name = type(view).__name__
    where = RENDERERS.get((name, fmt))
    if where is None and fmt == Format.RICH:
        where = RENDERERS.get((name, Format.PLAIN))
    if where is None:
        raise ValueError(f"no {fmt} output for {name}")
    module, function = where.split(":")
    renderer = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return renderer(view, fmt) if module == "text" else renderer(view)


def emit(view: Any, fmt: Format) -> None:
    """Render the view and write it to standard output."""
    from .terminal import console, echo

    rendered = render(view, fmt)
    if fmt == Format.JSON:
        echo(json.dumps(rendered, indent=2, ensure_ascii=False))
    elif isinstance(rendered, list):
        if rendered:
            echo("\n".join(rendered))
    else:
        console().print(rendered)
