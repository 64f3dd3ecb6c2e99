"""engine/plausibility.py: a value judged against its metric's recent history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartgoals.engine.plausibility import Doubt, doubts, judge, recent_values
from smartgoals.ledger.model import MetricDef
from tests.conftest import git, invoke, write_ledger

MRR = MetricDef("mrr", "MRR", "USD")
CHURN = MetricDef("churn", "Churn", "percent")
STAGE = MetricDef("phase", "Phase", "count", stages=("idea", "beta", "live"))
UNNAMED = MetricDef("users", "", "count")
D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("value", "recent", "reason"),
    [
        # issue 27: exactly 10x or a tenth is the classic extra or lost digit (was not flagged)
        (1000, [100], "MRR $1,000 after $100 (10.0x): an extra digit? $100 is in line"),
        (1000.01, [100], "MRR $1,000 after $100 (10.0x)"),
        (10, [100], "MRR $10 after $100 (0.1x): a lost digit? $100 is in line"),
        (
            126_500 * 0.106,
            [118_000, 122_000, 126_500],
            "MRR $13,409 after $126,500 (0.1x): a lost digit? $134,090 is in line",
        ),  # 126.5k -> 13.4k: a lost digit
        (40, [100], None),  # a fall to 40%: wide, but no digit makes it usual
        (40, [100, 20, 100], None),  # a metric that moves 5x: a fall to 0.4x is in its range
        (9.99, [100], "MRR $9.99 after $100 (below a tenth: 0.0999x)"),
        (5000, [100], "MRR $5,000 after $100 (50.0x)"),
        (-5, [100], "MRR -$5 after $100 (the sign changed)"),
        (0, [100], None),  # zero is no jump (a ratio of nothing)
        (100, [0], None),
        (-200, [-100], None),
        (-2000, [-100], "MRR -$2,000 after -$100 (20.0x)"),
        (1, [], None),  # no history, nothing to compare
        (50, [1, 2, 40], None),  # only the latest value is the reference for jumps
    ],
)
def test_judge_jumps_and_signs(value: float, recent: list[float], reason: str | None) -> None:
    assert judge(MRR, value, recent) == reason


@pytest.mark.parametrize(
    ("value", "recent", "reason"),
    [
        (0.05, [12, 11], "Churn 0.05% after 11%: a percent is stored as written (0.05%, not 5%)"),
        # one recent value below 10: not a history in tens; only the jump rule speaks
        (0.05, [12, 9.9], "Churn 0.05% after 9.9% (below a tenth: 0.00505x)"),
        # only the last five count: an old single-digit value is forgotten
        (
            0.5,
            [1, 20, 20, 20, 20, 20],
            "Churn 0.5% after 20%: a percent is stored as written (0.5%, not 50%)",
        ),
        # 1.5% is not below 1, not below a tenth of 12%, but 15% would be in line (issue 27)
        (1.5, [12], "Churn 1.5% after 12% (0.1x): a lost digit? 15% is in line"),
        (6, [12], None),
        (0, [12], None),
    ],
)
def test_judge_percent_written_as_a_fraction(
    value: float, recent: list[float], reason: str | None
) -> None:
    assert judge(CHURN, value, recent) == reason


def test_judge_never_judges_stages_and_names_a_metric_by_id_without_name() -> None:
    assert judge(STAGE, 2, [0]) is None
    assert judge(UNNAMED, 500, [1]) == "users 500 after 1 (500.0x)"


@given(
    st.floats(min_value=0.01, max_value=1e9),
    st.floats(min_value=0.1, max_value=10),
)
def test_judge_flags_within_ten_times_only_a_shifted_digit(previous: float, factor: float) -> None:
    found = judge(MRR, previous * factor, [previous])
    if 0.1 * previous <= previous * factor <= 10 * previous:
        assert found is None or "digit" in found
        assert found is None or not 1 / 2.5 < factor < 2.5


def test_recent_values_reads_the_wanted_metrics_in_date_order() -> None:
    rows = [
        ("2026-01-03", "mrr", "300", ""),
        ("2026-01-01", "mrr", "$100", "note"),
        ("2026-01-03", "mrr", "301", ""),  # same day: journal order kept
        ("2026-01-02", "churn", "5%", ""),
        ("not a date", "mrr", "1", ""),  # bad rows are left to check
        ("2026-01-02", "mrr", "lots", ""),
        ("2026-01-02", "other", "1", ""),
        ("2026-01-05", "ghost", "1", ""),  # wanted but not a known metric
    ]
    found = recent_values(rows, {"mrr": MRR, "churn": CHURN}, {"mrr", "ghost"})
    assert found == {
        "mrr": [(D("2026-01-01"), 100.0), (D("2026-01-03"), 300.0), (D("2026-01-03"), 301.0)]
    }


def test_doubts_read_history_on_or_before_each_day() -> None:
    history = {"mrr": [(D("2026-01-01"), 100.0), (D("2026-03-01"), 10_000.0)]}
    values = [
        (MRR, D("2026-02-01"), 5_000.0),  # after 100 (the March row is later): 50x
        (MRR, D("2026-03-02"), 9_000.0),  # after 10,000: fine
    ]
    assert doubts(values, history) == [Doubt(0, "MRR $5,000 after $100 (50.0x)")]


def test_doubts_count_the_values_recorded_with_them_in_date_order() -> None:
    # given out of order: the 2026-01-02 value is judged first, then the 01-03 one after it
    values = [
        (MRR, D("2026-01-03"), 100.0),
        (MRR, D("2026-01-02"), 5.0),
    ]
    assert doubts(values, {}) == [Doubt(0, "MRR $100 after $5 (20.0x)")]
    # the history given is not changed by the call
    history = {"mrr": [(D("2026-01-01"), 5.0)]}
    doubts([(MRR, D("2026-01-02"), 6.0)], history)
    assert history == {"mrr": [(D("2026-01-01"), 5.0)]}


def test_doubts_are_in_position_order() -> None:
    values = [
        (MRR, D("2026-01-05"), 1.0),
        (CHURN, D("2026-01-01"), -3.0),
    ]
    history = {"mrr": [(D("2026-01-01"), 100.0)], "churn": [(D("2025-12-01"), 4.0)]}
    assert [d.position for d in doubts(values, history)] == [0, 1]


DIGITS = """
metrics:
  mau: {name: Monthly active users, unit: count, cadence: monthly}
goals:
  - {id: grow, title: Grow, targets: [{metric: mau, target: 200k}]}
"""


def test_log_strict_refuses_a_lost_digit(repo: Path, cli: CliRunner) -> None:
    """issue 27: a drop from 126.5k to 13.4k passed --strict."""
    rows = "2025-06-30,mau,118000,\n2025-07-31,mau,122000,\n2025-08-31,mau,126500,\n"
    write_ledger(repo, DIGITS, "date,metric,value,note\n" + rows)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    before = (repo / "goals" / "log.csv").read_text()
    result = invoke(cli, repo, "log", "mau", "13400", "--strict", "--date", "2025-09-30")
    assert result.exit_code == 1
    assert (
        "Monthly active users 13,400 after 126,500 (0.1x): a lost digit? 134,000 is in line"
        in result.stderr
    )
    assert (repo / "goals" / "log.csv").read_text() == before
    fine = invoke(cli, repo, "log", "mau", "134000", "--strict", "--date", "2025-09-30")
    assert fine.exit_code == 0, fine.output
    assert (repo / "goals" / "log.csv").read_text().endswith("2025-09-30,mau,134000,\n")
