"""A metric's value as people write it: the one parser for YAML targets and baselines, journal
rows and the command line, with one set of messages.

A stage metric takes one of its stage names (stored as the stage's index); any other metric
takes a number as `quantity.parse_quantity` reads it ("5k", "$5,000", "60%", "5:1"), refused
when its written unit contradicts the metric's.
"""

from __future__ import annotations

import math

from .ledger import MetricDef
from .quantity import MAX_ABS, check_unit, parse_quantity


def parse_value(raw: object, metric: MetricDef) -> float:
    """The stored number for raw: a stage's index, or a number checked against the unit.

    Raises ValueError with a message that names the value and, for stages, the choices.
    """
    if metric.stages:
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, str) and text in metric.stages:
            return float(metric.stages.index(text))
        raise ValueError(
            f"{raw!r} is not a stage of {metric.id} (stages: {', '.join(metric.stages)})"
        )
    if isinstance(raw, str) and raw.isascii():
        # the journal's common case, a plain number, without the general parser's regexes
        try:
            value = float(raw)
        except ValueError:
            pass
        else:
            if math.isfinite(value) and "_" not in raw and not raw[-1:].isalpha():
                return _bounded(value, raw)
    quantity = parse_quantity(raw)
    check_unit(quantity, metric.unit, raw)
    return quantity.value


def _bounded(value: float, raw: str) -> float:
    # the same limit as parse_quantity, so that both routes accept the same numbers
    if abs(value) > MAX_ABS:
        raise ValueError(f"{raw!r} is too large (more than {MAX_ABS:.0e})")
    return value
