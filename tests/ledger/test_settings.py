"""ledger/settings.py: smartgoals.yaml is read once per run, with the definitions; what the run
read is what every later decision (the pager) sees."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.settings import forget_settings, settings_of
from tests.conftest import REPO_ROOT, git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
"""
HEADER = "date,metric,value,note\n"


@pytest.fixture(autouse=True)
def fresh() -> None:
    forget_settings()


def settings(root: Path, text: str) -> None:
    (root / "smartgoals.yaml").write_text(text, encoding="utf-8")


def test_the_settings_the_run_loaded_are_the_ones_it_keeps(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    settings(tmp_path, "pager: false\n")
    assert load_ledger(tmp_path).definitions.settings.pager is False
    settings(tmp_path, "pager: true\n")  # edited while the run goes on: not seen by it
    assert settings_of(tmp_path).pager is False
    forget_settings()  # the next run
    assert settings_of(tmp_path).pager is True


def test_without_a_load_settings_of_loads_them_and_keeps_them(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER)
    assert settings_of(tmp_path).pager is True  # no file: the defaults
    settings(tmp_path, "pager: false\nreview: {weekly: KPIs}\n")
    assert settings_of(tmp_path).pager is True  # kept for the run
    forget_settings()
    assert settings_of(tmp_path).review == (("weekly", "KPIs"),)


def test_a_log_run_reads_smartgoals_yaml_once(
    repo: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`log` to a shard, then the pager decision: one open of smartgoals.yaml in all (it used
    to be read for the definitions, again for the journal file, and again for the pager)."""
    write_ledger(repo, GOALS, HEADER)
    settings(repo, "journal: log.d/{user}.csv\npager: false\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    opened: list[str] = []

    def counted(real: Any) -> Any:
        def open_(path: Any, *args: Any, **kwargs: Any) -> Any:
            if not isinstance(path, int) and os.fsdecode(path).endswith("smartgoals.yaml"):
                opened.append(os.fsdecode(path))
            return real(path, *args, **kwargs)

        return open_

    monkeypatch.setattr(os, "open", counted(os.open))
    monkeypatch.setattr(io, "open", counted(io.open))
    result = invoke(cli, repo, "log", "mrr", "5", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert (repo / "goals" / "log.d" / "ada-example.com.csv").read_text().endswith(",mrr,5,\n")
    assert settings_of(repo).pager is False  # what the pager asks once the command ran
    assert len(opened) == 1, opened


def test_a_warm_run_gets_its_settings_without_parsing_yaml(tmp_path: Path) -> None:
    """settings_of with nothing loaded goes through the definitions cache: no YAML, no
    Pydantic once the cache holds the ledger."""
    write_ledger(tmp_path, GOALS, HEADER)
    settings(tmp_path, "pager: false\n")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from smartgoals.ledger.settings import settings_of\n"
        f"print(settings_of(Path({str(tmp_path)!r})).pager,\n"
        "      sorted(m for m in ('yaml', 'pydantic') if m in sys.modules))\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO_ROOT,
            env=os.environ.copy(),
        ).stdout.strip()
        for _ in range(2)
    ]
    assert runs == ["False ['pydantic', 'yaml']", "False []"]
