"""Shared helpers: ledgers from strings (no disk), real ledgers in tmp_path, a real git
repository with a pinned identity."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.app import app
from smartgoals.engine.evaluation import Evaluation, evaluate
from smartgoals.ledger.journal import HEADER_LINE
from smartgoals.ledger.loader import load_ledger
from smartgoals.ledger.model import Ledger

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Founder",
    "GIT_AUTHOR_EMAIL": "ada@example.com",
    "GIT_COMMITTER_NAME": "Ada Founder",
    "GIT_COMMITTER_EMAIL": "ada@example.com",
}
REPO_ROOT = Path(__file__).resolve().parent.parent


def write_ledger(
    root: Path, goals: str, journal: str | None = None, name: str = "goals.yaml"
) -> Path:
    """A ledger in root: one goal file (dedented) and optionally a journal (dedented)."""
    (root / "goals").mkdir(parents=True, exist_ok=True)
    (root / "goals" / name).write_text(textwrap.dedent(goals), encoding="utf-8")
    if journal is not None:
        (root / "goals" / "log.csv").write_text(textwrap.dedent(journal).lstrip(), encoding="utf-8")
    return root


def committed_ledger(
    repo: Path, goals: str, journal: str | None = None, message: str = "start"
) -> Path:
    """write_ledger in a git repository (the repo fixture), then all of it in one commit."""
    write_ledger(repo, goals, journal)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message)
    return repo


def ledger_files(
    goals: str | Mapping[str, str], journal: str = "", settings: str | None = None
) -> dict[str, bytes]:
    """The bytes mapping load_ledger takes, built from text: no file is written.

    goals is one goal file's text (goals/goals.yaml) or {file name: text}; journal is rows
    without the header (dedented; the header is added); settings is smartgoals.yaml's text.
    """
    named = {"goals.yaml": goals} if isinstance(goals, str) else dict(goals)
    files = {f"goals/{name}": textwrap.dedent(text).encode("utf-8") for name, text in named.items()}
    files["goals/log.csv"] = (HEADER_LINE + textwrap.dedent(journal).lstrip()).encode("utf-8")
    if settings is not None:
        files["smartgoals.yaml"] = textwrap.dedent(settings).encode("utf-8")
    return files


def ledger_from_strings(
    goals: str | Mapping[str, str], journal: str = "", settings: str | None = None
) -> Ledger:
    """A ledger loaded from text alone (see ledger_files), problems and all.

    The definitions cache is off: nothing touches the disk (test_cache.py tests the cache).
    """
    return load_ledger(ledger_files(goals, journal, settings), use_cache=False)


def evaluate_strings(
    goals: str | Mapping[str, str], journal: str, as_of: str, settings: str | None = None
) -> Evaluation:
    """Evaluate a ledger loaded from text; the ledger must have no problems."""
    ledger = ledger_from_strings(goals, journal, settings)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    return evaluate(ledger, dt.date.fromisoformat(as_of))


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test has its own caches and its own cache key (store.py), never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.mktemp("state")))


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty git repository with a pinned identity in its own config."""
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.name", IDENTITY["GIT_AUTHOR_NAME"])
    git(tmp_path, "config", "user.email", IDENTITY["GIT_AUTHOR_EMAIL"])
    git(tmp_path, "config", "commit.gpgsign", "false")
    return tmp_path


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """Typer's runner, with a pinned width and no ledger leaking in from the environment."""
    monkeypatch.delenv("SMARTGOALS_DIR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    # only the repository's own config counts: no user or system identity, hooks or signing
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in IDENTITY:
        monkeypatch.delenv(key, raising=False)
    yield CliRunner()


def invoke(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-C", str(root), *args])
