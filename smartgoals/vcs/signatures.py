"""Commit signatures as git verifies them (`%G?`): good, bad, unknown key, none; with git's
own settings for it (gpg.format, gpg.ssh.allowedSignersFile, the GnuPG trust database)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from smartgoals.vcs.repo import run_git

# git's one-letter verdicts (git log --format=%G?) in words; see git-log(1), "%G?"
WORDS = {
    "G": "good",
    "B": "bad",
    "U": "unknown key",  # a good signature by a key of unknown validity (not trusted)
    "E": "unknown key",  # cannot be checked: the key is missing, or no allowed signers
    "X": "expired",  # a good signature that has expired
    "Y": "expired key",
    "R": "revoked key",
    "N": "none",
}
GOOD = "good"


def signature_words(repo: Any, shas: Iterable[str]) -> dict[str, str]:
    """Each commit's signature status in words, by full commit id: one `git log --no-walk`
    for all of them, their ids given on stdin."""
    wanted = list(dict.fromkeys(shas))
    if not wanted:
        return {}
    out = run_git(
        repo,
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "--format=%H %G?",
        data="".join(f"{sha}\n" for sha in wanted).encode(),
    )
    found: dict[str, str] = {}
    for line in out.decode("ascii", "replace").splitlines():
        sha, _, letter = line.partition(" ")
        found[sha] = WORDS.get(letter.strip(), "unknown key")
    return found
