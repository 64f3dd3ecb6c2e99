"""The console script: interruption handled from the first moment, then the one Typer app.

SIGINT (Ctrl-C) and SIGTERM at any point of start-up end the process with one line and
128 + the signal's number (130, 143), never a traceback. `log` holds both signals itself
while it appends and commits (see write/recording.deferred_signals), so an interrupted `log` leaves
either nothing or the committed row.
"""

from __future__ import annotations

import gc
import os
import signal
import sys

GC_THRESHOLDS = (10_000, 10, 10)  # Python's defaults: (700, 10, 10)
_NAMES: dict[int, str] = {signal.SIGINT: "SIGINT", signal.SIGTERM: "SIGTERM"}


def _interrupted(signum: int, _frame: object) -> None:
    try:
        os.write(2, f"error: interrupted by {_NAMES.get(signum, signum)}\n".encode())
    finally:
        raise SystemExit(128 + signum)


def main() -> None:
    """Entry point of the smartgoals script and of python -m smartgoals."""
    for number in _NAMES:
        if signal.getsignal(number) is not signal.SIG_IGN:  # nohup and background jobs
            signal.signal(number, _interrupted)
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
    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
