"""What each commit of a range did to some files, hunk by hunk against each of its parents,
streamed from one `git diff-tree --stdin` (the commits listed first by one `git log`)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from typing import IO, Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.vcs.repo import Failure, failure_message, git_executable, run_git

_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
_HEADER = re.compile(rb"[0-9a-f]{40}(?:[0-9a-f]{24})?\n?")


class RangeCommit(NamedTuple):
    sha: str
    parents: tuple[str, ...]
    author: str  # `Name <email>`


class Hunk(NamedTuple):
    """One hunk of `diff -U0` of a commit against one parent: the parent's lines it removed
    (from line `start` of the parent's file, 0 when none) and the lines it added in their
    place, newline-free."""

    commit: RangeCommit
    parent: str  # "" for a root commit, diffed against nothing
    path: str  # inside the repository
    start: int
    removed: tuple[str, ...]
    added: tuple[str, ...]


def range_commits(repo: Any, spec: str, paths: Sequence[str]) -> list[RangeCommit]:
    """The commits of spec (`BASE..HEAD`, as git log takes it) that changed one of paths,
    oldest first, merges included whenever they differ from any parent (--full-history)."""
    if spec.startswith("-"):
        raise GitError(f"{spec!r} is not a revision range (it starts with '-')")
    out = run_git(
        repo,
        "log",
        "--full-history",
        "--reverse",
        "--no-show-signature",
        "--format=%H%x09%P%x09%an <%ae>",
        "--end-of-options",
        spec,
        "--",
        *paths,
    )
    found = []
    for line in out.decode("utf-8", "replace").splitlines():
        sha, parents, author = [*line.split("\t", 2), "", ""][:3]
        found.append(RangeCommit(sha, tuple(parents.split()), author))
    return found


def range_hunks(repo: Any, commits: Sequence[RangeCommit], paths: Sequence[str]) -> Iterator[Hunk]:
    """Each hunk of each commit against each of its parents (a merge against every one), read
    as git writes them: the memory held is one hunk's, whatever the range."""
    pairs = [(c, p) for c in commits for p in (c.parents or ("",))]
    if not pairs:
        return
    command = [
        git_executable(repo),
        "-c",
        "core.quotePath=false",
        "diff-tree",
        "--stdin",
        "--always",  # one header per line asked, even when the diff is empty: pairs stay in step
        "--root",
        "-p",
        "-U0",
        "--text",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--",
        *paths,
    ]
    asked = "".join(f"{c.sha} {p}".rstrip() + "\n" for c, p in pairs).encode()
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as errors:
        stdin.write(asked)
        stdin.seek(0)
        try:
            process = subprocess.Popen(
                command,
                cwd=repo.working_tree_dir,
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=errors,
            )
        except OSError as exc:
            raise GitError(f"git diff-tree failed: {exc.strerror or exc}") from None
        assert process.stdout is not None
        try:
            with process.stdout:
                yield from _parse(process.stdout, pairs)
        finally:
            if process.poll() is None:
                process.kill()
            status = process.wait()
        errors.seek(0)
        stderr = errors.read()
    if status not in (0, -9):
        raise GitError(f"git diff-tree failed: {failure_message(Failure(stderr, status))}")


def _parse(output: IO[bytes], pairs: list[tuple[RangeCommit, str]]) -> Iterator[Hunk]:
    index = -1
    path = ""
    in_header = True  # between `diff --git` and the first @@: ---/+++ are not lines
    start = 0
    removed: list[str] = []
    added: list[str] = []

    def hunk() -> Hunk:
        commit, parent = pairs[index]
        return Hunk(commit, parent, path, start, tuple(removed), tuple(added))

    for raw in output:
        if raw.startswith((b"-", b"+")) and not in_header:
            text = raw[1:].rstrip(b"\n").decode("utf-8", "replace")
            (removed if raw[:1] == b"-" else added).append(text)
            continue
        if raw.startswith(b"\\"):  # "\ No newline at end of file"
            continue
        if removed or added:
            yield hunk()
            removed, added = [], []
        if raw.startswith(b"@@"):
            found = _HUNK.match(raw)
            start = int(found.group(1)) if found else 0
            in_header = False
        elif raw.startswith(b"diff --git "):
            rest = raw[len(b"diff --git a/") :].rstrip(b"\n").decode("utf-8", "replace")
            path = rest[: (len(rest) - len(" b/")) // 2]
            in_header = True
        elif _HEADER.fullmatch(raw):  # a commit's line (--always): the next pair asked
            index = min(index + 1, len(pairs) - 1)
            in_header = True
    if removed or added:
        yield hunk()
