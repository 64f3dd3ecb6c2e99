"""rendering/changes.py: target changes as people read them, from their JSON."""

from __future__ import annotations

from smartgoals.rendering.changes import change_value, goal_history_lines, target_change_text
from tests.conftest import ledger_from_strings

OLD = [{"text": ">= $1,000 by 2026-12-31"}]
NEW = [{"text": ">= $800 by 2026-12-31"}]


def test_change_value() -> None:
    mrr = ledger_from_strings("metrics:\n  mrr: {name: MRR, unit: USD}\ngoals: []\n").metrics["mrr"]
    assert change_value(mrr, None) == "-"
    assert change_value(mrr, 1200) == "$1,200"
    assert change_value(mrr, "doing") == "doing"
    assert change_value(None, 3) == "3"


def test_target_change_text() -> None:
    assert target_change_text({"change": "added", "new": NEW}) == "+ >= $800 by 2026-12-31"
    assert target_change_text({"change": "removed", "old": OLD}) == "- >= $1,000 by 2026-12-31"
    eased = {"change": "changed", "old": OLD, "new": NEW, "eased": True, "reasons": ["churn"]}
    assert target_change_text(eased) == (
        ">= $1,000 by 2026-12-31 -> >= $800 by 2026-12-31  (eased)  reason: churn"
    )
    tightened = {"change": "changed", "old": NEW, "new": OLD, "eased": False}
    assert target_change_text(tightened).endswith("  (tightened)")
    neither = {"change": "changed", "old": None, "new": NEW, "eased": None}
    assert target_change_text(neither) == "- -> >= $800 by 2026-12-31"


def test_goal_history_lines_group_by_commit() -> None:
    item = {
        "commit": "0123456789abcdef",
        "date": "2026-02-01T09:00:00+00:00",
        "author": "Ada",
        "message": "targets",
        "goal": "revenue",
        "change": "added",
        "new": NEW,
        "metric": "mrr",
    }
    other = {**item, "metric": "cac"}
    assert goal_history_lines([item, other], None) == [
        "",
        "Target history",
        "  0123456789  2026-02-01  Ada  targets",
        "      revenue mrr: + >= $800 by 2026-12-31",
        "      revenue cac: + >= $800 by 2026-12-31",
    ]
    later = {**item, "commit": "fedcba9876543210", "message": "more"}
    assert goal_history_lines([item, later], None)[-2] == "  fedcba9876  2026-02-01  Ada  more"


def test_goal_history_lines_missing_or_empty() -> None:
    assert goal_history_lines([], "not a git repository") == [
        "",
        "Target history is missing: not a git repository",
    ]
    assert goal_history_lines([], None) == [
        "",
        "Target history: no commit changed this goal's targets.",
    ]
