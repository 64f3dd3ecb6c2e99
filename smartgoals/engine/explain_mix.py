"""`explain` for a mix: its parts at the basis date, the worst deviation, and the rule quoted.

Pure; it restates the judgement record (engine/mix.py computed it) and recomputes nothing.
"""

from __future__ import annotations

from smartgoals.engine.explain_rules import RULES, Step, day_text, number
from smartgoals.engine.judgement import NO_DATA, NOT_STARTED, TargetStatus
from smartgoals.engine.mix import points, share_text


def mix_steps(status: TargetStatus) -> list[Step]:
    """The parts (planned, actual, deviation) and the rule that decided the status."""
    tolerance = status.rung.value
    parts = status.mix or ()
    listed = "; ".join(
        f"{p.part} ({p.metric}) {share_text(p.actual)} vs {share_text(p.planned)} planned, "
        + ("-" if p.deviation is None else points(p.deviation))
        for p in parts
    )
    basis = day_text(status.basis_date)
    steps = [
        Step(
            "parts",
            f"at the basis date {basis}: {listed}"
            if parts
            else "no basis date: a part has no value",
            {
                "basis_date": basis,
                "parts": [
                    {
                        "part": p.part,
                        "metric": p.metric,
                        "planned": number(p.planned),
                        "actual": number(p.actual),
                        "deviation": number(p.deviation),
                    }
                    for p in parts
                ],
                "tolerance": number(tolerance),
            },
        )
    ]
    if status.status == NOT_STARTED:
        return steps
    if status.status == NO_DATA:
        rule = RULES["mix_no_data"]
    elif status.status in ("missed", "achieved_late") or status.judged_date is not None:
        rule = RULES["mix_due"]
    else:
        rule = RULES["mix"]
    steps.append(Step("rule", f"{status.status}: {status.why}. Rule: {rule}", {"rule": rule}))
    return steps
