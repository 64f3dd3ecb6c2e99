"""The pre-commit hook's `files:` cover every file `check` reads (issue 28, item 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from smartgoals.files import read_work_tree
from tests.conftest import REPO_ROOT, write_ledger


@pytest.mark.parametrize("below", ["", "company/"])
def test_every_file_check_reads_matches_the_hook(tmp_path: Path, below: str) -> None:
    (hook,) = yaml.safe_load((REPO_ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    files = re.compile(hook["files"])
    root = tmp_path / below
    write_ledger(root, "goals: []\n", "date,metric,value,note\n")
    (root / "goals" / "more.yml").write_text("goals: []\n")
    (root / "smartgoals.yaml").write_text("journal: log.csv\n")
    (root / "goals" / "log.d").mkdir()
    (root / "goals" / "log.d" / "ada-example.com.csv").write_text("date,metric,value,note\n")
    (root / "goals" / "checkins.csv").write_text("date,goal,confidence,note\n")
    read = set(read_work_tree(root).files)
    assert read == {
        "goals/goals.yaml",
        "goals/more.yml",
        "smartgoals.yaml",
        "goals/log.csv",
        "goals/log.d/ada-example.com.csv",
        "goals/checkins.csv",
    }
    assert [rel for rel in sorted(read) if not files.search(below + rel)] == []
    assert files.search(below + "reviews/2026-Q4.csv")  # check reads the reviews files too
