"""A metric's value as people write it: the one parser for YAML targets and baselines, journal
rows and the command line, with one set of messages.

A stage metric takes one of its stage names (stored as the stage's index); any other metric
takes a number as `quantity.parse_quantity` reads it ("5k", "$5,000", "60%", "5:1"), refused
when its written unit contradicts the metric's.
"""

from __future__ import annotations

from smartgoals.ledger.model import MetricDef
from smartgoals.quantity import (
    MAX_ABS,
    check_unit,
    duration_seconds,
    parse_duration,
    parse_quantity,
)


def parse_value(raw: object, metric: MetricDef) -> float:
    """The stored number for raw: a stage's index, or a number checked against the unit.

    Raises ValueError with a message that names the value and, for stages, the choices.
    """
    if not metric.stages and type(raw) is str and raw.isascii():
        # the journal's common case, a plain number, without the general parser's regexes;
        # the bounds also refuse nan and inf, as the general parser does
        try:
            value = float(raw)
        except ValueError:
            pass
        else:
            if -MAX_ABS <= value <= MAX_ABS and "_" not in raw:
                return value
    if metric.stages:
        text = raw.strip() if isinstance(raw, str) else raw
        if isinstance(text, str) and text in metric.stages:
            return float(metric.stages.index(text))
        stages = ", ".join(metric.stages)
        raise ValueError(f"{raw!r} is not a stage of {metric.id} (stages: {stages})")
    if isinstance(raw, str) and (per := duration_seconds(metric.unit)) is not None:
        seconds = parse_duration(raw)
        if seconds is not None:
            return seconds / per
    quantity = parse_quantity(raw)
    check_unit(quantity, metric.unit, raw)
    return quantity.value
