"""engine/explain_rules.py: the README's rules as `explain` quotes them, and its number words."""

from __future__ import annotations

from smartgoals.engine.explain_rules import RULES, number, ratio
from tests.conftest import REPO_ROOT


def test_every_rule_is_a_sentence_of_the_status_engine_page() -> None:
    text = (REPO_ROOT / "docs" / "status-engine.md").read_text(encoding="utf-8")
    page = " ".join(text.replace("**", "").split())
    missing = [key for key, rule in RULES.items() if " ".join(rule.split()) not in page]
    assert missing == []


def test_each_way_of_judging_a_quota_s_open_period_has_its_rule() -> None:
    assert {"quota", "quota_pace", "quota_awaiting", "quota_so_far", "quota_due"} <= set(RULES)


def test_numbers_and_ratios() -> None:
    assert (number(None), number(1 / 3)) == (None, 0.333333)
    assert (ratio(0.5), ratio(2.0), ratio(0.123456)) == ("0.5", "2", "0.1235")
