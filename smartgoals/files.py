"""Where a ledger is and what it is made of: finding its root, and reading its files from the
working tree as bytes (a revision's files come from git objects instead; see history.py).

Reading applies the ledger's containment rules once, for cached and uncached loads alike: a
file reached through a symbolic link out of the ledger is not read, a FIFO, device or directory
is refused by its type before any byte is read (so nothing blocks), and goal files are read
only up to their size limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import NamedTuple

from .errors import JournalError, LedgerNotFoundError, Problem

GOALS_DIR = "goals"
JOURNAL = "goals/log.csv"
CHECKINS = "goals/checkins.csv"  # read like the journal (checkins.py parses it)
SETTINGS = "smartgoals.yaml"
ENV_DIR = "SMARTGOALS_DIR"
MAX_GOAL_FILE_BYTES = 5_000_000  # far beyond any goal file; bounds what one read may cost


class LedgerFiles(NamedTuple):
    """A ledger's files as bytes, by ledger-relative path, and the problems of reading them."""

    files: dict[str, bytes]
    problems: tuple[Problem, ...] = ()


def find_root(start: Path | None = None, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The ledger: explicit (-C), else $SMARTGOALS_DIR, else the nearest parent with goals/."""
    chosen = explicit if explicit is not None else os.environ.get(ENV_DIR) or None
    if chosen is not None:
        root = Path(chosen).expanduser()
        if not (root / GOALS_DIR).is_dir():
            raise LedgerNotFoundError(f"{root} has no {GOALS_DIR}/ folder; is it a ledger?")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / GOALS_DIR).is_dir():
            return candidate
    raise LedgerNotFoundError(
        f"no ledger here: no {GOALS_DIR}/ folder in {here} or its parents "
        "(run 'smartgoals init', or use -C DIR)"
    )


def is_goal_file(name: str) -> bool:
    """goals/*.yaml and *.yml; hidden files and editor backups (.#x.yaml, x.yaml~) are not."""
    name = name.rsplit("/", 1)[-1]
    return not name.startswith((".", "#", "~")) and name.endswith((".yaml", ".yml"))


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a symlink loop
        return False


class NotRegularFileError(JournalError):
    """A ledger file that is a FIFO, device, directory or socket: never read."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"is not a regular file ({kind})")
        self.kind = kind


def open_regular(path: Path, follow: bool = False) -> int:
    """A descriptor for a regular file, refusing anything else before a byte is read.

    O_NONBLOCK makes opening a FIFO return at once; O_NOFOLLOW (unless follow) refuses a
    symbolic link. Raises NotRegularFileError naming the file type, or OSError.
    """
    flags = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | os.O_NONBLOCK
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = (
            "a directory"
            if stat.S_ISDIR(mode)
            else "a FIFO"
            if stat.S_ISFIFO(mode)
            else "a device"
            if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "a socket"
            if stat.S_ISSOCK(mode)
            else "not a regular file"
        )
        raise NotRegularFileError(kind)
    os.set_blocking(fd, True)
    return fd


def _read_fd(fd: int, limit: int | None) -> bytes:
    with open(fd, "rb", closefd=True) as handle:
        return handle.read() if limit is None else handle.read(limit + 1)


def _read_goal_file(path: Path, rel: str, root: Path) -> bytes | Problem:
    try:
        if path.is_symlink():
            if not _inside(path, root):
                return Problem(rel, 0, 0, "is a symbolic link out of the ledger; not read")
            fd = open_regular(path.resolve(), follow=True)
        else:
            fd = open_regular(path)
        data = _read_fd(fd, MAX_GOAL_FILE_BYTES)
    except NotRegularFileError as exc:
        return Problem(rel, 0, 0, f"{exc}; not read")
    except OSError as exc:
        return Problem(rel, 0, 0, f"cannot read: {exc.strerror or exc}")
    if len(data) > MAX_GOAL_FILE_BYTES:
        return Problem(rel, 0, 0, f"file is larger than {MAX_GOAL_FILE_BYTES:,} bytes; not read")
    return data


def _read_journal(path: Path, rel: str = JOURNAL) -> bytes | Problem | None:
    try:
        fd = open_regular(path)
    except FileNotFoundError:
        return None
    except NotRegularFileError as exc:
        return Problem(rel, 0, 0, f"{exc}; refusing to use it as the journal")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(rel, 0, 0, "is a symbolic link; refusing to read through it")
        return Problem(rel, 0, 0, f"cannot read the journal: {exc.strerror or exc}")
    return _read_fd(fd, None)


def read_work_tree(root: Path, journal: bool = True) -> LedgerFiles:
    """The settings, every goal file and (unless journal=False) the journal of the ledger at
    root, as bytes."""
    root = root.resolve()
    files: dict[str, bytes] = {}
    problems: list[Problem] = []

    def keep(rel: str, found: bytes | Problem | None) -> None:
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None:
            files[rel] = found

    settings = root / SETTINGS
    if settings.is_symlink() or settings.exists():
        keep(SETTINGS, _read_goal_file(settings, SETTINGS, root))
    folder = root / GOALS_DIR
    if folder.is_symlink() and not _inside(folder, root):
        problems.append(Problem(GOALS_DIR, 0, 0, "is a symbolic link out of the ledger; not read"))
        return LedgerFiles(files, tuple(problems))
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if is_goal_file(entry.name))
    except OSError as exc:
        problems.append(Problem(GOALS_DIR, 0, 0, f"cannot read: {exc.strerror or exc}"))
        names = []
    for name in names:
        rel = f"{GOALS_DIR}/{name}"
        keep(rel, _read_goal_file(folder / name, rel, root))
    if journal:
        keep(JOURNAL, _read_journal(root / JOURNAL))
        keep(CHECKINS, _read_journal(root / CHECKINS, CHECKINS))
    return LedgerFiles(files, tuple(problems))
