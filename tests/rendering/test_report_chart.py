"""rendering/report_chart.py: a target's chart for the HTML report: the observed line, the
target's steps, the expected pace, the forecast; asserted on the points, not the drawing."""

from __future__ import annotations

import datetime as dt

from smartgoals.rendering.report_chart import (
    PACE_SAMPLES,
    forecast_points,
    pace_points,
    target_chart,
    target_segments,
)
from tests.conftest import evaluate_strings, ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  mvp: {name: MVP, type: stage, stages: [todo, done]}
goals:
  - id: revenue
    title: Revenue
    targets:
      - metric: mrr
        start: 2026-01-01
        baseline: 0
        steps:
          - {value: 100, due: 2026-02-01}
          - {value: 400, due: 2026-04-01}
      - {metric: mvp, target: done, due: 2026-06-30}
"""
JOURNAL = "2026-01-01,mrr,0,\n2026-01-21,mrr,60,\n2026-03-01,mrr,200,\n2026-01-01,mvp,todo,\n"
AS_OF = "2026-03-15"


def targets():  # type: ignore[no-untyped-def]
    evaluation = evaluate_strings(GOALS, JOURNAL, AS_OF)
    ledger = ledger_from_strings(GOALS, JOURNAL)
    return evaluation.goals[0].targets, ledger.series


def test_pace_points_follow_each_rung() -> None:
    (mrr, mvp), series = targets()
    points = pace_points(mrr, series["mrr"])
    assert len(points) == 2 * (PACE_SAMPLES + 1)
    assert points[0] == (dt.date(2026, 1, 1), 0.0)
    assert points[PACE_SAMPLES] == (dt.date(2026, 2, 1), 100.0)  # the first rung, on its due
    assert points[PACE_SAMPLES + 1] == (dt.date(2026, 2, 1), 100.0)  # the next runs from it
    assert points[-1] == (dt.date(2026, 4, 1), 400.0)
    assert pace_points(mvp, series["mvp"]) == []  # a stage has no pace


def test_target_segments_are_the_rungs_over_time() -> None:
    (mrr, _mvp), _series = targets()
    assert target_segments(mrr, dt.date(2026, 1, 1), dt.date(2026, 5, 1)) == [
        (dt.date(2026, 1, 1), dt.date(2026, 2, 1), 100.0),
        (dt.date(2026, 2, 1), dt.date(2026, 4, 1), 400.0),
    ]


def test_no_forecast_no_points() -> None:
    (mrr, _mvp), _series = targets()
    assert forecast_points(mrr, None, dt.date(2026, 3, 15)) == []


def test_target_chart_describes_what_it_draws() -> None:
    (mrr, _mvp), series = targets()
    drawn = target_chart(mrr, series["mrr"], None, dt.date(2026, 3, 15), "revenue-0", "MRR")
    assert drawn.startswith("<svg ")
    assert "xmlns" not in drawn
    assert "3 observations of MRR, latest $200 on 2026-03-01" in drawn
    assert 'class="observed"' in drawn and 'class="target"' in drawn and 'class="pace"' in drawn
    again = target_chart(mrr, series["mrr"], None, dt.date(2026, 3, 15), "revenue-0", "MRR")
    assert drawn == again
    standalone = target_chart(
        mrr, series["mrr"], None, dt.date(2026, 3, 15), "revenue-0", "MRR", standalone=True
    )
    assert "<style>" in standalone and 'xmlns="http://www.w3.org/2000/svg"' in standalone
