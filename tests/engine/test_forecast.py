"""Forecasts: hand-computed fixtures for each model and verdict, and where they show (status
--forecast, show, --json, eta()/slack() in risks).

The series step 30 days apart, so that the arithmetic is easy to follow by hand: a month in a
rate is 365.25 / 12 = 30.4375 days.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.engine.forecast import MONTH_DAYS, Forecast, forecast_target
from tests.conftest import evaluate_strings, invoke, ledger_from_strings, write_ledger

AS_OF = "2026-03-02"


def goals(target: str, metric: str = "{name: Users, unit: count}") -> str:
    return f"""
        metrics:
          users: {metric}
        goals:
          - id: grow
            title: Grow
            start: 2026-01-01
            due: 2026-12-31
            targets:
              - {target}
        """


def rows(*values: float, first: str = "2026-01-01") -> str:
    """One row of `users` every 30 days from first."""
    day = dt.date.fromisoformat(first)
    return "".join(
        f"{(day + dt.timedelta(days=30 * i)).isoformat()},users,{value},\n"
        for i, value in enumerate(values)
    )


def forecast_of(goal_text: str, journal: str, as_of: str = AS_OF) -> Forecast:
    evaluation = evaluate_strings(goal_text, journal, as_of)
    ledger = ledger_from_strings(goal_text, journal)
    target = evaluation.goals[0].targets[0]
    return forecast_target(target, ledger.series.get("users"), evaluation.as_of)


def test_a_linear_series() -> None:
    # 100, 130, 160 on 01-01, 01-31, 03-02: +1 a day. 240 to go from 160: 240 days after
    # 2026-03-02 is 2026-10-28, 64 days before the due.
    found = forecast_of(goals("{metric: users, target: 400}"), rows(100, 130, 160))
    assert found.model == "linear"
    assert found.model_note == "auto: linear predicted the last 1 held out better"
    assert found.actual_rate is not None and found.required_rate is not None
    assert found.actual_rate.per_month == pytest.approx(MONTH_DAYS)
    # 304 days from 2026-03-02 to the due
    assert found.required_rate.per_month == pytest.approx(240 / 304 * MONTH_DAYS)
    assert found.required_rate.percent_per_month == pytest.approx(
        ((400 / 160) ** (MONTH_DAYS / 304) - 1) * 100
    )
    assert found.eta == dt.date(2026, 10, 28)
    assert found.slack_days == 64
    assert found.verdict == "will_make"
    assert [p.value for p in found.points] == [100, 130, 160]


def test_a_compounding_series() -> None:
    # 100, 200, 400: doubling every 30 days. 3,200 is three doublings after 400: 90 days after
    # 2026-03-02 is 2026-05-31, 214 days before the due. Held out, the linear fit of 100 and
    # 200 predicts 300 for 400; the compound one predicts 400.
    found = forecast_of(goals("{metric: users, target: 3200}"), rows(100, 200, 400))
    assert found.model == "compound"
    assert dict(found.errors) == {
        "linear": pytest.approx(100),
        "compound": pytest.approx(0, abs=1e-6),
    }
    assert found.actual_rate is not None
    assert found.actual_rate.percent_per_month == pytest.approx((2 ** (MONTH_DAYS / 30) - 1) * 100)
    assert found.eta == dt.date(2026, 5, 31)
    assert found.slack_days == 214
    assert found.verdict == "will_make"


def test_a_flat_series_never_gets_there() -> None:
    found = forecast_of(goals("{metric: users, target: 400}"), rows(100, 100, 100))
    assert found.eta is None and found.slack_days is None
    assert found.verdict == "wont_make"
    assert found.reason == "at the trailing rate the target is never reached"
    assert found.actual_rate is not None and found.actual_rate.per_month == pytest.approx(0)


def test_a_target_already_met_is_reached() -> None:
    found = forecast_of(goals("{metric: users, target: 150}"), rows(100, 130, 160))
    assert found.verdict == "reached"
    assert found.eta is None and found.reason is None


def test_a_series_too_short_has_no_forecast_and_says_why() -> None:
    found = forecast_of(goals("{metric: users, target: 400}"), rows(100, 130))
    assert found.verdict == "unknown"
    assert found.model is None and found.eta is None
    assert found.reason == (
        "too few observations: 2 in the trailing 90 days (2025-12-03 to 2026-03-02) spanning "
        "1 30-day periods; a forecast needs 3 spanning 2"
    )


def test_three_observations_in_one_period_are_too_short_too() -> None:
    journal = "2026-02-20,users,100,\n2026-02-25,users,110,\n2026-03-02,users,120,\n"
    found = forecast_of(goals("{metric: users, target: 400}"), journal)
    assert found.verdict == "unknown"
    assert found.reason is not None and "spanning 0 30-day periods" in found.reason


def test_direction_down_is_mirrored() -> None:
    # 40, 30, 20: -1/3 a day. 10 more to lose: 30 days after 2026-03-02 is 2026-04-01,
    # 274 days before the due.
    metric = "{name: Cost, unit: USD, direction: down}"
    found = forecast_of(goals('{metric: users, target: "<= 10"}', metric), rows(40, 30, 20))
    assert found.model == "linear"
    assert found.actual_rate is not None
    assert found.actual_rate.per_month == pytest.approx(-MONTH_DAYS / 3)
    assert found.eta == dt.date(2026, 4, 1)
    assert found.slack_days == 274
    assert found.verdict == "will_make"


def test_a_target_whose_due_passed() -> None:
    # the linear series against a due of 2026-02-28: the same ETA, 242 days late
    target = "{metric: users, target: 400, due: 2026-02-28}"
    found = forecast_of(goals(target), rows(100, 130, 160))
    assert found.eta == dt.date(2026, 10, 28)
    assert found.slack_days == -242
    assert found.verdict == "wont_make"
    assert found.reason == "the due has passed"
    assert found.required_rate is None  # no time left to require a rate over


def test_a_rate_forecasts_its_value_at_the_due_not_an_eta() -> None:
    # 20%, 23%, 26%: +0.1 a day; 304 days to the due: 26 + 30.4 = 56.4%
    metric = "{name: Share, unit: percent}"
    target = '{metric: users, target: ">= 50%", pace: none}'
    found = forecast_of(goals(target, metric), rows(20, 23, 26))
    assert found.eta is None and found.slack_days is None
    assert found.value_at_due == pytest.approx(56.4)
    assert found.verdict == "will_make"
    missed = forecast_of(
        goals('{metric: users, target: ">= 60%", pace: none}', metric), rows(20, 23, 26)
    )
    assert missed.verdict == "wont_make"


@pytest.mark.parametrize(
    ("setting", "values", "model"),
    [("compound", (100, 130, 160), "compound"), ("linear", (100, 200, 400), "linear")],
)
def test_the_metric_key_forecast_chooses_the_model(
    setting: str, values: tuple[float, ...], model: str
) -> None:
    metric = f"{{name: Users, unit: count, forecast: {setting}}}"
    found = forecast_of(goals("{metric: users, target: 5000}", metric), rows(*values))
    assert found.model == model
    assert found.model_note is None and found.errors == ()


def test_compound_needs_values_above_zero() -> None:
    metric = "{name: Users, unit: count, forecast: compound}"
    found = forecast_of(goals("{metric: users, target: 400}", metric), rows(0, 30, 60))
    assert found.model == "linear"
    assert found.model_note == "compound needs every value above zero; linear used"
    assert found.eta == dt.date(2026, 3, 2) + dt.timedelta(days=340)


def test_a_ladder_forecasts_its_current_rung() -> None:
    target = """
                metric: users
                steps:
                  - {value: 120, due: 2026-02-15}
                  - {value: 400, due: 2026-12-31}"""
    found = forecast_of(goals(target), rows(100, 130, 160))
    assert found.due == dt.date(2026, 12, 31)
    assert found.goal == 400
    assert found.eta == dt.date(2026, 10, 28)


def test_a_held_target_and_an_undated_one_say_why_there_is_none() -> None:
    held = forecast_of(goals("{metric: users, target: 50, hold: true}"), rows(100, 130, 160))
    assert held.verdict == "unknown"
    assert held.reason == "a held target must hold at every observation; no ETA"
    undated = goals("{metric: users, target: 400}").replace("due: 2026-12-31", "")
    found = forecast_of(undated, rows(100, 130, 160))
    assert (found.verdict, found.reason) == ("unknown", "no due to forecast against")


def test_a_sum_quota_runs_its_current_period_at_its_run_rate() -> None:
    # 400 in the first 10 days of March: 40 a day; 1,000 on day 25 (2026-03-25), 6 days
    # before the month ends; 1,240 at the run rate by 2026-03-31.
    text = """
        metrics:
          users: {name: Signups, unit: count, aggregate: sum}
        goals:
          - id: grow
            title: Grow
            start: 2026-01-01
            due: 2026-12-31
            targets:
              - {metric: users, target: 1000, every: month}
        """
    journal = "2026-03-03,users,200,\n2026-03-10,users,200,\n"
    found = forecast_of(text, journal, "2026-03-10")
    assert found.model == "linear"
    assert found.value_at_due == pytest.approx(1240)
    assert found.eta == dt.date(2026, 3, 25)
    assert found.slack_days == 6
    assert found.verdict == "will_make"


def test_the_same_ledger_and_date_give_the_same_bytes(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(
        tmp_path,
        goals("{metric: users, target: 3200}"),
        "date,metric,value,note\n" + rows(100, 200, 400),
    )
    first = invoke(cli, tmp_path, "status", "--json", "--as-of", AS_OF)
    second = invoke(cli, tmp_path, "status", "--json", "--as-of", AS_OF)
    assert first.exit_code == 0, first.output
    assert first.output == second.output


# --- where it shows --------------------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    text = (
        goals("{metric: users, target: 400}")
        + """
        risks:
          - id: late
            title: Users late
            when: "slack('grow', 'users') < 100 and eta('grow', 'users') < '2026-11'"
          - id: undecided
            title: Not forecast
            when: "slack('grow', 'nothing') < 0"
        """
    )
    return write_ledger(tmp_path, text, "date,metric,value,note\n" + rows(100, 130, 160))


def test_status_forecast_adds_an_eta_slack_column(ledger: Path, cli: CliRunner) -> None:
    plain = invoke(cli, ledger, "status", "--as-of", AS_OF)
    assert "ETA" not in plain.output
    result = invoke(cli, ledger, "status", "--forecast", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0]
    assert header.index("ETA / slack") < header.index("Status")
    assert "2026-10-28 +64d" in result.output


def test_show_gives_the_forecast_in_one_sentence(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "show", "grow", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (
        "needs +24/month or 9.6%/month; trailing +30.4/month, 26.9% CMGR (auto: linear predicted "
        "the last 1 held out better); ETA 2026-10-28, 64 days early: will make"
    ) in " ".join(result.output.split())
    data = json.loads(invoke(cli, ledger, "show", "grow", "--as-of", AS_OF, "--json").output)
    assert data["targets"][0]["forecast"]["eta"] == "2026-10-28"


def test_json_has_a_forecast_on_every_target(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "status", "--json", "--as-of", AS_OF)
    forecast = json.loads(result.output)["goals"][0]["targets"][0]["forecast"]
    assert list(forecast)[:8] == [
        "model",
        "actual_rate",
        "required_rate",
        "eta",
        "slack_days",
        "verdict",
        "reason",
        "points",
    ]
    assert forecast["model"] == "linear"
    assert forecast["actual_rate"]["per_month"] == pytest.approx(MONTH_DAYS, abs=1e-4)
    assert forecast["eta"] == "2026-10-28"
    assert forecast["slack_days"] == 64
    assert forecast["verdict"] == "will_make"
    assert forecast["reason"] is None
    assert forecast["points"] == [
        {"date": "2026-01-01", "value": 100},
        {"date": "2026-01-31", "value": 130},
        {"date": "2026-03-02", "value": 160},
    ]
    assert forecast["value_at_due"] is None


def test_risks_may_ask_eta_and_slack(ledger: Path, cli: CliRunner) -> None:
    result = invoke(cli, ledger, "risks", "--json", "--as-of", AS_OF)
    risks = {r["id"]: r for r in json.loads(result.output)["risks"]}
    late = risks["late"]
    assert late["triggered"] is True
    assert late["values"] == {"slack('grow', 'users')": 64, "eta('grow', 'users')": "2026-10-28"}
    assert risks["undecided"]["triggered"] is False
    assert risks["undecided"]["missing"] == ["no target of 'nothing' in goal 'grow'"]


def test_eta_and_slack_belong_in_a_risk_only(tmp_path: Path, cli: CliRunner) -> None:
    text = goals("{metric: users, target: 400}").replace(
        "users: {name: Users, unit: count}",
        "users: {name: Users, unit: count}\n          late: {name: Late, unit: days, "
        "formula: \"slack('grow', 'users')\"}",
    )
    write_ledger(tmp_path, text, "date,metric,value,note\n" + rows(100, 130, 160))
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert "slack() belongs in a risk's when, not in a formula" in result.output


def test_every_dated_target_of_the_demo_has_a_forecast_or_a_reason(cli: CliRunner) -> None:
    from tests.conftest import REPO_ROOT

    result = invoke(cli, REPO_ROOT, "status", "--json", "--as-of", "2026-11-22")
    for goal in json.loads(result.output)["goals"]:
        for target in goal["targets"]:
            forecast = target["forecast"]
            assert forecast["verdict"] in ("will_make", "wont_make", "reached", "unknown")
            if forecast["verdict"] == "unknown":
                assert forecast["reason"], (goal["id"], target["metric"])
            if forecast["eta"] is not None:
                assert (
                    forecast["slack_days"]
                    == (
                        dt.date.fromisoformat(forecast["due"])
                        - dt.date.fromisoformat(forecast["eta"])
                    ).days
                )


def test_the_eta_column_takes_room_from_less_important_ones(ledger: Path) -> None:
    from smartgoals.commands.status import status
    from smartgoals.rendering import Display
    from smartgoals.views.status import status_lines

    today = dt.date.fromisoformat(AS_OF)
    wide = status_lines(status(ledger, today, forecast_column=True), Display(width=200))
    assert "As of" in wide[0] and "ETA / slack" in wide[0]
    narrow = status_lines(status(ledger, today, forecast_column=True), Display(width=100))
    assert "ETA / slack" in narrow[0] and "As of" not in narrow[0]
    assert all(len(line) <= 100 for line in narrow)


@pytest.mark.parametrize(
    ("xs", "ys"),
    [
        ([0.0, 1.0, 2.0], [1.0, 3.0, 5.0]),
        ([0.0, 31.0, 59.0, 90.0], [10.0, 12.5, 11.9, 19.25]),
        ([3.0, 7.0, 7.0, 40.0, 41.0], [0.1, 1e6, -2.5, 3.333, 7.0]),
    ],
)
def test_the_fit_is_statistics_linear_regression(xs: list[float], ys: list[float]) -> None:
    import statistics

    from smartgoals.engine.forecast import linear_regression

    expected = statistics.linear_regression(xs, ys)
    assert linear_regression(xs, ys) == (expected.slope, expected.intercept)
    assert linear_regression([2.0, 2.0], [1.0, 5.0]) is None
