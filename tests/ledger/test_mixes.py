"""ledger/mixes.py: a `mix:` target resolved and checked, and logged shares that do not add up."""

from __future__ import annotations

import pytest

from smartgoals.ledger.mixes import mix_sum_problems, parse_points
from tests.conftest import ledger_from_strings

METRICS = """
metrics:
  web: {name: Web, unit: percent}
  mobile: {name: Mobile, unit: percent}
  desktop: {name: Desktop, unit: percent}
  fees: {name: Fees, unit: USD}
  premium: {name: Premium, unit: USD}
  stage: {name: Stage, type: stage, stages: [idea, live]}
goals:
  - id: platforms
    title: Platforms
    targets:
"""


def _problems(target: str, journal: str = "") -> list[str]:
    ledger = ledger_from_strings(METRICS + target, journal)
    return [str(problem) for problem in ledger.problems]


def test_a_mix_resolves_to_one_target_with_its_parts() -> None:
    target = """
      - mix: platform_mix
        name: Platform distribution
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 55}
          desktop: {metric: desktop, share: "5"}
        tolerance: 3pp
        due: 2026-Q4
    """
    ledger = ledger_from_strings(METRICS + target)
    assert not ledger.problems
    (resolved,) = ledger.goals[0].targets
    assert resolved.metric == "platform_mix" and resolved.name == "Platform distribution"
    assert resolved.mix == (
        ("web", "web", 40.0),
        ("mobile", "mobile", 55.0),
        ("desktop", "desktop", 5.0),
    )
    assert resolved.rungs[0].op == "<=" and resolved.rungs[0].value == 3.0
    assert resolved.rungs[0].due_text == "2026-Q4"
    assert resolved.metrics_read == ("web", "mobile", "desktop")


def test_planned_shares_that_do_not_add_up_to_100_are_a_problem_at_parts() -> None:
    target = """
      - mix: platform_mix
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 55%}
    """
    assert _problems(target) == [
        "goals/goals.yaml:15:9: platforms.targets[0].parts: the planned shares add up to 95% "
        "(40 + 55), not 100%"
    ]


def test_unknown_and_stage_metrics_mixed_kinds_and_bad_tolerances() -> None:
    target = """
      - mix: m1
        parts:
          web: {metric: wbe, share: 50%}
          stage: {metric: stage, share: 50%}
      - mix: m2
        parts:
          web: {metric: web, share: 50%}
          fees: {metric: fees, share: 50%}
      - mix: m3
        parts:
          web: {metric: web, share: 50%}
          mobile: {metric: mobile, share: 50%}
        tolerance: $5
      - mix: web
        parts:
          fees: {metric: fees, share: 120%}
          premium: {metric: premium, share: -20%}
    """
    found = _problems(target)
    assert any("parts.web.metric: unknown metric 'wbe' (did you mean 'web'?)" in p for p in found)
    assert any("parts.stage.metric: a stage metric has no share" in p for p in found)
    assert any("all shares (unit: percent) or all amounts in one unit" in p for p in found)
    assert any("tolerance '$5' is not in percentage points" in p for p in found)
    assert any("mix id 'web' is a metric's id" in p for p in found)
    assert any("share '120%' is not 0-100%" in p for p in found)


def test_keys_of_other_targets_do_not_apply_to_a_mix_and_mix_keys_need_a_mix() -> None:
    target = """
      - mix: m
        metric: web
        target: 5
        parts:
          web: {metric: web, share: 50%}
          mobile: {metric: mobile, share: 50%}
      - metric: web
        target: 5
        tolerance: 5pp
      - {parts: {}}
    """
    found = _problems(target)
    assert any("metric: does not apply to a mix" in p for p in found)
    assert any("target: does not apply to a mix" in p for p in found)
    assert any("tolerance: belongs to a mix (mix: ID)" in p for p in found)
    assert any("give metric: (or mix: with parts:, a mix)" in p for p in found)


@pytest.mark.parametrize(
    ("raw", "points"), [("5pp", 5.0), ("2.5 pp", 2.5), ("5%", 5.0), (5, 5.0), ("4", 4.0)]
)
def test_tolerances_are_points(raw: object, points: float) -> None:
    assert parse_points(raw) == points


MIX = """
      - mix: platform_mix
        parts:
          web: {metric: web, share: 40%}
          mobile: {metric: mobile, share: 55%}
          desktop: {metric: desktop, share: 5%}
"""


def test_logged_shares_that_do_not_add_up_on_a_day_are_a_problem_at_its_last_row() -> None:
    # 01-31: 40 + 55 + 5 = 100; 02-28: 40 + 56 + 5.4 = 101.4 (beyond 0.5); 03-31: 40 + 55.3
    # + 5 = 100.3 (within rounding); 04-30: desktop not logged, not checked
    journal = """
        2026-01-31,web,40,
        2026-01-31,mobile,55,
        2026-01-31,desktop,5,
        2026-02-28,web,40,
        2026-02-28,mobile,56,
        2026-02-28,desktop,5.4,
        2026-03-31,web,40,
        2026-03-31,mobile,55.3,
        2026-03-31,desktop,5,
        2026-04-30,web,10,
        2026-04-30,mobile,10,
    """
    ledger = ledger_from_strings(METRICS + MIX, journal)
    assert not ledger.problems
    pairs = [(goal.id, t) for goal in ledger.goals for t in goal.targets]
    found = mix_sum_problems(pairs, ledger.metrics, ledger.series)
    assert [str(p) for p in found] == [
        "goals/log.csv:7: value: mix platform_mix of platforms: the shares logged on 2026-02-28 "
        "add up to 101.4% (web 40 + mobile 56 + desktop 5.4), not 100% (within 0.5pp)"
    ]


def test_amounts_are_not_checked_for_a_sum() -> None:
    target = """
      - mix: revenue
        parts:
          fees: {metric: fees, share: 70%}
          premium: {metric: premium, share: 30%}
    """
    ledger = ledger_from_strings(METRICS + target, "2026-01-31,fees,10\n2026-01-31,premium,20\n")
    pairs = [(goal.id, t) for goal in ledger.goals for t in goal.targets]
    assert mix_sum_problems(pairs, ledger.metrics, ledger.series) == []


def test_the_schema_has_every_key_of_a_mix_and_validates_the_demo_s_mixes() -> None:
    import json

    import jsonschema
    import yaml

    from tests.conftest import REPO_ROOT

    schema = json.loads((REPO_ROOT / "schemas" / "goals.schema.json").read_text())
    target = schema["$defs"]["Target"]["properties"]
    assert {"mix", "name", "parts", "tolerance"} <= target.keys()
    assert set(schema["$defs"]["MixPart"]["properties"]) == {"metric", "share"}
    validator = jsonschema.Draft202012Validator(schema)
    mixes = 0
    for path in sorted((REPO_ROOT / "goals").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), path.name
        mixes += sum("mix" in t for goal in data.get("goals", []) for t in goal["targets"])
    assert mixes == 5  # the framework's five mixes, as written
    wrong = {"goals": [{"id": "g", "title": "G", "targets": [{"mix": "m", "parts": {"a": {}}}]}]}
    assert list(validator.iter_errors(wrong))  # a part needs its metric and share
