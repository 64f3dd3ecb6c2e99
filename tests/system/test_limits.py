"""Limits hold while parsing, not after: hostile sizes stop early with one clear problem, in a
subprocess whose CPU time (RLIMIT_CPU) and memory are bounded, never by a wall clock."""

from __future__ import annotations

import resource
from pathlib import Path

import pytest

from tests.conftest import write_ledger
from tests.system.test_hardening import BASE, HEADER, MEMORY_LIMIT, smartgoals


def _cpu(seconds: int) -> object:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))

    return limit


def _check(root: Path, cpu: int, *args: str) -> tuple[int, str, str, float]:
    code, out, err, peak = smartgoals(root, *(args or ("check",)), preexec=_cpu(cpu))  # type: ignore[arg-type]
    assert code >= 0, f"killed by signal {-code} (the CPU limit?)"
    assert "Traceback" not in out + err
    return code, out, err, peak


def test_a_huge_flow_sequence_stops_at_the_node_limit_while_composing(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE, name="base.yaml")
    text = "a: [" + "1," * 2_400_000 + "1]\n"  # 4.8 MB, under the 5 MB file limit
    (tmp_path / "goals" / "case.yaml").write_text(text)
    code, out, _err, peak = _check(tmp_path, 6)
    assert code == 1
    assert out.splitlines()[0].startswith("goals/case.yaml:1:")
    assert "more than 200,000 values" in out.splitlines()[0]
    assert peak < 200, f"{peak:.0f} MB"


def test_a_large_ordinary_goal_file_still_loads(tmp_path: Path) -> None:
    write_ledger(tmp_path, BASE, name="base.yaml")
    goals = "goals:\n" + "".join(
        f"  - {{id: g{i}, title: 'Goal number {i}', targets: [{{metric: mrr, target: {i}}}]}}\n"
        for i in range(4_000)
    )
    assert len(goals) > 200_000  # composed by the bounded composer
    (tmp_path / "goals" / "case.yaml").write_text(goals)
    code, out, err, _ = _check(tmp_path, 30)
    assert (code, out) == (0, "ok: 4000 goals, 1 metrics, 0 observations\n"), err


def test_a_flat_sum_of_999_terms_is_one_problem(tmp_path: Path) -> None:
    formula = "+".join(["m"] * 999)  # 1,997 characters: within the length limit
    write_ledger(
        tmp_path,
        BASE
        + f"  m: {{name: M, unit: USD}}\n  total: {{name: T, unit: USD, formula: '{formula}'}}\n",
    )
    code, out, _err, _ = _check(tmp_path, 20)
    assert code == 1
    assert out.splitlines()[0] == (
        "goals/goals.yaml:4:31: total.formula: more than 200 operators or levels in one chain; "
        "split it into derived metrics"
    )
    write_ledger(tmp_path, BASE + "  total: {name: T, unit: USD, formula: 'mrr + mrr'}\n", HEADER)
    assert _check(tmp_path, 20)[0] == 0


@pytest.mark.parametrize("cycle", [False, True])
def test_a_chain_of_1000_derived_metrics(tmp_path: Path, cycle: bool) -> None:
    # m0 reads m1, which reads m2, ... down to m999, the logged one: a walk from m0 is 999 deep
    lines = ["metrics:"]
    for i in range(999):
        lines.append(f"  m{i}: {{name: M{i}, unit: count, formula: 'm{i + 1} + 1'}}")
    last = "formula: 'm0 + 1'" if cycle else "unit: count"
    lines.append(f"  m999: {{name: M999, {last}}}")
    journal = HEADER + ("" if cycle else "2026-01-01,m999,1,\n")
    write_ledger(tmp_path, "\n".join(lines) + "\n", journal)
    code, out, _err, _ = _check(tmp_path, 10)
    if cycle:
        assert code == 1
        first = out.splitlines()[0]
        assert first.startswith("goals/goals.yaml:2:31: m0.formula: formulas refer to each other: ")
        assert first.endswith("m998 -> m999 -> m0")
    else:  # every derived value computed: a thousand, one per metric
        assert (code, out) == (0, "ok: 0 goals, 1000 metrics, 1 observations, 999 derived values\n")


@pytest.mark.parametrize("cycle", [False, True])
def test_a_chain_of_after_goals_is_checked_in_linear_time(tmp_path: Path, cycle: bool) -> None:
    count = 1_000 if cycle else 3_000  # a cycle reports every member with the whole cycle
    goals = ["goals:"]
    for i in range(count):
        after = f", after: g{i + 1}" if i < count - 1 else (", after: g0" if cycle else "")
        goals.append(f"  - {{id: g{i}, title: G{i}{after}, targets: [{{metric: mrr, target: 1}}]}}")
    write_ledger(tmp_path, BASE + "\n".join(goals) + "\n", HEADER)
    code, out, _err, _ = _check(tmp_path, 5)
    if cycle:
        assert code == 1
        lines = out.splitlines()
        assert len(lines) == 2  # one problem naming the whole cycle, then the summary
        assert lines[0].startswith(
            "goals/goals.yaml:1003:29: g999.after: goals wait on each other: g0 -> g1 -> g2"
        )
        assert lines[0].endswith("g998 -> g999 -> g0")
        assert lines[-1].startswith("1 problem(s)")
    else:
        assert (code, out) == (0, "ok: 3000 goals, 1 metrics, 0 observations\n")


def test_journal_years_outside_1900_2999_are_problems(tmp_path: Path) -> None:
    goals = BASE + "  g: {name: G, unit: percent, formula: \"growth(mrr, 'year') * 100\"}\n"
    journal = HEADER + "0001-01-31,mrr,5,\n9999-12-31,mrr,6,\n2026-01-01,mrr,7,\n"
    write_ledger(tmp_path, goals, journal)
    code, out, _err, _ = _check(tmp_path, 20)
    assert code == 1
    assert out.splitlines()[:2] == [
        "goals/log.csv:2:1: date: year 1 in '0001-01-31' is out of range (1900-2999)",
        "goals/log.csv:3:1: date: year 9999 in '9999-12-31' is out of range (1900-2999)",
    ]
    code, _out, err, _ = _check(tmp_path, 20, "status", "--as-of", "2026-02-01")
    assert code == 1, err  # the problems are listed, the rest still shows; no crash
