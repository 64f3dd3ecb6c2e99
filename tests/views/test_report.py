"""views/report.py: the report as JSON (asserted field by field: a contract), and the Markdown
and HTML forms handed to their modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartgoals.rendering import Display
from smartgoals.views.report import report_html, report_json, report_md
from tests.views.reportledger import monthly


@pytest.fixture
def view(tmp_path: Path):  # type: ignore[no-untyped-def]
    return monthly(tmp_path)


def test_json_period_and_baseline(view) -> None:  # type: ignore[no-untyped-def]
    data = report_json(view, Display())
    assert (data["kind"], data["period"], data["first"], data["as_of"]) == (
        "monthly",
        "2026-02",
        "2026-02-01",
        "2026-02-28",
    )
    assert data["baseline"] == {
        "date": "2026-01-31",
        "rev": None,
        "commit": None,
        "note": "outside git: the baseline is this ledger evaluated at 2026-01-31",
    }
    assert data["headline"] == {"now": {"on_track": 1}, "baseline": {"on_track": 1}, "changes": []}
    assert data["version"] == view.version
    assert data["notes"] == {"path": "reports/notes/2026-02.md", "text": None}
    assert data["rungs"] is None  # quarterly only


def test_json_kpi_row(view) -> None:  # type: ignore[no-untyped-def]
    (row,) = report_json(view, Display())["targets"]
    assert (row["goal"], row["metric"], row["value"], row["previous"], row["change"]) == (
        "revenue",
        "mrr",
        300,
        100,
        200,
    )
    # plan: 1000 x 58/364 days of the window gone at the latest value = 159.34; 300 is 140.66
    # (88.28%) above it, more than the at-risk band (10% of 1000): material
    assert (row["plan"], row["variance"], row["variance_pct"]) == (159.340659, 140.659341, 88.28)
    assert (row["material"], row["unexplained"]) == (True, False)
    assert row["explanations"] == [{"source": "journal", "date": "2026-02-28", "text": "deal"}]
    assert (row["target"], row["op"], row["due"], row["trend"]) == (1000, ">=", "2026-12-31", "up")


def test_json_risks_calibration_and_hygiene(view) -> None:  # type: ignore[no-untyped-def]
    data = report_json(view, Display())
    assert [(r["state"], r["id"], r["owner"], r["values"]) for r in data["risks"]] == [
        ("new", "low", "Ada", {"cash": 3000})
    ]
    assert data["calibration"] == {
        "reason": "outside git: targets changed since the baseline cannot be told",
        "changes": [],
    }
    assert data["hygiene"] == {"stale_metrics": [], "overdue_reviews": []}


def test_markdown_and_html_are_strings_of_their_format(view) -> None:  # type: ignore[no-untyped-def]
    markdown = report_md(view, Display())
    assert markdown.startswith("# Monthly report 2026-02 (to 2026-02-28)\n")
    html = report_html(view, Display())
    assert html.startswith("<!DOCTYPE html>")
    assert "<b>now</b>" not in html and "<b>now</b>" not in markdown  # user text escaped


def test_json_declared_and_alignment_as_status_and_tree_give_them(tmp_path: Path) -> None:
    from smartgoals.commands.status import status
    from smartgoals.views.status import status_json
    from tests.views.reportledger import aligned

    view = aligned(tmp_path)
    data = report_json(view, Display())
    (declared,) = data["declared"]
    assert declared == {
        "goal": "revenue",
        "status": "on_track",
        "state": "not_started",
        "date": "2026-01-02",
        "disagreement": "declared not_started, computed on_track",
    }
    import datetime as dt

    shown = status_json(status(tmp_path, dt.date(2026, 3, 1), as_of="2026-02-28"), Display())
    goal = next(g for g in shown["goals"] if g["id"] == "revenue")
    assert goal["declared"] == {k: declared[k] for k in ("state", "date", "disagreement")}
    (root, lonely) = data["alignment"]["tree"]
    assert (root["id"], [c["id"] for c in root["children"]], lonely["id"]) == (
        "vision",
        ["revenue"],
        "lonely",
    )
    assert data["alignment"]["unaligned"] == ["lonely"]


def test_json_without_alignment_or_declared_states(view) -> None:  # type: ignore[no-untyped-def]
    data = report_json(view, Display())
    assert (data["declared"], data["alignment"]) == ([], None)
