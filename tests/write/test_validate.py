"""write/validate.py: a batch checked against the loaded definitions before anything is locked."""

from __future__ import annotations

import datetime as dt

from smartgoals.ledger.model import Definitions
from smartgoals.write.recording import Batch, entry_for
from smartgoals.write.validate import validate
from tests.conftest import ledger_from_strings

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  cost: {name: Cost, unit: USD}
  margin: {name: Margin, unit: USD, formula: "mrr - cost"}
goals:
  - id: g
    title: G
    due: 2026-Q4
    targets:
      - {metric: mrr, steps: [{value: 5k, due: 2026-Q4}]}
"""
DAY = dt.date(2026, 3, 1)


def definitions(goals: str = GOALS) -> Definitions:
    ledger = ledger_from_strings(goals)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    return ledger.definitions


def test_a_batch_of_recorded_metrics_passes() -> None:
    defs = definitions()
    entries = (
        entry_for(defs.metrics["mrr"], DAY, 5, ""),
        entry_for(defs.metrics["cost"], DAY, 1, "x"),
    )
    assert validate(Batch(entries, "log"), defs, "goals/log.csv") == ()


def test_every_problem_is_found_with_the_row_it_concerns() -> None:
    defs = definitions()
    other = definitions(GOALS.replace("{name: Cost, unit: USD}", "{name: Cost, unit: EUR}"))
    good = entry_for(defs.metrics["mrr"], DAY, 5, "")
    derived = entry_for(defs.metrics["margin"], DAY, 1, "")
    redefined = entry_for(other.metrics["cost"], DAY, 1, "")
    unknown = entry_for(defs.metrics["mrr"]._replace(id="mrx"), DAY, 1, "")
    broken = good._replace(row="2026-03-01,mrr,5,a\nb\n")
    batch = Batch((good, derived, redefined, unknown, broken), "log")
    found = [str(problem) for problem in validate(batch, defs, "goals/log.d/a.csv")]
    assert found == [
        "goals/log.d/a.csv: row 2: margin is computed from its formula (mrr - cost), not recorded",
        "goals/log.d/a.csv: row 3: cost is defined differently than when its value was read",
        "goals/log.d/a.csv: row 4: unknown metric 'mrx' (did you mean 'mrr'?)",
        "goals/log.d/a.csv: row 5: mrr = 5 USD (2026-03-01): not one journal row "
        "('2026-03-01,mrr,5,a\\nb\\n')",
    ]


def test_checkin_rows_are_read_as_the_file_will_be() -> None:
    defs = definitions()
    rows = "2026-03-01,g,on_track,\n2026-03-01,nope,at_risk,\n2026-03-01,g,sure,\n"
    found = validate(Batch((), "check-in", rows), defs, "goals/log.csv")
    assert [(p.path, p.field) for p in found] == [
        ("goals/checkins.csv", "row 2"),
        ("goals/checkins.csv", "row 3"),
    ]
    assert "nope" in found[0].message
