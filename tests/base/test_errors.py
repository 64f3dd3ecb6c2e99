"""errors.py: problems as values printed as path:line:column, operational errors with their
exit codes, and the one line every failure is reported with."""

from __future__ import annotations

import errno
import signal

import pytest

from smartgoals.errors import (
    EXIT_ENVIRONMENT,
    EXIT_INTERNAL,
    EXIT_INVALID,
    GitError,
    Interrupted,
    InvalidInputError,
    JournalError,
    LedgerNotFoundError,
    LockError,
    Problem,
    SmartgoalsError,
    error_line,
)


@pytest.mark.parametrize(
    ("problem", "shown"),
    [
        (Problem("goals/a.yaml", 3, 7, "bad", "grow.due"), "goals/a.yaml:3:7: grow.due: bad"),
        (Problem("goals/a.yaml", 3, 0, "bad"), "goals/a.yaml:3: bad"),
        (Problem("goals/a.yaml", 0, 7, "bad"), "goals/a.yaml: bad"),  # no line: no column
        (Problem("goals/log.csv", 0, 0, "torn", "row"), "goals/log.csv: row: torn"),
    ],
)
def test_problem_prints_as_path_line_column(problem: Problem, shown: str) -> None:
    assert str(problem) == shown


def test_problem_text_cannot_carry_escape_codes() -> None:
    problem = Problem("goals/a.yaml", 1, 1, "unknown metric '\x1b[31mred'\nerror: forged")
    assert str(problem) == "goals/a.yaml:1:1: unknown metric '\\x1b[31mred'\\nerror: forged"


def test_problems_sort_by_place() -> None:
    found = [Problem("b", 1, 1, "x"), Problem("a", 2, 1, "y"), Problem("a", 1, 9, "z")]
    assert [p.message for p in sorted(found)] == ["z", "y", "x"]


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (InvalidInputError("unknown goal 'x'"), EXIT_INVALID),
        (LedgerNotFoundError("no ledger here"), EXIT_ENVIRONMENT),
        (JournalError("torn"), EXIT_ENVIRONMENT),
        (LockError("held"), EXIT_ENVIRONMENT),
        (GitError("detached HEAD"), EXIT_ENVIRONMENT),
        (SmartgoalsError("anything"), EXIT_ENVIRONMENT),
    ],
)
def test_error_line_of_our_errors(error: SmartgoalsError, code: int) -> None:
    assert error_line(error) == (f"error: {error}", code)


def test_the_exit_codes_are_a_contract() -> None:
    assert (EXIT_INVALID, EXIT_ENVIRONMENT, EXIT_INTERNAL) == (1, 3, 70)


@pytest.mark.parametrize(
    ("signum", "code", "name"),
    [(signal.SIGINT, 130, "SIGINT"), (signal.SIGTERM, 143, "SIGTERM"), (200, 328, "signal 200")],
)
def test_interrupted(signum: int, code: int, name: str) -> None:
    error = Interrupted(signum, "nothing was written")
    assert error.exit_code == code
    assert error_line(error) == (f"error: interrupted by {name}: nothing was written", code)


def test_error_line_of_an_os_error() -> None:
    error = PermissionError(errno.EACCES, "Permission denied", "goals/log.csv")
    assert error_line(error) == ("error: Permission denied: goals/log.csv", EXIT_ENVIRONMENT)
    assert error_line(OSError("disk gone")) == ("error: disk gone", EXIT_ENVIRONMENT)


def test_error_line_of_a_bug_is_one_line_without_a_traceback() -> None:
    line, code = error_line(KeyError("mrr\nsecret"))
    assert code == EXIT_INTERNAL
    assert line == (
        "error: internal error (KeyError: 'mrr\\nsecret'); please report it, and rerun with "
        "SMARTGOALS_DEBUG=1 for the traceback"
    )
    assert "\n" not in line


def test_error_line_cleans_user_text() -> None:
    line, _ = error_line(InvalidInputError("unknown goal '\x1b]52;c;aGk=\x07'"))
    assert line == "error: unknown goal '\\x1b]52;c;aGk=\\x07'"
