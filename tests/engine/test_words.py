"""engine/words.py: values, rungs and forecasts in words, as `explain` and every view show them."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.engine.forecast import Forecast, Rate
from smartgoals.engine.words import (
    difference_text,
    forecast_cell,
    forecast_sentence,
    rate_text,
    rung_text,
    slack_text,
    value_text,
)
from smartgoals.ledger.model import MetricDef, Rung

MRR = MetricDef("mrr", "MRR", unit="USD")
RETENTION = MetricDef("retention", "Retention", unit="percent")
STAGE = MetricDef("mvp", "MVP", stages=("idea", "beta", "live"))


def test_a_value_in_its_unit_and_a_stage_by_its_name() -> None:
    assert value_text(MRR, 1234.5) == "$1,234"  # money: whole units from $10 up
    assert value_text(MRR, 4.5) == "$4.50"  # and cents below
    assert value_text(STAGE, 1) == "beta"
    assert value_text(STAGE, None) == "-"


@pytest.mark.parametrize(
    ("rung", "plain", "text"),
    [
        (Rung(">=", 10_000, due_text="2026-Q4"), False, "≥ $10,000 by 2026-Q4"),
        (Rung(">=", 10_000, due_text="2026-Q4"), True, ">= $10,000 by 2026-Q4"),
        (Rung("..", 5, 8), True, "$5..$8"),
    ],
)
def test_a_rung_with_its_operator_range_and_due(rung: Rung, plain: bool, text: str) -> None:
    assert rung_text(MRR, rung, plain) == text


def test_a_stage_rung_is_the_stage_name() -> None:
    assert rung_text(STAGE, Rung(">=", 2)) == "live"


def test_a_percent_difference_is_in_percentage_points() -> None:
    assert difference_text(RETENTION, 0.5952) == "0.6 pp"
    assert difference_text(RETENTION, 0.05) == "0.05 pp"
    assert difference_text(MRR, 250) == "$250"


@pytest.mark.parametrize(
    ("days", "text"), [(0, "on the due"), (1, "1 day early"), (-42, "42 days late")]
)
def test_slack_in_days(days: int, text: str) -> None:
    assert slack_text(days) == text


def test_a_rate_in_both_forms() -> None:
    rate = Rate(17_500, 21.94)
    assert rate_text(MRR, rate, True) == "+$17,500/month or 21.9%/month"
    assert rate_text(MRR, rate, False) == "+$17,500/month, 21.9% CMGR"


def test_the_forecast_cell() -> None:
    eta = dt.date(2027, 2, 10)
    assert forecast_cell(Forecast("reached"), MRR) == "reached"
    assert forecast_cell(Forecast("unknown"), MRR) == "-"
    assert forecast_cell(Forecast("wont_make", eta=eta, slack_days=-42), MRR) == "2027-02-10 -42d"
    assert forecast_cell(Forecast("wont_make"), MRR) == "never"


def test_the_forecast_sentence() -> None:
    found = Forecast(
        "wont_make",
        model="compound",
        required_rate=Rate(17_500, None),
        actual_rate=Rate(7_200, 12),
        eta=dt.date(2027, 2, 10),
        slack_days=-42,
    )
    assert forecast_sentence(found, MRR) == (
        "needs +$17,500/month; trailing +$7,200/month, 12% CMGR (compound); "
        "ETA 2027-02-10, 42 days late: won't make"
    )
    assert forecast_sentence(Forecast("unknown", "too few values"), MRR) == (
        "no forecast: too few values"
    )
