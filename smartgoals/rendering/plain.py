"""Plain aligned text for pipes, files and NO_COLOR (no escape codes, no Rich): columns, and
the risks as lines; the views' plain forms use them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from smartgoals.engine.evaluation import RiskStatus
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering.cells import risk_lines, risks_heading


def align(
    rows: Iterable[tuple[str, ...]], right: frozenset[int] | set[int] = frozenset()
) -> list[str]:
    """Columns padded to their widest cell, two spaces apart; no trailing spaces."""
    rows = list(rows)
    width = max((len(r) for r in rows), default=0)
    sizes = [
        max((len(r[i]) for r in rows if len(r) > i and len(r) > 1), default=0) for i in range(width)
    ]
    lines = []
    for row in rows:
        if len(row) == 1:  # a heading spans the table
            lines.append(row[0])
            continue
        cells = [
            cell.rjust(sizes[i]) if i in right else cell.ljust(sizes[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def risks_lines(
    risks: Iterable[RiskStatus],
    only_triggered: bool,
    metrics: Mapping[str, MetricDef] | None = None,
) -> list[str]:
    shown = [r for r in risks if r.triggered or not only_triggered]
    lines = [risks_heading(shown, only_triggered)]
    for risk in shown:
        lines += [text for _kind, text in risk_lines(risk, True, metrics)] + [""]
    return lines
