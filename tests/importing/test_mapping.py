"""importing/mapping.py: rows -> observations as the rules say (scale, negate, aggregate,
period, anchor), every bad row a problem with its row number."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.errors import Problem
from smartgoals.importing.mapping import map_rows
from smartgoals.importing.records import Table
from smartgoals.importing.rules import ImportRules, Rules, resolve
from smartgoals.ledger.model import MetricDef

D = dt.date.fromisoformat
TODAY = D("2026-11-20")  # a Friday
METRICS = {
    "visits": MetricDef("visits", "Visits"),
    "revenue": MetricDef("revenue", "Revenue", "USD"),
    "paid": MetricDef("paid", "Paid"),
    "free": MetricDef("free", "Free"),
    "phase": MetricDef("phase", "Phase", stages=("idea", "beta")),
    "arpu": MetricDef("arpu", "ARPU", "USD", formula="revenue / paid"),
}


def rules(**fields: object) -> Rules:
    data = {"date": "date", **fields}
    resolved, problems = resolve(ImportRules.model_validate(data), "r.yaml")
    assert resolved is not None, problems
    return resolved


def table(*rows: str, columns: str = "date,kind,n") -> Table:
    return Table(tuple(columns.split(",")), [(i + 2, row.split(",")) for i, row in enumerate(rows)])


def points(mapped) -> list[tuple[str, str, float]]:  # type: ignore[no-untyped-def]
    return [(o.metric.id, o.day.isoformat(), o.value) for o in mapped.observations]


def run(tab: Table, **fields: object):  # type: ignore[no-untyped-def]
    return map_rows(tab, rules(**fields), METRICS, "in.csv", TODAY)


def test_one_metric_per_day_last_row_wins() -> None:
    mapped = run(
        table("2026-11-01,x,5", "2026-11-01,x,7", "2026-11-02T10:00:00,x,1k"),
        values=[{"metric": "visits", "value": "n"}],
    )
    assert mapped.problems == []
    assert points(mapped) == [("visits", "2026-11-01", 7), ("visits", "2026-11-02", 1000)]


@pytest.mark.parametrize(
    ("aggregate", "value"),
    [("last", 2.2), ("sum", 6.6), ("mean", 2.2), ("max", 3.3), ("min", 1.1)],
)
def test_aggregates(aggregate: str, value: float) -> None:
    mapped = run(
        table("2026-11-01,x,3.3", "2026-11-01,x,1.1", "2026-11-01,x,2.2"),
        values=[{"metric": "visits", "value": "n", "aggregate": aggregate}],
    )
    assert points(mapped) == [("visits", "2026-11-01", value)]


def test_scale_and_negate_without_binary_noise() -> None:
    mapped = run(
        table("2026-11-01,x,10", "2026-11-01,x,20"),
        values=[
            {"metric": "revenue", "value": "n", "scale": 0.01, "negate": True, "aggregate": "sum"}
        ],
    )
    assert points(mapped) == [("revenue", "2026-11-01", -0.3)]  # not -0.30000000000000004


def test_no_value_column_counts_rows() -> None:
    mapped = run(
        table("2026-11-01,x,", "2026-11-01,y,", "2026-11-03,z,"),
        values=[{"metric": "visits", "aggregate": "sum"}],
    )
    assert points(mapped) == [("visits", "2026-11-01", 2), ("visits", "2026-11-03", 1)]


def test_weeks_and_months_dated_their_last_day_and_left_out_until_over() -> None:
    rows = table("2026-11-09,x,1", "2026-11-15,x,2", "2026-11-16,x,4", "2026-11-20,x,8")
    mapped = run(
        rows, values=[{"metric": "visits", "value": "n", "aggregate": "sum", "period": "week"}]
    )
    assert points(mapped) == [("visits", "2026-11-15", 3)]  # Monday 9th to Sunday 15th
    assert mapped.left_out == ["visits: the week ending 2026-11-22 is not over"]
    mapped = run(
        table("2026-10-31,x,1", "2026-10-01,x,2", "2026-11-01,x,3"),
        values=[{"metric": "visits", "value": "n", "aggregate": "sum", "period": "month"}],
    )
    assert points(mapped) == [("visits", "2026-10-31", 3)]
    assert mapped.left_out == ["visits: the month ending 2026-11-30 is not over"]


def test_increments_become_running_totals_from_the_anchor() -> None:
    rows = table("2026-11-01,x,10", "2026-11-02,x,5", "2026-11-03,x,20")
    mapped = run(
        rows,
        values=[
            {
                "metric": "visits",
                "value": "n",
                "aggregate": "sum",
                "anchor": {"value": 1000, "date": "2026-11-02"},
            }
        ],
    )
    # 1000 on the 2nd; the 1st is 5 less, the 3rd 20 more
    assert points(mapped) == [
        ("visits", "2026-11-01", 995),
        ("visits", "2026-11-02", 1000),
        ("visits", "2026-11-03", 1020),
    ]
    mapped = run(rows, values=[{"metric": "visits", "value": "n", "anchor": {"value": 100}}])
    # the anchor's default date is the last: 100 on the 3rd, 20 less on the 2nd, 5 less again
    assert [p[2] for p in points(mapped)] == [75, 80, 100]


def test_a_column_chooses_the_metric_and_other_values_are_skipped() -> None:
    rows = table(
        "2026-11-01,paid,3", "2026-11-01,free,9", "2026-11-01,trial,1", "2026-11-02,paid,4"
    )
    mapped = run(
        rows,
        values=[
            {"metric": {"column": "kind", "map": {"paid": "paid", "free": "free"}}, "value": "n"}
        ],
    )
    assert points(mapped) == [  # grouped by metric, each in date order
        ("paid", "2026-11-01", 3),
        ("paid", "2026-11-02", 4),
        ("free", "2026-11-01", 9),
    ]
    assert mapped.skipped_rows == 1


def test_a_row_another_rule_takes_is_not_skipped() -> None:
    rows = table("2026-11-01,paid,3", "2026-11-01,free,9")
    mapped = run(
        rows,
        values=[
            {"metric": {"column": "kind", "map": {"paid": "paid"}}, "value": "n"},
            {"metric": {"column": "kind", "map": {"free": "free"}}, "value": "n"},
        ],
    )
    assert mapped.skipped_rows == 0
    assert len(mapped.observations) == 2


def test_bad_rows_are_problems_at_their_row_the_rest_is_mapped() -> None:
    rows = table(
        "2026-11-01,x,5",
        "11/01/2026,x,5",
        "2026-11-21,x,5",
        "2026-11-02,x,",
        "2026-11-03,x,lots",
        "1800-01-01,x,1",
        "2026-11-04",
    )
    mapped = run(rows, values=[{"metric": "visits", "value": "n"}])
    assert points(mapped) == [("visits", "2026-11-01", 5)]
    assert [(p.line, p.message) for p in mapped.problems] == [
        (3, "visits: date: '11/01/2026' is not a date (YYYY-MM-DD)"),
        (4, "visits: 2026-11-21 is in the future"),
        (5, "visits: n: empty value"),
        (
            6,
            "visits: n: 'lots' is not a number; write e.g. 1200, 5k, $5,000, 1.2M, 60%, 5:1 or 200ms",
        ),
        (7, "visits: date: year 1800 is out of range (1900-2999)"),
        (8, "visits: n: empty value"),
    ]


def test_a_date_format() -> None:
    mapped = run(
        table("11/01/2026,x,5"), values=[{"metric": "visits", "value": "n"}], date_format="%m/%d/%Y"
    )
    assert points(mapped) == [("visits", "2026-11-01", 5)]


def test_columns_not_in_the_file() -> None:
    mapped = run(table("2026-11-01,x,5"), values=[{"metric": "visits", "value": "N"}])
    assert mapped.problems == [
        Problem(
            "in.csv",
            1,
            0,
            "value column 'N' is not in the file (did you mean 'n'?) (columns: date, kind, n)",
        )
    ]
    assert mapped.observations == []
    mapped = run(table("2026-11-01,x,5"), values=[{"metric": "visits", "value": "n"}], date="Date")
    assert [p.message for p in mapped.problems] == [
        "date column 'Date' is not in the file (did you mean 'date'?) (columns: date, kind, n)"
    ]


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"metric": "visitz", "value": "n"}, "unknown metric 'visitz' (did you mean 'visits'?)"),
        ({"metric": "arpu", "value": "n"}, "arpu is computed from its formula, not recorded"),
        (
            {"metric": "phase", "value": "n", "aggregate": "sum"},
            "phase is a stage metric: only aggregate: last applies",
        ),
    ],
)
def test_metrics_that_cannot_be_imported(rule: dict, message: str) -> None:  # type: ignore[type-arg]
    mapped = run(table("2026-11-01,x,5"), values=[rule])
    assert mapped.problems == [Problem("r.yaml", 0, 0, message)]
    assert mapped.observations == []


def test_a_presets_metrics_the_ledger_lacks_are_left_out_with_the_reason() -> None:
    preset, _ = resolve(ImportRules(preset="plausible"), "plausible")
    assert preset is not None
    tab = Table(("date", "visitors", "pageviews", "visits"), [(2, ["2026-11-01", "1", "2", "3"])])
    mapped = map_rows(tab, preset, METRICS, "export.csv", TODAY)
    assert mapped.problems == []
    assert points(mapped) == [("visits", "2026-11-01", 3)]
    assert mapped.left_out == [
        "visitors: not a metric of this ledger (rename: in a rules file maps it)",
        "pageviews: not a metric of this ledger (rename: in a rules file maps it)",
    ]
