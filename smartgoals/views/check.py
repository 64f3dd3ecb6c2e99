"""The `check` views: every problem of the ledger and the counts, as JSON or plain lines; and
for `--format github`, as GitHub workflow commands."""

from __future__ import annotations

from typing import Any, NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK, Problem
from smartgoals.ledger.model import Ledger
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.annotations import workflow_command
from smartgoals.rendering.data import derived_count, observation_count


class CheckView(NamedTuple):
    ledger: Ledger
    warnings: tuple[str, ...] = ()  # shown on stderr; they do not change the exit code

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.ledger.problems else EXIT_OK


class GithubCheckView(NamedTuple):
    """`check --format github`: problems and warnings as GitHub workflow commands."""

    check: CheckView
    warnings: tuple[Problem, ...]  # as places, for `::warning file=...,line=...::`
    prefix: str  # the ledger root inside the repository ("" at its top)

    @property
    def exit_code(self) -> int:
        return self.check.exit_code


def check_json(view: CheckView, display: Display) -> dict[str, Any]:
    ledger = view.ledger
    return {
        "ok": not ledger.problems,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "column": p.column,
                "field": p.field or None,
                "message": p.message,
            }
            for p in ledger.problems
        ],
        "goals": len(ledger.goals),
        "metrics": len(ledger.metrics),
        "observations": observation_count(ledger),
        "derived_values": derived_count(ledger),
        "warnings": list(view.warnings),
    }


def check_lines(view: CheckView, display: Display) -> list[str]:

    ledger = view.ledger
    lines = [str(problem) for problem in ledger.problems]
    verdict = f"{len(ledger.problems)} problem(s)" if ledger.problems else "ok"
    derived = derived_count(ledger)
    lines.append(
        f"{verdict}: {len(ledger.goals)} goals, {len(ledger.metrics)} metrics, "
        f"{observation_count(ledger)} observations"
        + (f", {derived} derived values" if derived else "")
    )
    return lines


def github_check_lines(view: GithubCheckView, display: Display) -> list[str]:
    """Each problem as `::error file=...,line=...,col=...::message`, each warning as
    `::warning ...`, then the summary line."""

    lines = [workflow_command("error", p, view.prefix) for p in view.check.ledger.problems]
    lines += [workflow_command("warning", p, view.prefix) for p in view.warnings]
    return lines + check_lines(view.check, display)[len(view.check.ledger.problems) :]


FORMS: dict[type, dict[Format, Form]] = {
    CheckView: {Format.JSON: check_json, Format.PLAIN: check_lines},
    GithubCheckView: {Format.PLAIN: github_check_lines},
}
