"""Shell completion's candidates: goal ids, metric ids, areas, owners, stage names, status words
and revisions.

Goal files are read through the definitions cache (cache.py) and the journal is never read, so a
Tab on an unchanged ledger costs one cache lookup. A completer never raises: a ledger that
cannot be found or read simply offers nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from smartgoals.ledger.model import Definitions

Candidate = tuple[str, str]  # (value, help shown by zsh and fish)
T = TypeVar("T")


def _safely(compute: Callable[[], list[T]]) -> list[T]:
    try:
        return compute()
    except Exception:  # completion must never print a traceback into a shell prompt
        return []


def definitions(directory: str | None) -> Definitions:
    """The ledger's checked definitions, from the cache when the goal files are unchanged."""
    from smartgoals.files import find_root, read_work_tree
    from smartgoals.ledger.loader import load_definitions

    root = find_root(explicit=directory)
    return load_definitions(read_work_tree(root, journal=False).files)


def goal_ids(directory: str | None) -> list[Candidate]:
    return _safely(lambda: [(g.id, g.title) for g in definitions(directory).goals])


def metric_ids(directory: str | None, recorded: bool = False) -> list[Candidate]:
    """Metric ids; with recorded, only those `log` takes (not derived ones)."""

    def compute() -> list[Candidate]:
        metrics = definitions(directory).metrics.values()
        return [(m.id, m.name) for m in metrics if not (recorded and m.formula is not None)]

    return _safely(compute)


def areas(directory: str | None) -> list[Candidate]:
    def compute() -> list[Candidate]:
        found = definitions(directory)
        names = [g.area for g in found.goals] + [r.area for r in found.risks if r.area]
        return [(name, "area") for name in dict.fromkeys(names)]

    return _safely(compute)


def owners(directory: str | None) -> list[Candidate]:
    def compute() -> list[Candidate]:
        found = definitions(directory)
        names = [g.owner for g in found.goals if g.owner]
        names += [r.owner for r in found.risks if r.owner]
        return [(name, "owner") for name in dict.fromkeys(names)]

    return _safely(compute)


def stages(directory: str | None, metric: str | None) -> list[Candidate]:
    """The stage names of a stage metric (the value `log` takes for it); nothing otherwise."""

    def compute() -> list[Candidate]:
        found = definitions(directory).metrics.get(metric or "")
        if found is None or not found.is_stage:
            return []
        return [(stage, found.name) for stage in found.stages]

    return _safely(compute)


def status_words(incomplete: str) -> list[Candidate]:
    """Status words for --status and --fail-on; after a comma, the list so far plus one more."""
    from smartgoals.engine.evaluation import Status

    head, comma, _ = incomplete.rpartition(",")
    prefix = head + comma
    given = set(head.split(",")) if head else set()
    return [(prefix + str(s), "status") for s in Status if str(s) not in given]


def revisions(directory: str | None) -> list[Candidate]:
    """HEAD, branches (local and remote) and tags, as git lists them."""

    def compute() -> list[Candidate]:
        from smartgoals.files import find_root

        root = find_root(explicit=directory)
        from smartgoals.vcs.repo import ref_names

        names = ref_names(root)
        return [("HEAD", "revision"), *((name, "revision") for name in names)]

    return _safely(compute)
