"""Helpers for the vcs tests: real repositories that see only their own git config."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import IDENTITY, git


@pytest.fixture(autouse=True)
def only_the_repositorys_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, and no identity from the environment."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in (*IDENTITY, "EMAIL"):
        monkeypatch.delenv(key, raising=False)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit_all(root: Path, message: str, *extra: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, *extra)
    return git(root, "rev-parse", "HEAD").strip()
