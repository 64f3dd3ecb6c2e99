"""rendering/annotations.py: problems as GitHub Actions workflow commands."""

from __future__ import annotations

from pathlib import Path

from smartgoals.errors import Problem
from smartgoals.rendering.annotations import (
    escape_data,
    escape_property,
    repository_prefix,
    workflow_command,
)


def test_escaping_as_the_runner_reads_it() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_a_problem_with_line_column_and_field() -> None:
    problem = Problem("goals/goals.yaml", 12, 5, "not a number", "targets.0.target")
    assert workflow_command("error", problem, "ledger/") == (
        "::error file=ledger/goals/goals.yaml,line=12,col=5,title=smartgoals check::"
        "targets.0.target: not a number"
    )


def test_no_line_no_column_and_a_comma_in_the_path() -> None:
    problem = Problem("goals/a,b.yaml", 0, 0, "cannot be read\nat all")
    assert workflow_command("warning", problem) == (
        "::warning file=goals/a%2Cb.yaml,title=smartgoals check::cannot be read%0Aat all"
    )


def test_a_line_without_a_column() -> None:
    problem = Problem("goals/log.csv", 3, 0, "bad")
    assert workflow_command("error", problem).startswith("::error file=goals/log.csv,line=3,t")


def test_repository_prefix(repo: Path, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    assert repository_prefix(repo) == ""
    (repo / "ops" / "ledger").mkdir(parents=True)
    assert repository_prefix(repo / "ops" / "ledger") == "ops/ledger/"
    outside = tmp_path_factory.mktemp("outside")
    assert repository_prefix(outside) == ""
