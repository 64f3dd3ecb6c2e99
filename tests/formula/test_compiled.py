"""formula.compiled: the compiled closures give what formula.evaluate gives, and a formula outside
the compiled part of the language compiles to None."""

from __future__ import annotations

import pytest

from smartgoals.formula.compiled import Slots, compile_point
from smartgoals.formula.context import MISSING
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import parse
from tests.formula.fakedata import DATA


def slots_as_of_data(metrics: list[str]) -> Slots:
    """Slots at DATA's as-of date, over DATA's rows."""
    slots = Slots(metrics)
    for index, metric in enumerate(metrics):
        rows = [(d, v) for d, v in DATA.rows.get(metric, []) if d <= DATA.AS_OF]
        slots.dates[index] = [d for d, _ in rows]
        slots.series_values[index] = [float(v) for _, v in rows]  # type: ignore[arg-type]
        slots.counts[index] = len(rows)
        if rows:
            slots.values[index] = float(rows[-1][1])  # type: ignore[arg-type]
    return slots


@pytest.mark.parametrize(
    "text",
    [
        "dau / mau * 100",
        "mau + 1 - 2 * 3 / 4",
        "-mau ** 0.5",
        "(0 - mau) ** 0.5",
        "mau / zero",
        "10 ** 101",
        "1e15 * 1e15",
        "min(dau, mau, 3) + max(dau, mau)",
        "abs(-mau) + round(mau / 3, 2) + round(2.5)",
        "round(mau, 40)",
        "growth(mau, 'month') * 100",
        "change(mau, 'quarter') + growth(mau, '59d')",
        "prev(mau) + prev(dau)",
        "growth(zero, 'month')",
        "missing_metric + 1",
    ],
)
def test_compiled_gives_what_evaluate_gives(text: str) -> None:
    node = parse(text)
    slots = slots_as_of_data(["dau", "mau", "zero", "missing_metric"])
    point = compile_point(node, slots)
    assert point is not None
    compiled = point()
    expected = evaluate(node, DATA).value
    assert (None if compiled is MISSING else compiled) == (
        expected if expected is None else pytest.approx(expected)
    )


@pytest.mark.parametrize(
    "text",
    [
        "sum(mau, 'year')",
        "min(mau, 'year')",
        "at(mau, '2026-02')",
        "mau > 1",
        "stage == 'beta'",
        "round(mau, 'x')",
        "unknown_in_slots * 2",
    ],
)
def test_a_formula_outside_the_compiled_part_compiles_to_none(text: str) -> None:
    assert compile_point(parse(text), slots_as_of_data(["mau"])) is None
