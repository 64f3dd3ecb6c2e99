"""The console script: interruption handled from the first moment, then the one Typer app.

SIGINT (Ctrl-C) and SIGTERM at any point of start-up end the process with one line and
128 + the signal's number (130, 143), never a traceback: the handlers are installed when this
module is imported, before any other module of ours (smartgoals/__init__.py imports nothing
at run time) and before Typer. `log` holds both signals itself while it appends and commits
(see recording.deferred_signals), so an interrupted `log` leaves either nothing or the
committed row. A reader of standard output that goes away (`| head`) ends the run quietly.
"""

# The C half of `signal` first, and nothing else until the handlers are in: signal.py builds
# enums, and without site.py (python -S) even `os` is Python code to import, in which Ctrl-C
# would still be a KeyboardInterrupt with a traceback.
import _signal  # type: ignore[import-not-found]  # (no stub: signal.py's C half)
import posix  # os.write itself, without importing os (Python code) in a signal handler

_NAMES: dict[int, str] = {_signal.SIGINT: "SIGINT", _signal.SIGTERM: "SIGTERM"}


_starting = [True]  # until the app is imported: nothing to finish or clean up yet


def _interrupted(signum: int, _frame: object) -> None:
    try:
        posix.write(2, f"error: interrupted by {_NAMES.get(signum, signum)}\n".encode())
    finally:
        if _starting[0]:
            # an exception raised here during an import could come out as another one
            # (class creation wraps what __set_name__ raises in a RuntimeError)
            posix._exit(128 + signum)
        raise SystemExit(128 + signum)


def _install_handlers() -> None:
    for number in _NAMES:
        if _signal.getsignal(number) is not _signal.SIG_IGN:  # nohup and background jobs
            _signal.signal(number, _interrupted)


_install_handlers()

import gc  # noqa: E402 (after the handlers, on purpose)
import sys  # noqa: E402

GC_THRESHOLDS = (10_000, 10, 10)  # Python's defaults: (700, 10, 10)


def main() -> None:
    """Entry point of the smartgoals script and of python -m smartgoals."""
    _install_handlers()  # again: a caller may have changed them since the import
    for stream in (sys.stdout, sys.stderr):
        # an output that is not UTF-8 (LANG=C, a latin-1 terminal) shows "?" for what it cannot
        # encode, instead of failing on the first goal title with an accent
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower().replace("-", "") != "utf8":
            reconfigure(errors="replace")
    # Garbage collection: importing Typer and the engine leaves some 19,000 containers that
    # live until the process ends, and the collector's default thresholds (a collection per
    # 700 new containers) traverse them again and again while a run builds its rows (about a
    # tenth of a piped `status`, and of `status` at 100k rows).
    # Collections are made rarer, never turned off, and what the imports made is frozen:
    # later collections skip it. Reference cycles are still collected.
    gc.set_threshold(*GC_THRESHOLDS)
    from smartgoals.cli.app import main as cli_main

    gc.freeze()
    _starting[0] = False
    try:
        cli_main()
    except BrokenPipeError:  # outside a command (help, usage): nothing more to tell the reader
        from smartgoals.errors import EXIT_ENVIRONMENT
        from smartgoals.rendering.terminal import drop_stdout

        drop_stdout()
        raise SystemExit(EXIT_ENVIRONMENT) from None


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
