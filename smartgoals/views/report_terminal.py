"""The `report` view in a terminal: its Markdown read back into headings, paragraphs, lists and
tables that fit the width (no HTML, no entities, no escapes), painted or plain."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from smartgoals.rendering import Display
from smartgoals.rendering.ansi import Painted, Span, paint
from smartgoals.rendering.layout import Column, display_width, layout_table, render_lines

if TYPE_CHECKING:
    from markdown_it.token import Token

_TAG = re.compile(r"<[^>]*>")
_NUMERIC = re.compile(r"^[-+~≈]?[$€£¥₹₿]?[-+]?[\d.,]+\s?\S*$|^-$")
HEADING_STYLES = {"h1": "bold underline", "h2": "bold", "h3": "bold", "h4": "bold"}
Styled = tuple[str, str]  # a line and its style


def _inline(token: Token) -> str:
    """The text of an inline token: entities and escapes decoded (markdown-it), HTML left out."""
    parts = []
    for child in token.children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts).strip()


def _table(rows: list[list[str]], width: int | None) -> list[Styled]:
    """A table whole when it fits; else each row as its first cell and `Header value` pairs
    folded to the width, so that no number is cut and nothing is hidden."""
    header, body = rows[0], rows[1:]
    columns = [
        Column(h, "right" if all(_NUMERIC.match(r[i]) for r in body if i < len(r)) else "left")
        for i, h in enumerate(header)
    ]
    layout = layout_table(columns, rows[1:], None)
    if width is None or layout.width <= width:
        lines = render_lines(layout)
        return [(lines[0], "bold"), *((line, "") for line in lines[1:])]
    out: list[Styled] = []
    for row in body:
        out += [(line, "bold") for line, _ in _folded(row[0] if row else "", width, "  ")]
        pairs = [
            f"{h}: {v}" for h, v in zip(header[1:], row[1:], strict=False) if v not in ("", "-")
        ]
        out += [(line, "") for line in _fold_pairs(pairs, width - 2, "  ")]
    return out


def _fold_pairs(pairs: Sequence[str], width: int, indent: str) -> Iterator[str]:
    """`Header: value` pairs joined by ` · ` up to the width; a pair longer than the width
    alone (a mix's parts) on lines of its own, folded between words, so no number is cut."""
    line = ""
    for pair in pairs:
        if display_width(pair) > width:
            if line:
                yield indent + line
            line = ""
            yield from (text for text, _ in _folded(indent + pair, width + len(indent), indent * 2))
            continue
        candidate = f"{line} · {pair}" if line else pair
        if line and display_width(candidate) > width:
            yield indent + line
            candidate = pair
        line = candidate
    if line:
        yield indent + line


def terminal_lines(markdown: str, width: int | None) -> list[Styled]:
    """The Markdown as styled lines for a terminal of this width (None: natural width)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    out: list[Styled] = []
    lists: list[str] = []
    table: list[list[str]] | None = None
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            if out and out[-1][0]:
                out.append(("", ""))
            style = HEADING_STYLES.get(token.tag, "bold")
            out += [(line, style) for line, _ in _folded(_inline(tokens[index + 1]), width, "")]
        elif kind in ("bullet_list_open", "ordered_list_open"):
            lists.append("• " if kind == "bullet_list_open" else "- ")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "inline" and tokens[index - 1].type == "paragraph_open":
            indent = "  " * max(len(lists) - 1, 0)
            text = _inline(token)
            lead = indent + lists[-1] if lists else ""
            out += _folded(lead + text, width, " " * len(lead))
        elif kind == "paragraph_close" and not lists:
            out.append(("", ""))
        elif kind == "table_open":
            table = []
        elif kind == "tr_open" and table is not None:
            table.append([])
        elif kind == "inline" and table is not None and table:
            table[-1].append(_inline(token))
        elif kind == "table_close" and table:
            out += [*_table(table, width), ("", "")]
            table = None
        elif kind == "html_block":
            summary = _TAG.sub(" ", token.content).split()
            if summary:  # a <details> block's <summary>: the text, as a heading
                out += [(line, "bold") for line, _ in _folded(" ".join(summary), width, "")]
        elif kind in ("fence", "code_block"):
            out += [(line, "") for line in token.content.rstrip("\n").split("\n")]
    while out and not out[-1][0]:
        out.pop()
    return out


def _folded(text: str, width: int | None, indent: str) -> list[Styled]:
    if width is None:
        return [(text, "")]
    import textwrap

    pieces = textwrap.wrap(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    )
    return [(piece, "") for piece in pieces or [text]]


def report_plain(markdown: str, display: Display) -> list[str]:
    return [text for text, _style in terminal_lines(markdown, display.width)]


def report_painted(markdown: str, display: Display) -> Painted:
    spans: list[list[Span]] = [[line] for line in terminal_lines(markdown, display.width)]
    return Painted([paint(line) for line in spans])


__all__: list[Any] = ["report_painted", "report_plain", "terminal_lines"]
