"""write/entries.py: values to record as people give them (arguments or CSV rows), each
checked against the definitions, every problem collected with its row number."""

from __future__ import annotations

import datetime as dt

import pytest

from smartgoals.errors import InvalidInputError, Problem
from smartgoals.ledger.model import MetricDef
from smartgoals.write.entries import from_arguments, from_rows

TODAY = dt.date(2026, 11, 20)
METRICS = {
    "mrr": MetricDef("mrr", "MRR", "USD"),
    "users": MetricDef("users", "Users"),
    "phase": MetricDef("phase", "Phase", stages=("idea", "beta", "live")),
}


def rows(checked) -> list[tuple[str, str, float, str]]:  # type: ignore[no-untyped-def]
    return [(e.metric.id, e.day.isoformat(), e.value, e.note) for e in checked.entries]


def test_one_value_form() -> None:
    checked = from_arguments(METRICS, ["mrr", "$5k"], TODAY, None, "a deal")
    assert checked.problems == ()
    [entry] = checked.entries
    assert (entry.metric.id, entry.day, entry.value, entry.value_text) == (
        "mrr",
        TODAY,
        5000,
        "5000",
    )
    assert entry.row == "2026-11-20,mrr,5000,a deal\n"


def test_one_value_form_errors_are_the_commands() -> None:
    with pytest.raises(
        InvalidInputError, match=r"^mrr: '60%' is written as percent, but the unit is USD$"
    ):
        from_arguments(METRICS, ["mrr", "60%"], TODAY, None, "")


def test_several_values_one_date_and_note() -> None:
    checked = from_arguments(
        METRICS, ["mrr=5k", " users = 12 ", "phase=beta"], TODAY, "2026-11-01", "monthly"
    )
    assert checked.problems == ()
    assert rows(checked) == [
        ("mrr", "2026-11-01", 5000, "monthly"),
        ("users", "2026-11-01", 12, "monthly"),
        ("phase", "2026-11-01", 1, "monthly"),
    ]
    assert checked.entries[2].row == "2026-11-01,phase,beta,monthly\n"


def test_several_values_every_problem_named_by_its_item() -> None:
    checked = from_arguments(
        METRICS, ["mrr=5k", "users", "=3", "mrr=6k", "phase=gamma"], TODAY, None, ""
    )
    assert rows(checked) == [("mrr", "2026-11-20", 5000, "")]
    assert [(p.path, p.message) for p in checked.problems] == [
        ("users", "expected METRIC=VALUE (or the one-value form METRIC VALUE)"),
        ("=3", "expected METRIC=VALUE (or the one-value form METRIC VALUE)"),
        ("mrr=6k", "mrr is given twice"),
        ("phase=gamma", "phase: 'gamma' is not a stage of phase (stages: idea, beta, live)"),
    ]


@pytest.mark.parametrize(
    ("date", "message"),
    [("2026-11-21", "--date: 2026-11-21 is in the future")],
)
def test_the_date_is_checked_once_for_all(date: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        from_arguments(METRICS, ["mrr=5k", "users=1"], TODAY, date, "")


def test_nothing_to_log() -> None:
    with pytest.raises(
        InvalidInputError,
        match=r"^nothing to log: give METRIC VALUE, METRIC=VALUE \.\.\. or --from FILE$",
    ):
        from_arguments(METRICS, [], TODAY, None, "")


def test_a_correction_marker_needs_allow_correction() -> None:
    with pytest.raises(InvalidInputError, match="marks a correction; use --correct"):
        from_arguments(METRICS, ["mrr", "5"], TODAY, None, "correction: typo")
    checked = from_arguments(
        METRICS, ["mrr", "5"], TODAY, None, "correction: typo", allow_correction=True
    )
    assert checked.entries[0].note == "correction: typo"


def test_from_rows_header_optional_defaults_from_the_options() -> None:
    data = (
        b"date,metric,value,note\n"
        b"2026-11-01,mrr,5k,first\n"
        b",users,7,\n"  # empty date: --date; empty note: --note
        b"\n"
        b"2026-11-02,phase,live\n"  # three fields: no note
    )
    checked = from_rows(METRICS, data, "rows.csv", TODAY, "2026-11-10", "batch")
    assert checked.problems == ()
    assert rows(checked) == [
        ("mrr", "2026-11-01", 5000, "first"),
        ("users", "2026-11-10", 7, "batch"),
        ("phase", "2026-11-02", 2, "batch"),
    ]


def test_from_rows_every_problem_at_its_row() -> None:
    data = (
        b"2026-11-01,mrr,5k,ok\n"
        b"2026-11-01,mrr\n"
        b"2026-13-01,mrr,5,\n"
        b"2026-11-30,mrr,5,\n"
        b"2026-11-01,mrx,5,\n"
        b"2026-11-01,users,5,correction: no\n"
    )
    checked = from_rows(METRICS, data, "-", TODAY, None, "")
    assert len(checked.entries) == 1
    assert [(p.line, p.message.split(":")[0]) for p in checked.problems] == [
        (2, "expected date,metric,value,note; found 2 fields"),
        (3, "date"),
        (4, "date"),
        (5, "unknown metric 'mrx' (did you mean 'mrr'?)"),
        (6, "a note starting with 'correction"),
    ]
    assert checked.problems[2].message == "date: 2026-11-30 is in the future"


def test_from_rows_file_problems() -> None:
    assert from_rows(METRICS, b"\xff", "x.csv", TODAY, None, "").problems == (
        Problem("x.csv", 0, 0, "not UTF-8 text (at byte 0)"),
    )
    assert from_rows(METRICS, b"date,metric,value,note\n\n", "x.csv", TODAY, None, "").problems == (
        Problem("x.csv", 0, 0, "no rows to log"),
    )
    checked = from_rows(METRICS, b'2026-11-01,mrr,"5\n', "x.csv", TODAY, None, "")
    assert [p.message.split(":")[0] for p in checked.problems] == ["malformed CSV"]


def test_from_rows_a_bom_is_accepted() -> None:
    checked = from_rows(METRICS, "\ufeff2026-11-01,users,3,\n".encode(), "x.csv", TODAY, None, "")
    assert rows(checked) == [("users", "2026-11-01", 3, "")]
