"""One `git cat-file --batch` per repository handle, started on first use and kept while the
handle lives: every object the history commands read (a revision's commit, a tree, a blob) is
one line in and one answer out over the same pipe, instead of a git process per object or
GitPython, whose import alone costs about 74 ms of a `show` or `history`.

The answers are the bytes git stores, whatever they hold (no filter, no end-of-line
conversion): `<id> <type> <size>`, the bytes and a newline, or `<name> missing`."""

from __future__ import annotations

import contextlib
from typing import IO, Any, NamedTuple

from smartgoals.errors import GitError
from smartgoals.vcs.repo import Failure, failure_message, git_executable


class Stored(NamedTuple):
    """An object as git stores it."""

    id: str  # its full id, hex
    kind: str  # blob, tree, commit or tag
    data: bytes


class ObjectReader:
    """Objects of one repository by name: an id, `rev:path`, `rev^{commit}` (any name
    git-rev-parse takes); None for a name that names nothing."""

    __slots__ = ("_command", "_cwd", "_process")

    def __init__(self, repo: Any) -> None:
        self._command = [git_executable(repo), "cat-file", "--batch"]
        self._cwd = str(repo.working_tree_dir)
        self._process: Any = None

    def read(self, name: str) -> Stored | None:
        if not name or any(c in name for c in "\n\r"):
            return None  # not one line of the protocol: no object has such a name
        process = self._started()
        stdin: IO[bytes] = process.stdin
        stdout: IO[bytes] = process.stdout
        try:
            stdin.write(name.encode("utf-8", "surrogateescape") + b"\n")
            stdin.flush()
        except (BrokenPipeError, OSError):
            raise self._failure() from None
        header = stdout.readline()
        if not header.endswith(b"\n"):
            raise self._failure()
        fields = header.split()
        if len(fields) != 3 or not fields[2].isdigit():
            return None  # `<name> missing`, `<name> ambiguous`
        size = int(fields[2])
        data = stdout.read(size + 1)
        if len(data) != size + 1:
            raise self._failure()
        return Stored(fields[0].decode("ascii"), fields[1].decode("ascii"), data[:size])

    def _started(self) -> Any:
        if self._process is None:
            import subprocess

            try:
                self._process = subprocess.Popen(
                    self._command,
                    cwd=self._cwd,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            except OSError as exc:
                raise GitError(f"git cat-file failed: {exc.strerror or exc}") from None
        return self._process

    def _failure(self) -> GitError:
        """The error for a process that stopped answering, in git's words when it said any."""
        process, self._process = self._process, None
        with contextlib.suppress(OSError, ValueError):
            process.stdin.close()
        try:
            stderr = process.stderr.read()
            status = process.wait()
        except (OSError, ValueError):
            stderr, status = b"", -1
        finally:
            _close_pipes(process)
        return GitError(f"git cat-file failed: {failure_message(Failure(stderr, status))}")

    def close(self) -> None:
        """End the process (git exits when its input ends)."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            process.stdin.close()
        with contextlib.suppress(OSError):
            process.wait()
        _close_pipes(process)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()


def _close_pipes(process: Any) -> None:
    for stream in (process.stdin, process.stdout, process.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.close()


def object_reader(repo: Any) -> ObjectReader:
    """The repository handle's reader (one process for all of the handle's reads)."""
    found = getattr(repo, "object_reader", None)
    if isinstance(found, ObjectReader):
        return found
    reader = ObjectReader(repo)
    with contextlib.suppress(AttributeError):  # a handle without room for it: a reader per call
        repo.object_reader = reader
    return reader
