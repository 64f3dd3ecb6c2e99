"""vcs/tags.py: the tag that names a closed period, made and found in a real repository."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.errors import GitError
from smartgoals.vcs.tags import make_tag, period_tag, tag_exists, tag_period_end
from tests.conftest import git


def test_a_period_tag_is_annotated_and_found(repo: Path) -> None:
    git(repo, "commit", "-q", "--allow-empty", "-m", "first")
    sha = git(repo, "rev-parse", "HEAD").strip()
    name = period_tag("2026-Q4")
    assert name == "goals/2026-Q4"
    assert not tag_exists(repo, name)
    make_tag(repo, name, sha, "goals 2026-Q4 closed")
    assert tag_exists(repo, name)
    assert git(repo, "cat-file", "-t", name).strip() == "tag"
    assert git(repo, "rev-parse", f"{name}^{{commit}}").strip() == sha
    assert "goals 2026-Q4 closed" in git(repo, "tag", "-n1", "--list", name)
    with pytest.raises(GitError, match="already exists"):
        make_tag(repo, name, sha, "again")


def test_the_last_day_of_a_tagged_period() -> None:
    assert tag_period_end("goals/2026-Q4") == dt.date(2026, 12, 31)
    assert tag_period_end("goals/2026-W01") == dt.date(2026, 1, 4)
    assert tag_period_end("goals/2026-02") == dt.date(2026, 2, 28)
    assert tag_period_end("v1.0") is None
    assert tag_period_end("goals/nonsense") is None
