"""commands/log.py: values checked, doubted, appended and committed in one commit, or none."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.commands.log import UsageError, batch_message, log
from smartgoals.errors import InvalidInputError
from smartgoals.views.log import BatchView, RecordedView, RefusedView
from tests.conftest import committed_ledger, git

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users, unit: count}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: 1000}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,110,
2026-03-31,mrr,120,
"""
TODAY = dt.date(2026, 4, 2)


@pytest.fixture
def ledger(repo: Path) -> Path:
    return committed_ledger(repo, GOALS, JOURNAL)


def journal(root: Path) -> str:
    return (root / "goals" / "log.csv").read_text(encoding="utf-8")


def test_one_value_one_row_one_commit(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr", "130"])
    assert isinstance(view, RecordedView)
    assert (view.recorded.metric.id, view.recorded.day, view.recorded.value) == (
        "mrr",
        TODAY,
        130.0,
    )
    assert journal(ledger) == JOURNAL + "2026-04-02,mrr,130,\n"
    assert git(ledger, "rev-parse", "HEAD").strip() == view.recorded.commit
    assert git(ledger, "log", "-1", "--format=%s") == "log: mrr = 130 USD (2026-04-02)\n"


def test_several_values_in_one_commit(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr=140", "users=5"], date="2026-04-01", note="hi")
    assert isinstance(view, BatchView)
    assert [(e.metric.id, e.value) for e in view.entries] == [("mrr", 140.0), ("users", 5.0)]
    assert journal(ledger).endswith("2026-04-01,mrr,140,hi\n2026-04-01,users,5,hi\n")
    assert git(ledger, "log", "-1", "--format=%B") == (
        "log: 2 values (2026-04-01)\n\nmrr = 140 USD (2026-04-01)\nusers = 5 (2026-04-01)\n\n"
    )


def test_without_commit_the_row_is_appended_only(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr", "130"], commit=False)
    assert isinstance(view, RecordedView) and view.recorded.commit is None
    assert git(ledger, "log", "--format=%s") == "start\n"
    assert journal(ledger).endswith("2026-04-02,mrr,130,\n")


def test_a_doubtful_value_is_a_warning_or_refused_with_strict(ledger: Path) -> None:
    with pytest.raises(InvalidInputError, match="--strict: MRR \\$100,000 after \\$120"):
        log(ledger, TODAY, ["mrr", "100000"], strict=True)
    assert journal(ledger) == JOURNAL
    view = log(ledger, TODAY, ["mrr", "100000"])
    assert view.warnings == (
        "MRR $100,000 after $120 (833.3x): recorded anyway (--strict refuses such values)",
    )


def test_a_no_from_confirm_records_nothing(ledger: Path) -> None:
    asked: list[str] = []

    def confirm(question: str) -> bool:
        asked.append(question)
        return False

    with pytest.raises(InvalidInputError, match="not confirmed"):
        log(ledger, TODAY, ["mrr", "100000"], confirm=confirm)
    assert asked == ["MRR $100,000 after $120 (833.3x): record it?"]
    assert journal(ledger) == JOURNAL


def test_rows_from_a_file(ledger: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    source = tmp_path_factory.mktemp("in") / "rows.csv"
    source.write_text("date,metric,value,note\n2026-04-01,mrr,125,\n,users,3,\n", encoding="utf-8")
    view = log(ledger, TODAY, [], source=str(source))
    assert isinstance(view, BatchView)
    assert journal(ledger).endswith("2026-04-01,mrr,125,\n2026-04-02,users,3,\n")  # no date: today


def test_a_bad_value_refuses_everything(ledger: Path) -> None:
    view = log(ledger, TODAY, ["mrr=lots", "users=5"])
    assert isinstance(view, RefusedView) and view.problems
    assert journal(ledger) == JOURNAL


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["mrr"], "missing VALUE after mrr"),
        ([], "nothing to log"),
        (["--dry", "x"], "unknown option '--dry'"),
    ],
)
def test_usage_errors(ledger: Path, items: list[str], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        log(ledger, TODAY, items)


def test_batch_message_spans_the_days(ledger: Path) -> None:
    first = log(ledger, TODAY, ["mrr=1"], date="2026-03-30", commit=False)
    second = log(ledger, TODAY, ["users=2"], date="2026-04-01", commit=False)
    assert isinstance(first, BatchView) and isinstance(second, BatchView)
    entries = (*first.entries, *second.entries)
    assert batch_message(entries) == (
        "log: 2 values (2026-03-30..2026-04-01)\n\nmrr = 1 USD (2026-03-30)\nusers = 2 (2026-04-01)"
    )
    assert batch_message(entries[:1], "import: x").startswith("import: x\n\n")
