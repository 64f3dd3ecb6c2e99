"""The cache store: folder, digest, the owner's key, and authenticated, atomic, pruned entries.

Both caches (cache.py: checked definitions; journalcache.py: the parsed journal) keep their
entries here and only here. An entry is a line `hmac-sha256 MAC` and then the body the cache
wrote: MAC is an HMAC-SHA-256 of the body under a secret key that belongs to this user on this
machine and lives outside the cache folder, in `$XDG_STATE_HOME/smartgoals/cache.key`
(`~/.local/state/smartgoals/cache.key`), created with mode 0600 on first use. An entry is
believed only when its MAC verifies: one written by anyone else, edited, damaged, or restored
from another machine (a CI cache from another runner) is a miss, and the cache writes it anew.
A journal cache entry (write_sealed) has its MAC over its head only, which holds a SHA-256 of
each block after it: the journal cache checks a block when it reads it (pages.py).
A key file that is not a regular file of this user with mode 0600 is not used, and then
nothing is cached (never an error). `SMARTGOALS_NO_CACHE=1` turns both caches off.

One digest, SHA-256, for every key and name: the interpreter's built-in C module on small
inputs (importing hashlib loads OpenSSL, which costs more than hashing a ledger's goal files),
OpenSSL's on bulk data such as a journal (several times faster there). Both give the same bytes.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys

# hmac.compare_digest is this very function: constant time, without importing hashlib
from _operator import _compare_digest as compare_digest
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

# the interpreter's own SHA-256: importing hashlib loads OpenSSL, which costs more than hashing
# a ledger's goal files (picked by version: a failed import searches the whole path)
try:
    if sys.version_info >= (3, 12):
        from _sha2 import sha256 as _small_sha256
    else:
        from _sha256 import sha256 as _small_sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - a Python built without its own hash modules
    from hashlib import sha256 as _small_sha256

Bytes = bytes | bytearray | memoryview
KEY_BYTES = 32
KEY_FILE = "cache.key"
MAC_HEAD = b"hmac-sha256 "
_HEAD_LENGTH = len(MAC_HEAD) + 2 * 32 + 1  # the head, 64 hex digits, a newline
_BLOCK = 64  # SHA-256's block size, for HMAC's padding (RFC 2104)
_INNER = bytes(x ^ 0x36 for x in range(256))
_OUTER = bytes(x ^ 0x5C for x in range(256))


def enabled() -> bool:
    """False when SMARTGOALS_NO_CACHE is set: every load is then a full parse."""
    return not os.environ.get("SMARTGOALS_NO_CACHE")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "smartgoals"


def key_path() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "smartgoals" / KEY_FILE


def hasher(data: Bytes = b"", bulk: bool = False) -> Any:
    """A SHA-256 hasher over data (update() it with more); bulk: OpenSSL's, for large inputs."""
    return _constructor(bulk)(data)


def _constructor(bulk: bool) -> Callable[[Bytes], Any]:
    if bulk:
        from hashlib import sha256

        return sha256
    return _small_sha256  # type: ignore[no-any-return,unused-ignore]


def secret() -> bytes | None:
    """This user's cache key, created on first use; None when it cannot be made or is not
    safe to use (not a regular file, another owner, readable by others): nothing is cached."""
    path = key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        _create_key(path)
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags | os.O_NONBLOCK)  # a FIFO must not hang; refused below
    try:
        info = os.fstat(fd)
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or stat.S_IMODE(info.st_mode) != 0o600
        ):
            return None
        key = os.read(fd, 4 * KEY_BYTES)
    finally:
        os.close(fd)
    return key if len(key) >= KEY_BYTES else None


def _create_key(path: Path) -> None:
    """Write a new key beside path and link it into place: the name appears with the whole key
    in it or not at all, and the first of two processes creating it at once wins (O_EXCL)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{os.urandom(4).hex()}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        with contextlib.suppress(FileExistsError):  # another process made it first: use that
            os.link(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def mac(key: bytes, body: Bytes, bulk: bool = False) -> str:
    """HMAC-SHA-256 of body under key, in hex (RFC 2104, the same bytes as hmac.new)."""
    new = _constructor(bulk)
    if len(key) > _BLOCK:
        key = new(key).digest()
    key = key.ljust(_BLOCK, b"\0")
    inner = new(key.translate(_INNER))
    inner.update(body)
    outer = new(key.translate(_OUTER))
    outer.update(inner.digest())
    return str(outer.hexdigest())


def read(path: Path, bulk: bool = False) -> memoryview | None:
    """The body of the entry at path when its MAC verifies under this user's key; None for a
    miss of any kind (no entry, no usable key, another key's entry, damaged, edited)."""
    key = secret()
    if key is None:
        return None
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    if blob[: len(MAC_HEAD)] != MAC_HEAD or blob[_HEAD_LENGTH - 1 : _HEAD_LENGTH] != b"\n":
        return None
    body = memoryview(blob)[_HEAD_LENGTH:]
    expected = mac(key, body, bulk).encode()
    if not compare_digest(expected, blob[len(MAC_HEAD) : _HEAD_LENGTH - 1]):
        return None
    return body


def read_sealed(path: Path) -> tuple[memoryview, BinaryIO, int] | None:
    """An entry written by write_sealed: its head when its MAC verifies (None otherwise, as
    read), the file left open to read its blocks from, and where they start in it. The head
    alone is read and authenticated: the blocks are the caller's to check (against digests
    the head holds)."""
    key = secret()
    if key is None:
        return None
    try:
        handle = open(path, "rb")  # noqa: SIM115  # kept open for the blocks
    except OSError:
        return None
    try:
        first = handle.read(_HEAD_LENGTH + 24)
        digits, newline, _rest = first[_HEAD_LENGTH:].partition(b"\n")
        if first[: len(MAC_HEAD)] != MAC_HEAD or not newline or not digits.isdigit():
            raise ValueError("not a sealed entry")
        start = _HEAD_LENGTH + len(digits) + 1
        handle.seek(start)
        head = handle.read(int(digits))
        if len(head) != int(digits):
            raise ValueError("cut short")
        sealed = memoryview(digits + b"\n" + head)
        expected = mac(key, sealed, True).encode()
        if not compare_digest(expected, first[len(MAC_HEAD) : _HEAD_LENGTH - 1]):
            raise ValueError("not authenticated")
    except (OSError, ValueError):
        handle.close()
        return None
    return sealed[len(digits) + 1 :], handle, start + len(head)


def write_sealed(path: Path, head: bytes, blocks: list[bytes], keep: int) -> None:
    """write for an entry whose MAC covers its head only: the head's length, the head, then
    the blocks (which the head must vouch for, by their digests: read_sealed does not)."""
    key = secret()
    if key is None:
        return
    sealed = b"%d\n%s" % (len(head), head)
    with contextlib.suppress(OSError):
        _write_file(path, MAC_HEAD + mac(key, sealed, True).encode() + b"\n", sealed, *blocks)
        prune(path.parent, path.suffix, keep)


def write(path: Path, body: bytes, keep: int, bulk: bool = False) -> None:
    """Seal body with this user's key and write it atomically (a temporary file, then
    os.replace), then keep the newest `keep` entries of its folder with its suffix. Without a
    usable key nothing is written; a cache that cannot be written is simply not written."""
    key = secret()
    if key is None:
        return
    with contextlib.suppress(OSError):
        _write_file(path, MAC_HEAD + mac(key, body, bulk).encode() + b"\n", body)
        prune(path.parent, path.suffix, keep)


def _write_file(path: Path, head: bytes, *bodies: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(head)
            for body in bodies:
                out.write(body)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def prune(folder: Path, suffix: str, keep: int) -> None:
    """Keep the newest `keep` entries: each edit of a goal file (or journal file of another
    ledger) makes a new one."""
    entries = [e for e in os.scandir(folder) if e.name.endswith(suffix) and e.is_file()]
    if len(entries) <= keep:
        return
    entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
    for entry in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(entry.path)
