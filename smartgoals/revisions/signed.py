"""Signed history: the commits of a range that touched the journal (goals/log.csv, its
shards, goals/checkins.csv), each with its signature as git verifies it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from smartgoals.files import CHECKINS, JOURNAL, SHARDS_DIR
from smartgoals.vcs.changes import RangeCommit, range_commits
from smartgoals.vcs.repo import open_history
from smartgoals.vcs.signatures import GOOD, signature_words


class SignedCommit(NamedTuple):
    commit: RangeCommit
    signature: str  # good, bad, unknown key, none, expired, expired key, revoked key

    @property
    def good(self) -> bool:
        return self.signature == GOOD


class SignedCheck(NamedTuple):
    spec: str
    commits: tuple[SignedCommit, ...]

    @property
    def failing(self) -> tuple[SignedCommit, ...]:
        return tuple(c for c in self.commits if not c.good)


def check_signed(root: Path, spec: str) -> SignedCheck:
    """Every commit of spec (`BASE..HEAD`) that changed the journal or the check-ins, oldest
    first, with its signature: only a good one (a key git trusts: gpg.ssh.allowedSignersFile
    for SSH, the trust database for GnuPG) passes."""
    repo, prefix = open_history(root)
    paths = [prefix + JOURNAL, prefix + SHARDS_DIR, prefix + CHECKINS]
    commits = range_commits(repo, spec, paths)
    words = signature_words(repo, (c.sha for c in commits))
    return SignedCheck(spec, tuple(SignedCommit(c, words.get(c.sha, "none")) for c in commits))
