"""engine/explain_mix.py: a mix's parts at its basis date and the rule quoted."""

from __future__ import annotations

import datetime as dt

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.explain_mix import mix_steps
from smartgoals.engine.explain_rules import RULES
from tests.conftest import ledger_from_strings
from tests.engine.test_mix import SHARES


def _steps(journal: str, as_of: str) -> list[tuple[str, str]]:
    ledger = ledger_from_strings(SHARES, journal)
    judged = evaluate(ledger, dt.date.fromisoformat(as_of)).goals[0].targets[0]
    return [(step.name, step.text) for step in mix_steps(judged)]


def test_the_parts_and_the_rule_before_the_due() -> None:
    journal = "2026-09-30,web,33\n2026-09-30,mobile,62\n2026-09-30,desktop,5\n"
    assert _steps(journal, "2026-10-15") == [
        (
            "parts",
            "at the basis date 2026-09-30: web (web) 33% vs 40% planned, -7pp; "
            "mobile (mobile) 62% vs 55% planned, +7pp; desktop (desktop) 5% vs 5% planned, 0pp",
        ),
        (
            "rule",
            "at_risk: judged at 2026-09-30: worst part web 33% vs 40% planned (-7pp), beyond "
            f"5pp. Rule: {RULES['mix']}",
        ),
    ]


def test_after_the_due_and_without_data() -> None:
    journal = "2026-12-31,web,30\n2026-12-31,mobile,65\n2026-12-31,desktop,5\n"
    name, text = _steps(journal, "2027-01-15")[-1]
    assert name == "rule" and text.startswith("missed: ") and text.endswith(RULES["mix_due"])
    assert _steps("", "2026-10-15") == [
        ("parts", "no basis date: a part has no value"),
        (
            "rule",
            f"no_data: no date yet at which every part has a value. Rule: {RULES['mix_no_data']}",
        ),
    ]
