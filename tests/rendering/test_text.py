"""rendering/text.py: engine records as Rich renderables (status words, bars, risks, the card)."""

from __future__ import annotations

import datetime as dt

from rich.console import Console

from smartgoals.engine.evaluation import evaluate
from smartgoals.rendering.text import bar, current_text, goal_card, risks_view, status_text
from tests.conftest import ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cash: {name: Cash, unit: USD}
goals:
  - id: revenue
    title: "Revenue \\e[2J"
    owner: Ada
    specific: Reach $1k MRR
    review: {monthly: Revenue review}
    start: 2026-01-01
    targets:
      - {metric: mrr, target: ">= 1000", due: 2026-12-31, baseline: 0}
risks:
  - {id: low, title: Cash is low, when: "cash < 5000", actions: [cut costs]}
  - {id: high, title: Cash is high, when: "cash > 1000000"}
"""
JOURNAL = "2026-01-31,mrr,100,\n2026-02-28,mrr,300,deal\n2026-02-15,cash,3000,\n"


def printed(renderable: object, width: int = 100) -> str:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def test_status_text_is_a_word_with_a_colour() -> None:
    word = status_text("at_risk")
    assert (word.plain, str(word.style)) == ("▲ at risk", "yellow")
    plain = status_text("at_risk", plain=True)
    assert (plain.plain, str(plain.style)) == ("at risk", "")


def test_bar_has_a_number() -> None:
    assert bar(0.3, True).plain == "###.......  30%"
    assert bar(None, False).plain == "-"


def test_current_text_and_the_card() -> None:
    ledger = ledger_from_strings(GOALS, JOURNAL)
    evaluation = evaluate(ledger, dt.date(2026, 3, 1))
    revenue = evaluation.goals[0]
    assert current_text(revenue.targets[0], True).plain == "$300 (2026-02-28)"
    card = printed(goal_card(revenue, ledger, dt.date(2026, 3, 1), True))
    lines = [line.rstrip() for line in card.splitlines()]
    assert lines[0].startswith("Revenue ") and lines[0].endswith(" (revenue)")
    assert set(lines[1]) == {"="}
    assert "\x1b" not in card  # the escape in the title is shown, not obeyed
    assert "Owner    Ada" in lines
    assert "Review  monthly: Revenue review" in lines
    assert any(line.startswith("Specific") and "Reach $1k MRR" in line for line in lines)
    assert "MRR [mrr]  on track" in lines
    assert any(line.startswith("recent") and "2026-01-31" in line for line in lines)
    framed = printed(goal_card(revenue, ledger, dt.date(2026, 3, 1), False))
    assert "╭" in framed  # not plain: a panel


def test_risks_view_only_triggered() -> None:
    ledger = ledger_from_strings(GOALS, JOURNAL)
    risks = evaluate(ledger, dt.date(2026, 3, 1)).risks
    only = printed(risks_view(risks, True, True, ledger.metrics))
    assert only.splitlines()[0] == "Triggered risks (1)"
    assert "Cash is low" in only and "Cash is high" not in only
    assert "values: cash = $3,000" in only
    every = printed(risks_view(risks, True, False, ledger.metrics))
    assert every.splitlines()[0] == "Risks (2)"
    assert "quiet  Cash is high  high" in every
