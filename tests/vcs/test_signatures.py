"""signature_words: git's %G? letters in words, for many commits in one git call (signed
commits with real keys: tests/revisions/test_signed.py)."""

from __future__ import annotations

from pathlib import Path

from smartgoals.vcs.repo import open_repository
from smartgoals.vcs.signatures import WORDS, signature_words
from tests.conftest import git


def test_unsigned_commits_are_none_and_nothing_asked_is_nothing(repo: Path) -> None:
    for name in ("a", "b"):
        (repo / name).write_text(name)
        git(repo, "add", name)
        git(repo, "commit", "-q", "-m", name)
    shas = git(repo, "rev-list", "HEAD").split()
    handle = open_repository(repo)
    assert signature_words(handle, shas) == dict.fromkeys(shas, "none")
    assert signature_words(handle, []) == {}


def test_every_letter_git_documents_has_a_word() -> None:
    assert set(WORDS) == set("GBUXYREN")
    assert {WORDS[letter] for letter in "GBUN"} == {"good", "bad", "unknown key", "none"}
