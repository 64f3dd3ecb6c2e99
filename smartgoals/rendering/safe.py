"""Rich text and tables that show user text with its control characters made visible.

Goal titles, notes, names, owners and file names may carry escape sequences (an OSC 52
clipboard write, cursor moves) or line breaks that forge a line. Rich passes ESC through, so
every string that reaches a Text or a table cell goes through safetext.clean first.
"""

from __future__ import annotations

from typing import Any, cast

from rich.table import Table
from rich.text import Text

from smartgoals.safetext import clean


class SafeText(Text):
    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(clean(text), *args, **kwargs)

    def append(self, text: Any, style: Any = None) -> SafeText:
        if isinstance(text, str):
            text = clean(text)
        super().append(text, style)
        return self

    @classmethod
    def assemble(cls, *parts: Any, **kwargs: Any) -> SafeText:
        # Rich builds the result with cls() and append(): every part is cleaned on the way in
        return cast(SafeText, super().assemble(*parts, **kwargs))


class SafeTable(Table):
    def add_row(self, *renderables: Any, **kwargs: Any) -> None:
        cells = [SafeText(cell) if isinstance(cell, str) else cell for cell in renderables]
        super().add_row(*cells, **kwargs)
