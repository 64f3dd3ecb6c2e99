"""Derived metrics and risk triggers: the parser, the evaluator, hostile input, the CLI."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import resource
import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartgoals.formula.check import check
from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.functions import step_back
from smartgoals.formula.syntax import FormulaError, parse
from tests.conftest import evaluate_strings, invoke, write_ledger


class FakeData:
    """A tiny in-memory view: metric -> [(date, value)], evaluated as of AS_OF."""

    AS_OF = dt.date(2026, 3, 31)

    def __init__(
        self, rows: dict[str, list[tuple[str, float | str]]], statuses: dict[str, str] | None = None
    ):
        self.rows = {m: [(dt.date.fromisoformat(d), v) for d, v in r] for m, r in rows.items()}
        self.statuses = statuses or {}

    def at(self, metric: str, day: dt.date | None):  # type: ignore[no-untyped-def]
        limit = self.AS_OF if day is None else min(day, self.AS_OF)
        found = [(v, d) for d, v in self.rows.get(metric, []) if d <= limit]
        return found[-1] if found else None

    def before_latest(self, metric: str):  # type: ignore[no-untyped-def]
        found = [(v, d) for d, v in self.rows.get(metric, []) if d <= self.AS_OF]
        return found[-2] if len(found) > 1 else None

    def goal_status(self, goal_id: str) -> str | None:
        return self.statuses.get(goal_id)


DATA = FakeData(
    {
        "dau": [("2026-03-31", 250)],
        "mau": [
            ("2025-03-31", 100),
            ("2026-01-31", 700),
            ("2026-02-28", 800),
            ("2026-03-31", 1000),
        ],
        "zero": [("2026-03-31", 0)],
        "stage": [("2026-03-01", "beta")],
    },
    {"launch": "off_track"},
)


def value(text: str) -> object:
    return evaluate(parse(text), DATA).value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", 7),
        ("(1 + 2) * 3", 9),
        ("2 ** 3 ** 2", 512),  # right-associative
        ("-2 ** 2", -4),  # unary minus binds looser than **
        ("10 / 4", 2.5),
        ("10 - 4 - 3", 3),
        ("dau / mau * 100", 25),
        ("growth(mau, 'month') * 100", 25),  # 1000 over 800 (2026-02-28, a month before)
        ("growth(mau, 'year')", 9),  # 1000 over 100 (2025-03-31)
        ("growth(mau, '59d')", 1000 / 700 - 1),  # 2026-01-31 is 59 days before 2026-03-31
        ("change(mau, 'month')", 200),
        ("change(mau, 'quarter')", 300),  # 2025-12-31: nothing; the latest before is 700? no: 100
        ("prev(mau)", 800),
        ("min(dau, mau, 3)", 3),
        ("max(dau, mau)", 1000),
        ("abs(-5)", 5),
        ("round(10 / 3, 2)", 3.33),
        ("round(2.5)", 2),
        ("mau > 900", True),
        ("mau >= 1000 and dau < 100", False),
        ("mau < 10 or dau == 250", True),
        ("not mau < 10", True),
        ("dau != 250", False),
        ("stage == 'beta'", True),
        ("stage in ('beta', 'live')", True),
        ("stage not in ('beta', 'live')", False),
        ("status('launch') in ('off_track', 'missed')", True),
    ],
)
def test_operators_and_functions(text: str, expected: object) -> None:
    if text == "change(mau, 'quarter')":
        expected = 1000 - 100  # a quarter before 2026-03-31 is 2025-12-31: latest then is 100
    result = value(text)
    if isinstance(expected, bool):
        assert result is expected
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("dau / zero", "division by zero"),
        ("growth(zero, 'month')", "no value for zero a month before"),
        ("growth(dau, 'month')", "no value for dau a month before 2026-03-31"),
        ("missing_metric + 1", "no value for missing_metric"),
        ("prev(dau)", "no earlier value for dau"),
        ("10 ** 101", "an exponent out of range"),
        ("1e15 * 1e15", "a value is too large"),
        ("(-8) ** 0.5", "a root of a negative number"),
        ("stage * 2", "'beta' is not a number"),
        ("round(1, 40)", "round() takes 0 to 12 digits"),
    ],
)
def test_no_value_with_a_reason_never_a_crash(text: str, reason: str) -> None:
    outcome = evaluate(parse(text), DATA)
    assert outcome.value is None
    assert reason in (outcome.reason or "")


def test_three_valued_logic_with_missing_inputs() -> None:
    assert value("missing_metric < 1 or mau > 1") is True  # true whatever the unknown side is
    assert value("missing_metric < 1 and mau > 1e9") is False
    outcome = evaluate(parse("missing_metric < 1 or mau < 1"), DATA)
    assert outcome.value is None
    assert outcome.missing == ["no value for missing_metric"]


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("1 +", "expected a number, metric or (, found 'the end'", 4),
        ("(1 + 2", "expected ')', found 'the end'", 7),
        ("mau $ 2", "unexpected character '$'", 5),
        ("mau.__class__", "unexpected character '.'", 4),
        ("1 < 2 < 3", "chained comparisons are not supported", 7),
        ("mau mau", "unexpected 'mau'", 5),
        ("", "empty formula", 1),
        ("1e999", "number 1e999 is too large", 1),
    ],
)
def test_syntax_errors_have_a_column(text: str, message: str, column: int) -> None:
    with pytest.raises(FormulaError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.column == column


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("().__class__", "unexpected character '.'"),
        ("eval('1')", "unknown function 'eval'"),
        ("open('/etc/passwd')", "unknown function 'open'"),
        ("mua * 2", "unknown metric 'mua' (did you mean 'mau'?)"),
        ("growth(mau, 'fortnight')", "unknown period 'fortnight'"),
        ("growth(2, 'month')", "growth() takes a metric id first"),
        ("growth(mau)", "growth() takes 2 argument(s)"),
        ("mau > 2", "'>' compares; a formula computes a number"),
        ("status('x')", "status() belongs in a risk's when"),
    ],
)
def test_hostile_or_wrong_formulas_are_rejected(text: str, message: str) -> None:
    def suggest(word: str, choices: set[str]) -> str:
        return " (did you mean 'mau'?)" if word == "mua" else ""

    with pytest.raises(FormulaError) as caught:
        check(parse(text), {"mau", "dau"}, condition=False, suggest=suggest)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "9**9**9",
        "1" + " + 1" * 4_999,  # a 10,000-character expression
        "(" * 5_000 + "1" + ")" * 5_000,
        "-" * 5_000 + "1",
        "not " * 3_000 + "1 < 2",
        "max(" * 1_000 + "1" + ")" * 1_000,
    ],
)
def test_hostile_sizes_are_refused_or_evaluated_quickly(text: str) -> None:
    def case() -> None:
        try:
            outcome = evaluate(parse(text), DATA)
        except FormulaError:
            pass
        else:
            assert outcome.value is None or isinstance(outcome.value, float | bool)

    run_with_cpu_limit(case, seconds=2)


def run_with_cpu_limit(case: Callable[[], None], seconds: int) -> None:
    """Run case in a forked child whose CPU time the kernel caps (RLIMIT_CPU): a runaway case
    is killed by SIGXCPU, however busy the machine is; no clock is read. The child's CPU time
    starts at zero, so the budget is the case's own."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
            case()
        except BaseException as exc:
            code = 1
            with contextlib.suppress(BaseException):
                os.write(write_end, f"{type(exc).__name__}: {exc}".encode()[:4000])
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        failure = pipe.read().decode(errors="replace")
    _pid, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        signal_name = signal.Signals(os.WTERMSIG(status)).name
        pytest.fail(f"killed by {signal_name}: more than {seconds} s of CPU time")
    assert os.WEXITSTATUS(status) == 0, failure


def test_the_cpu_limit_stops_a_runaway_case() -> None:
    def spin() -> None:
        while True:
            pass

    with pytest.raises(pytest.fail.Exception, match="killed by SIGXCPU"):
        run_with_cpu_limit(spin, seconds=1)


def test_step_back_clamps_month_ends() -> None:
    assert step_back(dt.date(2026, 3, 31), "month") == dt.date(2026, 2, 28)
    assert step_back(dt.date(2024, 3, 31), "month") == dt.date(2024, 2, 29)
    assert step_back(dt.date(2026, 2, 28), "month") == dt.date(
        2026, 1, 31
    )  # month end to month end
    assert step_back(dt.date(2026, 6, 30), "quarter") == dt.date(2026, 3, 31)
    assert step_back(dt.date(2026, 1, 15), "quarter") == dt.date(2025, 10, 15)
    assert step_back(dt.date(2026, 1, 15), "year") == dt.date(2025, 1, 15)
    assert step_back(dt.date(2026, 1, 15), "week") == dt.date(2026, 1, 8)
    assert step_back(dt.date(2026, 1, 15), "30d") == dt.date(2025, 12, 16)


_ATOMS = st.sampled_from(
    [
        "mau",
        "dau",
        "zero",
        "missing_metric",
        "stage",
        "0",
        "1",
        "2.5",
        "1e6",
        "prev(mau)",
        "growth(mau, 'month')",
        "'beta'",
    ]
)
_OPS = st.sampled_from(["+", "-", "*", "/", "**", "<", "<=", "==", "!=", "and", "or"])


@st.composite
def formulas(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 4 or draw(st.booleans()):
        return draw(_ATOMS)
    kind = draw(st.sampled_from(["binary", "neg", "not", "call", "paren"]))
    left = draw(formulas(depth + 1))
    if kind == "neg":
        return f"-{left}"
    if kind == "not":
        return f"not {left}"
    if kind == "paren":
        return f"({left})"
    if kind == "call":
        name = draw(st.sampled_from(["min", "max", "abs", "round"]))
        return f"{name}({left})"
    return f"{left} {draw(_OPS)} {draw(formulas(depth + 1))}"


@settings(max_examples=300, deadline=None)
@given(formulas())
def test_random_formulas_never_raise_anything_but_our_error(text: str) -> None:
    try:
        node = parse(text)
    except FormulaError:
        return
    outcome = evaluate(node, DATA)
    assert outcome.value is None or isinstance(outcome.value, float | int | bool | str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises_anything_but_our_error(text: str) -> None:
    with contextlib.suppress(FormulaError):
        evaluate(parse(text), DATA)


# --- on real ledgers ---------------------------------------------------------------------------

DERIVED = """\
metrics:
  dau: {name: DAU}
  mau: {name: MAU}
  dau_mau: {name: DAU/MAU, unit: percent, formula: "dau / mau * 100"}
  mau_growth: {name: MAU growth, unit: percent, formula: "growth(mau, 'month') * 100"}
  engagement: {name: Engagement, formula: "dau_mau / 10"}
goals:
  - id: engaged
    title: Engaged users
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: dau_mau, target: "> 25%"}
      - {metric: mau_growth, target: "25%", baseline: 0}
      - {metric: engagement, target: 3}
risks:
  - id: shortfall
    title: Growth shortfall
    owner: Head of Growth
    when: "mau_growth < 15 or dau_mau < 10"
    actions: [Accelerate referrals, Talk to users]
  - id: launch-late
    title: Launch late
    when: "status('engaged') in ('off_track', 'missed')"
    actions: [Cut scope]
  - id: unknown-input
    title: Unknown input
    when: "dau > 5 and mau < 1"
    actions: []
"""
ROWS = """\
2026-01-31,mau,1000,
2026-01-31,dau,200,
2026-02-28,mau,1100,
2026-03-15,dau,330,
"""
JOURNAL = "date,metric,value,note\n" + ROWS


def test_derived_metrics_are_computed_where_an_input_changed() -> None:
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-03-31")
    dau_mau, growth, engagement = evaluation.goals[0].targets
    assert dau_mau.current == pytest.approx(30)  # 330 / 1100
    assert dau_mau.current_date == dt.date(2026, 3, 15)  # the latest of its inputs' dates
    assert dau_mau.status == "achieved"
    assert growth.current == pytest.approx(10)  # 1100 / 1000 - 1
    assert growth.current_date == dt.date(2026, 2, 28)
    assert engagement.current == pytest.approx(3)  # a formula over a formula
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-02-28")
    assert evaluation.goals[0].targets[0].current == pytest.approx(200 / 1100 * 100)


def test_a_derived_metric_without_value_says_why() -> None:
    evaluation = evaluate_strings(DERIVED, ROWS, "2026-02-01")
    growth = evaluation.goals[0].targets[1]
    assert growth.status == "no_data"
    assert growth.reason == "no value for mau a month before 2026-01-31"


def test_risks_in_status_json_and_risks_command(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    result = invoke(cli, tmp_path, "status", "--json", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.output
    risks = {r["id"]: r for r in json.loads(result.stdout)["risks"]}
    assert risks["shortfall"] == {
        "id": "shortfall",
        "title": "Growth shortfall",
        "owner": "Head of Growth",
        "when": "mau_growth < 15 or dau_mau < 10",
        "triggered": True,
        "actions": ["Accelerate referrals", "Talk to users"],
        "values": {"mau_growth": 10, "dau_mau": 30},
        "missing": [],
        "file": "goals/goals.yaml",
        "line": 17,
        "area": "Goals",
    }
    assert risks["launch-late"]["triggered"] is False
    assert risks["launch-late"]["values"] == {"status('engaged')": "on_track"}
    assert risks["unknown-input"]["triggered"] is False
    assert risks["unknown-input"]["missing"] == []  # decided: mau < 1 is false
    table = invoke(cli, tmp_path, "status", "--as-of", "2026-03-31").stdout
    assert "Triggered risks (1)" in table
    assert "TRIGGERED  Growth shortfall" in table
    assert "values: mau_growth = 10%, dau_mau = 30%" in table
    assert "- Accelerate referrals" in table
    assert table.rstrip().endswith("1 risk triggered")
    listing = invoke(cli, tmp_path, "risks", "--as-of", "2026-03-31")
    assert listing.exit_code == 0
    assert "Risks (3)" in listing.stdout
    assert "quiet  Launch late" in listing.stdout


def test_a_risk_without_data_is_not_triggered_and_names_what_is_missing(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    data = json.loads(invoke(cli, tmp_path, "risks", "--json", "--as-of", "2026-01-15").stdout)
    shortfall = next(r for r in data["risks"] if r["id"] == "shortfall")
    assert shortfall["triggered"] is False
    assert shortfall["missing"] == ["no value for mau_growth", "no value for dau_mau"]


BAD = """\
metrics:
  a: {name: A}
  b: {name: B, formula: "a +"}
  c: {name: C, formula: "d * 2"}
  d: {name: D, formula: "c + 1"}
  e: {name: E, formula: "aa * 2"}
  f: {name: F, formula: "a"}
goals: []
risks:
  - {id: r1, title: R1, when: "a <", actions: []}
  - {id: r2, title: R2, when: "status('nope') == 'missed'", actions: []}
  - {id: r3, title: R3, when: "a + 1", actions: []}
"""


def test_check_reports_formula_and_risk_problems_at_their_lines(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, BAD, "date,metric,value,note\n2026-01-01,f,5,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        "goals/goals.yaml:3:16: b.formula: expected a number, metric or (, found 'the end' (at character 4 of the formula)",
        "goals/goals.yaml:4:16: c.formula: formulas refer to each other: c -> d -> c",
        "goals/goals.yaml:6:16: e.formula: unknown metric 'aa' (did you mean 'a'?) (at character 1 of the formula)",
        "goals/goals.yaml:7:16: formula: f is computed from its formula, but goals/log.csv:2 records it; remove the formula or the rows",
        "goals/goals.yaml:10:25: r1.when: expected a number, metric or (, found 'the end' (at character 4 of the formula)",
        "goals/goals.yaml:11:25: r2.when: unknown goal 'nope' (at character 1 of the formula)",
        "goals/goals.yaml:12:25: r3.when: when: must be a condition: compare with < <= > >= == != or in, and combine with and, or, not (at character 1 of the formula)",
    ]


def test_log_refuses_a_derived_metric(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, DERIVED, JOURNAL)
    before = (tmp_path / "goals" / "log.csv").read_bytes()
    result = invoke(cli, tmp_path, "log", "dau_mau", "30")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: dau_mau is computed from its formula (dau / mau * 100)")
    assert (tmp_path / "goals" / "log.csv").read_bytes() == before


def test_demo_has_derived_metrics_and_a_firing_risk(cli: CliRunner) -> None:
    from tests.conftest import REPO_ROOT

    data = json.loads(invoke(cli, REPO_ROOT, "status", "--json", "--as-of", "2026-11-22").stdout)
    risks = {r["id"]: r for r in data["risks"]}
    assert set(risks) == {
        "user-growth-shortfall",
        "revenue-shortfall",
        "developer-adoption-lag",
        "technical-scaling",
    }
    assert risks["user-growth-shortfall"]["triggered"] is True
    derived = {t["metric"] for g in data["goals"] for t in g["targets"] if t["derived"]}
    assert {"dau_mau", "ltv_cac", "mau_growth", "api_growth"} <= derived
