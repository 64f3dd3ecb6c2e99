"""The benchmark script runs end to end and keeps the hand-written notes (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "tests" / "benchmarks" / "run.py"
NOTES = "<!-- Notes below this line are written by hand and kept when the table is rewritten. -->"


def test_a_small_run_writes_the_table_and_keeps_the_notes(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    out.write_text(f"# an old table\n\n{NOTES}\n\n## Where the time goes\n\nkept\n")
    args = ["--sizes", "1k", "--runs", "1", "--no-history", "--out", str(out)]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "an old table" not in text
    assert text.startswith("# Performance\n")
    for row in ("| python -c pass |", "| floor script | demo |", "| smartgoals status | demo |"):
        assert row in text
    assert "| smartgoals log --no-commit | 1k |" in text
    assert "status on the demo at most 2.5x the floor script" in text
    assert text.endswith(f"{NOTES}\n\n## Where the time goes\n\nkept\n")
