"""formula.evaluate: operators, functions, three-valued logic, no value with a reason, and hostile
input, never a crash."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartgoals.formula.evaluate import evaluate
from smartgoals.formula.syntax import FormulaError, parse
from tests.formula.fakedata import DATA, value


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
