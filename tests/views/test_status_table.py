"""views/status_table.py: the status table's columns for each display, and the table laid out
to the width, plain or painted. Asserted on what any layout keeps: which columns a display
gets, a line per goal and target, the width respected, escape codes only when painted."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from smartgoals.commands.status import status
from smartgoals.rendering import Display
from smartgoals.views.status_table import column_keys, status_lines, status_rich
from tests.conftest import write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cac: {name: CAC, unit: USD, direction: down}
goals:
  - id: revenue
    title: Grow revenue to a level that pays for a long title
    area: Sales
    start: 2026-01-01
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31, baseline: 0}
      - {metric: cac, target: "< 10", due: 2026-12-31}
risks:
  - {id: cac-high, title: CAC is high, when: "cac > 50"}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,100,
2026-02-28,mrr,300,
2026-02-28,cac,60,
"""
TODAY = dt.date(2026, 3, 1)
ESCAPE = re.compile("\x1b\\[[0-9;]*m")


@pytest.fixture
def view(tmp_path: Path):  # type: ignore[no-untyped-def]
    write_ledger(tmp_path, GOALS, JOURNAL)
    return status(tmp_path, TODAY)


def test_column_keys_piped_and_in_a_terminal() -> None:
    piped = column_keys(Display())
    assert piped[0] == "goal" and piped[-1] == "status"
    assert "trend" not in piped  # piped: no sparkline unless --wide
    assert "trend" in column_keys(Display(wide=True))
    assert column_keys(Display(width=100))[-1] == "status"
    compact = column_keys(Display(), compact=True)
    assert compact[0] == "goal" and compact[-1] == "status"
    assert len(compact) < len(piped)


def test_plain_a_line_per_goal_and_target_and_the_risks(view) -> None:  # type: ignore[no-untyped-def]
    lines = status_lines(view, Display())
    text = "\n".join(lines)
    assert "\x1b" not in text
    assert sum("revenue" in line for line in lines) == 1
    assert any(line.lstrip().startswith("MRR") for line in lines)
    assert any(line.lstrip().startswith("CAC") for line in lines)
    assert "CAC is high" in text  # a triggered risk is shown under the table
    assert lines[-1].startswith("1 goal as of 2026-03-01: ")


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_width_is_respected(view, width: int) -> None:  # type: ignore[no-untyped-def]
    lines = status_lines(view, Display(width=width))
    assert all(len(line) <= width for line in lines)
    assert any("revenue" in line for line in lines)


def test_compact_is_one_line_per_goal(view) -> None:  # type: ignore[no-untyped-def]
    lines = status_lines(view._replace(compact=True), Display())
    assert not any(line.lstrip().startswith("MRR") for line in lines)
    assert sum("revenue" in line for line in lines) == 1


def test_painted_has_the_same_text(view) -> None:  # type: ignore[no-untyped-def]
    painted = status_rich(view, Display(width=120, color=True)).ansi()
    assert "\x1b[" in painted
    plain = ESCAPE.sub("", painted).splitlines()
    assert all(len(line) <= 120 for line in plain)
    assert any("revenue" in line for line in plain)
    assert plain[-1] == status_lines(view, Display(width=120))[-1]


DECLARED = """\
metrics:
  users: {name: Users}
  launch_state: {name: Launch state, type: stage, stages: [not_started, in_progress, done]}
  beta_state: {name: Beta state, type: stage, stages: [not_started, in_progress, done]}
goals:
  - id: launch
    title: Launch
    start: 2026-01-01
    due: 2026-12-31
    state: launch_state
    targets:
      - {metric: users, target: 100, baseline: 0}
  - id: beta
    title: Beta
    start: 2026-01-01
    due: 2026-12-31
    state: beta_state
    targets:
      - {metric: users, target: 10, baseline: 0}
"""
DECLARED_JOURNAL = """\
date,metric,value,note
2026-01-05,launch_state,not_started,
2026-01-05,beta_state,done,
2026-02-01,users,20,
"""


@pytest.mark.parametrize("width", [None, 80, 200])
def test_a_goal_row_shows_its_declared_state_and_any_disagreement(
    tmp_path: Path, width: int | None
) -> None:
    write_ledger(tmp_path, DECLARED, DECLARED_JOURNAL)
    lines = status_lines(status(tmp_path, TODAY), Display(width=width))
    launch = next(line for line in lines if line.startswith("Launch"))
    beta = next(line for line in lines if line.startswith("Beta"))
    if width == 80:  # the short mark; the numbers of the target rows stay whole
        assert "≠ declared" in launch
        assert "declared done" in beta and "≠" not in beta
        assert any(" 20 " in line for line in lines)
    else:
        assert "declared not started, computed on track" in launch
        assert "declared done" in beta and "computed" not in beta


MIX_GOALS = """\
metrics:
  web: {name: Web, unit: percent}
  mobile: {name: Mobile, unit: percent}
  desktop: {name: Desktop, unit: percent}
goals:
  - id: platforms
    title: Platforms
    due: 2026-12-31
    targets:
      - mix: platform_mix
        name: Platform distribution
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 55%}
          desktop: {metric: desktop, share: 5%}
"""
MIX_JOURNAL = """\
date,metric,value,note
2026-02-28,web,38,
2026-02-28,mobile,57,
2026-02-28,desktop,5,
"""


@pytest.mark.parametrize("width", [None, 80, 60])
def test_a_mix_is_one_row_and_a_row_per_part_none_cut(tmp_path: Path, width: int | None) -> None:
    write_ledger(tmp_path, MIX_GOALS, MIX_JOURNAL)
    lines = status_lines(status(tmp_path, TODAY), Display(width=width))
    text = "\n".join(lines)
    assert "Platform distribution" in text or width == 60  # a name may be cut, no number
    # each part: its actual share, and its planned share with the deviation, whole at any width
    for cells in [
        ("web", "38%", "plan 40%, -2pp"),
        ("mobile", "57%", "plan 55%, +2pp"),
        ("desktop", "5%", "plan 5%, 0pp"),
    ]:
        assert any(all(cell in line for cell in cells) for line in lines), (cells, text)
    if width is not None:
        assert all(len(line) <= width for line in lines)
