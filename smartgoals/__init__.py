"""smartgoals: a goal ledger. SMART goals in YAML, values in a CSV journal, git as the database.

Library use, without the CLI::

    import datetime as dt
    from pathlib import Path
    from smartgoals import load_ledger, evaluate

    ledger = load_ledger(Path("."))
    for goal in evaluate(ledger, dt.date.today()).goals:
        print(goal.goal.id, goal.status, goal.score)
"""

# Nothing is imported at run time: the console script's signal handlers (console.py) are
# installed right after this module runs, and Ctrl-C during an import here would be a traceback.
TYPE_CHECKING = False
__all__ = ["__version__", "evaluate", "load_ledger", "record"]

if TYPE_CHECKING:
    from typing import Any

    from smartgoals.engine.evaluation import evaluate
    from smartgoals.ledger.loader import load_ledger
    from smartgoals.write.batch import record


def __getattr__(name: str) -> "Any":
    # Lazy, so that `import smartgoals` (and the CLI's start-up) costs nothing extra.
    if name == "evaluate":
        from smartgoals.engine.evaluation import evaluate

        return evaluate
    if name == "load_ledger":
        from smartgoals.ledger.loader import load_ledger

        return load_ledger
    if name == "record":
        from smartgoals.write.batch import record

        return record
    if name == "__version__":
        from smartgoals.version import __version__

        return __version__
    raise AttributeError(name)
