"""The check --require-signed view's forms (end to end with real keys:
tests/revisions/test_signed.py)."""

from __future__ import annotations

from smartgoals.rendering import Display
from smartgoals.revisions.signed import SignedCheck, SignedCommit
from smartgoals.vcs.changes import RangeCommit
from smartgoals.views.signed_check import SignedCheckView, signed_check_json, signed_check_lines

GOOD = SignedCommit(RangeCommit("a" * 40, (), "Ada <ada@example.com>"), "good")
NONE = SignedCommit(RangeCommit("b" * 40, (), "Bob <bob@example.com>"), "none")


def test_lines_name_each_failing_commit_then_the_verdict() -> None:
    view = SignedCheckView(SignedCheck("main..HEAD", (GOOD, NONE)))
    assert view.exit_code == 1
    assert signed_check_lines(view, Display()) == [
        "error: bbbbbbbbbb by Bob <bob@example.com> changed the journal, not signed",
        "1 of 2 journal commit(s) not signed by a trusted key in main..HEAD",
    ]
    assert signed_check_json(view, Display())["ok"] is False


def test_github_workflow_commands_and_a_passing_range() -> None:
    failing = SignedCheckView(SignedCheck("x..y", (NONE,)), github=True)
    assert signed_check_lines(failing, Display())[0].startswith("::error title=")
    passing = SignedCheckView(SignedCheck("x..y", (GOOD,)))
    assert passing.exit_code == 0
    assert signed_check_lines(passing, Display()) == [
        "ok: 1 journal commit(s), each signed by a trusted key in x..y"
    ]
