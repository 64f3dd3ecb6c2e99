"""Problems (data errors, collected as values) and operational errors (raised), with exit codes."""

from __future__ import annotations

from smartgoals.record import Record
from smartgoals.safetext import clean

# Exit codes are a contract: scripts and CI depend on them.
EXIT_OK = 0
EXIT_INVALID = 1  # invalid data in the ledger, or an invalid value or id on the command line
EXIT_USAGE = 2  # unknown option, missing argument (Click's own code)
EXIT_ENVIRONMENT = 3  # git, locks, disk, permissions, no ledger found
EXIT_GATE = 4  # status --fail-on: a target shown has one of the statuses named
EXIT_INTERNAL = 70  # a bug in smartgoals (EX_SOFTWARE); reported in one line
EXIT_SIGINT = 130  # interrupted by SIGINT (Ctrl-C): 128 + 2, as shells report it
EXIT_SIGTERM = 143  # stopped by SIGTERM: 128 + 15


class Problem(Record):
    """One thing wrong with the ledger's data, at a place a person can open in an editor."""

    path: str  # relative to the ledger root, with forward slashes
    line: int  # 1-based; 0 when the whole file is concerned
    column: int  # 1-based; 0 when unknown
    message: str
    field: str = ""  # dotted location inside the document, e.g. goals[2].targets[0].due

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        field = f"{self.field}: " if self.field else ""
        return clean(f"{where}: {field}{self.message}")  # quotes user text: no escape codes


class SmartgoalsError(Exception):
    """An error the user can act on; the CLI prints its message as one line."""

    exit_code = EXIT_ENVIRONMENT


class InvalidInputError(SmartgoalsError):
    """A value, id or date given on the command line (or in the ledger) cannot be used."""

    exit_code = EXIT_INVALID


class LedgerNotFoundError(SmartgoalsError):
    """No directory with a goals/ folder was found."""


class JournalError(SmartgoalsError):
    """The journal file cannot be safely read or appended to."""


class LockError(SmartgoalsError):
    """Another process holds a lock we need."""


class GitError(SmartgoalsError):
    """Git failed, or the repository is in a state where committing is unsafe."""


class DatabaseError(SmartgoalsError):
    """The user's database cannot be reached or written (its credentials are never shown)."""


class MissingDriverError(SmartgoalsError):
    """A database driver is not installed: the message names the extra that installs it."""


class Interrupted(SmartgoalsError):
    """SIGINT or SIGTERM arrived; raised once what was under way is committed or undone."""

    def __init__(self, signum: int, outcome: str) -> None:
        import signal

        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = f"signal {signum}"
        super().__init__(f"interrupted by {name}: {outcome}")
        self.signum = signum
        self.exit_code = 128 + signum  # 130 for SIGINT, 143 for SIGTERM, as shells report them


def error_line(exc: BaseException) -> tuple[str, int]:
    """The one line and exit code a command failure is reported with; never a traceback.

    Shared by the Typer CLI and the start-up fast path, so both report every failure alike.
    """
    if isinstance(exc, SmartgoalsError):
        return clean(f"error: {exc}"), exc.exit_code
    if isinstance(exc, OSError):  # permissions, a full disk, a vanished directory
        where = f": {exc.filename}" if exc.filename else ""
        return clean(f"error: {exc.strerror or exc}{where}"), EXIT_ENVIRONMENT
    # A bug of ours: one line, not a dump of goal data.
    return (
        clean(
            f"error: internal error ({type(exc).__name__}: {exc}); please report it, and rerun "
            "with SMARTGOALS_DEBUG=1 for the traceback"
        ),
        EXIT_INTERNAL,
    )
