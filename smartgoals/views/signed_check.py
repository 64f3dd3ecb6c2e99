"""The `check --require-signed` view: each journal commit of a range that is not signed by a
trusted key, as lines, workflow commands or JSON."""

from __future__ import annotations

from typing import Any, NamedTuple

from smartgoals.errors import EXIT_INVALID, EXIT_OK
from smartgoals.rendering import Display, Form, Format
from smartgoals.rendering.annotations import escape_data
from smartgoals.revisions.signed import SignedCheck, SignedCommit

SHORT = 10


class SignedCheckView(NamedTuple):
    checked: SignedCheck
    github: bool = False  # as GitHub workflow commands

    @property
    def exit_code(self) -> int:
        return EXIT_INVALID if self.checked.failing else EXIT_OK


def _describe(item: SignedCommit) -> str:
    signature = "not signed" if item.signature == "none" else f"signature: {item.signature}"
    return f"{item.commit.sha[:SHORT]} by {item.commit.author} changed the journal, {signature}"


def signed_check_lines(view: SignedCheckView, display: Display) -> list[str]:
    """One line per commit that fails (`SHA by NAME <EMAIL> changed the journal, not signed`),
    then the verdict."""
    checked = view.checked
    failing = checked.failing
    if view.github:
        lines = [
            f"::error title=smartgoals check --require-signed::{escape_data(_describe(c))}"
            for c in failing
        ]
    else:
        lines = [f"error: {_describe(c)}" for c in failing]
    count = len(checked.commits)
    if failing:
        verdict = f"{len(failing)} of {count} journal commit(s) not signed by a trusted key"
    else:
        verdict = f"ok: {count} journal commit(s), each signed by a trusted key"
    return [*lines, f"{verdict} in {checked.spec}"]


def signed_check_json(view: SignedCheckView, display: Display) -> dict[str, Any]:
    checked = view.checked
    return {
        "ok": not checked.failing,
        "range": checked.spec,
        "commits": [
            {
                "commit": c.commit.sha,
                "author": c.commit.author,
                "signature": c.signature,
                "ok": c.good,
            }
            for c in checked.commits
        ],
    }


FORMS: dict[type, dict[Format, Form]] = {
    SignedCheckView: {Format.JSON: signed_check_json, Format.PLAIN: signed_check_lines},
}
