"""views/init.py: what `init` created, and the next step."""

from __future__ import annotations

from pathlib import Path

from smartgoals.rendering import Display
from smartgoals.views.init import InitView, init_lines
from smartgoals.write.scaffold import FIRST_COMMIT_MESSAGE, Initialized

SHA = "0123456789abcdef0123456789abcdef01234567"


def test_committed(tmp_path: Path) -> None:
    created = [tmp_path / "goals" / "goals.yaml", tmp_path / "goals" / "log.csv"]
    view = InitView(tmp_path, Initialized(tmp_path, created, True, SHA))
    assert init_lines(view, Display()) == [
        f"created {tmp_path}/goals/goals.yaml",
        f"created {tmp_path}/goals/log.csv",
        f"initialized a git repository in {tmp_path}",
        f"committed 0123456789 {FIRST_COMMIT_MESSAGE}",
        f"next: edit {tmp_path}/goals/goals.yaml, run smartgoals check, and log a value",
    ]
    assert view.exit_code == 0


def test_not_committed_says_why_and_how(tmp_path: Path) -> None:
    root = tmp_path / "my ledger"
    created = [root / "goals" / "goals.yaml"]
    view = InitView(root, Initialized(root, created, True, None, "no identity"))
    lines = init_lines(view, Display())
    assert lines[2] == "not committed (no identity)"
    assert lines[3].startswith(f"next: edit {root}/goals/goals.yaml, run smartgoals status")
    assert f"git -C '{root}' add -- goals/goals.yaml && git -C '{root}' commit -m " in lines[3]


def test_inside_an_existing_repository(tmp_path: Path) -> None:
    view = InitView(tmp_path, Initialized(tmp_path, [tmp_path / "goals" / "log.csv"], False))
    lines = init_lines(view, Display())
    assert not any(line.startswith("initialized") for line in lines)
    assert lines[-1].endswith(f"commit -m '{FIRST_COMMIT_MESSAGE}'")
