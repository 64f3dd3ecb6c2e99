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
import weakref
from collections.abc import Iterable
from pathlib import Path

from smartgoals.errors import JournalError, LedgerNotFoundError, Problem
from smartgoals.lazyre import lazy
from smartgoals.record import Record

GOALS_DIR = "goals"
JOURNAL = "goals/log.csv"
SHARDS_DIR = "goals/log.d"  # more of the journal: goals/log.d/*.csv, one file per person
CHECKINS = "goals/checkins.csv"  # read like the journal (checkins.py parses it)
SETTINGS = "smartgoals.yaml"
ENV_DIR = "SMARTGOALS_DIR"
MAX_GOAL_FILE_BYTES = 5_000_000  # far beyond any goal file; bounds what one read may cost


class LedgerFiles(Record):
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


def is_journal_file(rel: str) -> bool:
    """goals/log.csv, or a shard: goals/log.d/NAME.csv (not hidden, not in a subfolder)."""
    if rel == JOURNAL:
        return True
    folder, _, name = rel.rpartition("/")
    return folder == SHARDS_DIR and name.endswith(".csv") and not name.startswith((".", "#"))


IMPORTERS_DIR = "importers"  # import rules the ledger keeps: importers/*.yaml
RULES_SUFFIX = ".rules.yaml"  # import rules beside an export: FILE.rules.yaml


def read_by_ledger(rel: str) -> str | None:
    """What the ledger reads at this ledger-relative path, named for a person (`the journal`),
    whether the file exists yet or not; None for a path it never reads by name (declared
    sources are named by the goal files: see pull.declared_sources)."""
    folder, _, name = rel.rpartition("/")
    if rel == SETTINGS:
        return "the settings"
    if is_journal_file(rel):
        return "the journal"
    if rel == CHECKINS:
        return "the check-ins"
    if folder == GOALS_DIR and is_goal_file(name):
        return "a goal file"
    if (folder == IMPORTERS_DIR and name.endswith(".yaml")) or name.endswith(RULES_SUFFIX):
        return "import rules"
    return None


def journal_order(rel: str) -> tuple[bool, str]:
    """The order journal files are read in: goals/log.csv first, then the shards by name."""
    return (rel != JOURNAL, rel)


def journal_files(files: Iterable[str]) -> list[str]:
    """The journal's files among these ledger-relative paths, in reading order."""
    return sorted((rel for rel in files if is_journal_file(rel)), key=journal_order)


JOURNAL_SETTING_USER = "{user}"
_SHARD_NAME = lazy(r"[a-z0-9._-]+")


def check_journal_setting(text: str) -> str:
    """`journal:` in smartgoals.yaml: log.csv, or log.d/NAME.csv where NAME may hold {user};
    the text, or ValueError saying what is wrong."""
    if text == "log.csv":
        return text
    if ".." in text or "\\" in text or text.startswith("/"):
        raise ValueError("must stay inside goals/log.d (no '..', no absolute path)")
    if not text.endswith(".csv"):
        raise ValueError("must end in .csv")
    folder, _, name = text.rpartition("/")
    if folder != "log.d" or not name.removesuffix(".csv"):
        raise ValueError("must be log.csv or log.d/NAME.csv (for example log.d/{user}.csv)")
    bare = name.replace(JOURNAL_SETTING_USER, "user")
    if not _SHARD_NAME.fullmatch(bare) or bare.startswith("."):
        raise ValueError(
            "the file name may hold only a-z, 0-9, '.', '_', '-' and {user}, and not start with '.'"
        )
    return text


def shard_name(email: str) -> str:
    """{user} in `journal:`: git's user.email lowercased, each character other than a-z, 0-9,
    '.', '_' and '-' turned into '-', leading dots removed (so never a hidden file)."""
    reduced = "".join(
        ch if ch in "abcdefghijklmnopqrstuvwxyz0123456789._-" else "-" for ch in email.lower()
    ).lstrip(".")
    return reduced


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


def read_limited(path: Path, limit: int, shown: str) -> bytes:
    """A whole file named by the user (an import, rules, a declared source), at most `limit`
    bytes; ValueError with one line naming it as `shown` when it cannot be read or is larger."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ValueError(f"cannot read {shown}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ValueError(f"{shown} is larger than {limit:,} bytes")
    return data


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
    fd = _open_journal(path, rel)
    return fd if fd is None or isinstance(fd, Problem) else _read_fd(fd, None)


def _open_journal(path: Path, rel: str) -> int | Problem | None:
    try:
        return open_regular(path)
    except FileNotFoundError:
        return None
    except NotRegularFileError as exc:
        return Problem(rel, 0, 0, f"{exc}; refusing to use it as the journal")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(rel, 0, 0, "is a symbolic link; refusing to read through it")
        return Problem(rel, 0, 0, f"cannot read the journal: {exc.strerror or exc}")


class JournalFile:
    """A journal file read by offset: open (fd, its size taken when it was opened) or already
    in memory (data: a revision's git object, or a file read whole). A warm run's journal
    cache reads only the bytes its checks need and those appended since its entry
    (journalcache.py, stamp.py), instead of the whole file."""

    CHUNK = 1 << 24  # the full check hashes an open file's prefix this much at a time

    def __init__(self, data: bytes | None = None, fd: int | None = None) -> None:
        self.fd = fd
        self.data = data
        self.size = len(data) if data is not None else 0 if fd is None else os.fstat(fd).st_size
        # the descriptor is closed by close(), or when the file is no longer referenced (the
        # journal cache may read it after the load: pages.Rescue)
        self._closer = None if fd is None else weakref.finalize(self, os.close, fd)

    def read(self, start: int, end: int) -> bytes | memoryview:
        """The bytes [start, end) (fewer when the file was cut short since it was opened)."""
        end = min(end, self.size)
        if self.data is not None:
            return memoryview(self.data)[start:end]
        if self.fd is None:
            raise ValueError("the journal file was closed before it was read")
        chunks = []
        while start < end:
            chunk = os.pread(self.fd, end - start, start)
            if not chunk:
                break
            chunks.append(chunk)
            start += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def chunks(self, end: int) -> Iterable[bytes | memoryview]:
        """The bytes [0, end), a piece at a time (an open file's never all in memory)."""
        if self.data is not None:
            yield self.read(0, end)
            return
        for start in range(0, end, self.CHUNK):
            yield self.read(start, min(end, start + self.CHUNK))

    def whole(self) -> bytes:
        """Every byte (up to the size seen when opened), read once and kept."""
        if self.data is None:
            self.data = bytes(self.read(0, self.size))
        return self.data

    def info(self) -> os.stat_result | None:
        """The open file's status now (None for bytes in memory)."""
        return None if self.fd is None else os.fstat(self.fd)

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self.fd = None


def as_journal_file(data: bytes | JournalFile) -> JournalFile:
    return data if isinstance(data, JournalFile) else JournalFile(data)


def shard_paths(root: Path) -> list[str]:
    """The shards in goals/log.d/ (ledger-relative), by name; none when the folder is absent.
    A folder that is a symbolic link out of the ledger is not read (nor are links inside it:
    _read_journal refuses them)."""
    folder = root / SHARDS_DIR
    if not folder.is_dir() or (folder.is_symlink() and not _inside(folder, root)):
        return []
    try:
        names = [entry.name for entry in os.scandir(folder)]
    except OSError:
        return []
    return sorted(rel for rel in (f"{SHARDS_DIR}/{name}" for name in names) if is_journal_file(rel))


def read_work_tree(root: Path, journal: bool = True) -> LedgerFiles:
    """The settings, every goal file and (unless journal=False) the journal of the ledger at
    root, as bytes: goals/log.csv and every shard goals/log.d/*.csv."""
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
        for rel in shard_paths(root):
            keep(rel, _read_journal(root / rel, rel))
        keep(CHECKINS, _read_journal(root / CHECKINS, CHECKINS))
    return LedgerFiles(files, tuple(problems))


def open_work_tree(root: Path) -> tuple[LedgerFiles, dict[str, JournalFile]]:
    """read_work_tree, but the journal's files (goals/log.csv and the shards) opened, not read:
    their bytes are read by offset (JournalFile; the caller closes them). The same files are
    refused for the same reasons, with the same problems."""
    root = root.resolve()
    found = read_work_tree(root, journal=False)
    files, problems = dict(found.files), list(found.problems)
    opened: dict[str, JournalFile] = {}
    try:
        for rel in (JOURNAL, *shard_paths(root)):
            fd = _open_journal(root / rel, rel)
            if isinstance(fd, Problem):
                problems.append(fd)
            elif fd is not None:
                opened[rel] = JournalFile(fd=fd)
        checkins = _read_journal(root / CHECKINS, CHECKINS)
    except BaseException:
        for one in opened.values():
            one.close()
        raise
    if isinstance(checkins, Problem):
        problems.append(checkins)
    elif checkins is not None:
        files[CHECKINS] = checkins
    return LedgerFiles(files, tuple(problems)), opened


def read_checkins_file(root: Path) -> bytes | None:
    """goals/checkins.csv alone (None when it is missing or refused, as read_work_tree refuses
    it: its problem is the ledger's)."""
    found = _read_journal(root.resolve() / CHECKINS, CHECKINS)
    return found if isinstance(found, bytes) else None


def read_journal_files(root: Path) -> LedgerFiles:
    """Only the journal: goals/log.csv and every goals/log.d/*.csv, by ledger-relative path."""
    root = root.resolve()
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for rel in (JOURNAL, *shard_paths(root)):
        found = _read_journal(root / rel, rel)
        if isinstance(found, Problem):
            problems.append(found)
        elif found is not None:
            files[rel] = found
    return LedgerFiles(files, tuple(problems))
