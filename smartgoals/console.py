"""The console script: interruption handled from the first moment, then the one Typer app.

SIGINT (Ctrl-C) and SIGTERM at any point of start-up end the process with one line and
128 + the signal's number (130, 143), never a traceback. `log` holds both signals itself
while it appends and commits (see recording.deferred_signals), so an interrupted `log` leaves
either nothing or the committed row.
"""

from __future__ import annotations

import os
import signal
import sys

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
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":  # pragma: no cover
    main()
    sys.exit(0)
