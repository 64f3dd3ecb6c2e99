"""commands/diff.py: what changed between two revisions, or a revision and the working tree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.app import app
from smartgoals.commands.diff import diff
from smartgoals.rendering import Format, render
from tests.conftest import committed_ledger, git, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: revenue
    title: Revenue
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31}
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,100,\n"
TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def ledger(repo: Path) -> Path:
    committed_ledger(repo, GOALS, JOURNAL)
    write_ledger(repo, GOALS.replace('">= 1000"', '">= 800"'))
    git(repo, "commit", "-q", "-a", "-m", "ease mrr")
    return repo


def test_between_two_revisions(ledger: Path) -> None:
    view = diff(ledger, TODAY, "HEAD~1", "HEAD")
    assert (view.a.rev, view.a.commit.message) == ("HEAD~1", "start")
    assert (view.b.rev, view.b.commit.message) == ("HEAD", "ease mrr")  # type: ignore[union-attr]
    (change,) = view.diff.targets
    assert (change.goal, change.metric.id, change.change, change.eased) == (
        "revenue",
        "mrr",
        "changed",
        True,
    )
    assert [r.value for r in change.old] == [1000.0]
    assert [r.value for r in change.new] == [800.0]
    assert view.as_of == TODAY


def test_head_against_the_working_tree(ledger: Path) -> None:
    assert diff(ledger, TODAY).diff.targets == ()
    with (ledger / "goals" / "log.csv").open("a", encoding="utf-8") as journal:
        journal.write("2026-02-28,mrr,300,\n")
    view = diff(ledger, TODAY)
    assert view.b.commit is None  # the working tree
    assert len(view.diff.observations) == 1
    assert view.diff.targets == ()


def test_the_options_are_kept_for_the_exit_code(ledger: Path) -> None:
    view = diff(ledger, TODAY, "HEAD~1", "HEAD", exit_code=True, require_reason=True)
    assert (view.exit_on_change, view.require_reason) == (True, True)
    assert view.exit_code != 0


MIX = """\
metrics:
  web: {name: Web, unit: percent}
  mobile: {name: Mobile, unit: percent}
goals:
  - id: platforms
    title: Platforms
    due: 2026-12-31
    targets:
      - mix: platform_mix
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 60%}
"""


def test_a_mix_re_planned_is_a_change_that_neither_eases_nor_tightens(repo: Path) -> None:
    """Planned shares moved with the tolerance kept: a change, shown with both plans."""
    committed_ledger(repo, MIX, "date,metric,value,note\n")
    write_ledger(repo, MIX.replace("40%", "30%").replace("60%", "70%"))
    git(repo, "commit", "-q", "-a", "-m", "more mobile")
    view = diff(repo, TODAY, "HEAD~1", "HEAD")
    (change,) = view.diff.targets
    assert (change.change, change.eased) == ("changed", None)
    assert change.old_mix == (("web", "web", 40.0), ("mobile", "mobile", 60.0))
    assert change.new_mix == (("web", "web", 30.0), ("mobile", "mobile", 70.0))
    data = render(view, Format.JSON)
    (shown,) = data["targets"]
    assert shown["new_mix"] == [
        {"part": "web", "metric": "web", "share": 30.0},
        {"part": "mobile", "metric": "mobile", "share": 70.0},
    ]
    shown_text = CliRunner().invoke(app, ["-C", str(repo), "diff", "HEAD~1", "HEAD"]).output
    old, new = "web 40%, mobile 60%", "web 30%, mobile 70%"
    assert f"<= 5 pp by 2026-12-31: {old} -> <= 5 pp by 2026-12-31: {new}" in shown_text
