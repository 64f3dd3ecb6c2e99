"""The one orchestrating loader: a ledger directory -> Ledger(metrics, goals, series, problems)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .derivation import derive_series
from .errors import LedgerNotFoundError, Problem
from .formula import Node
from .journal import read_journal
from .records import GoalDef, Ledger, MetricDef, RiskDef

GOALS_DIR = "goals"
JOURNAL = "goals/log.csv"
SETTINGS = "smartgoals.yaml"
ENV_DIR = "SMARTGOALS_DIR"


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


def goal_files(root: Path) -> list[Path]:
    """goals/*.yaml and *.yml, sorted; hidden files and editor backups are skipped."""
    folder = root / GOALS_DIR
    found = []
    for entry in folder.iterdir():
        name = entry.name
        if name.startswith((".", "#", "~")) or not name.endswith((".yaml", ".yml")):
            continue
        found.append(entry)
    return sorted(found)


class Definitions(NamedTuple):
    """Everything the goal files define, cross-checked, with the problems found."""

    metrics: dict[str, MetricDef]
    goals: list[GoalDef]
    risks: list[RiskDef]
    formulas: dict[str, Node]  # derived metric id -> parsed formula
    conditions: dict[str, Node]  # risk id -> parsed `when`
    problems: list[Problem]
    at_risk_band: float = 0.10


def load_definitions(root: Path, use_cache: bool = True) -> Definitions:
    """Metrics, goals, risks and settings, cross-checked; the journal is not read.

    The result is cached by the goal files' content (see cache.py), so that a run on unchanged
    goal files pays neither for YAML parsing nor for Pydantic.
    """
    if not use_cache:
        from .documents import read_definitions

        return read_definitions(root)
    from .cache import cached_definitions

    return cached_definitions(root)


def load_ledger(root: Path, use_cache: bool = True) -> Ledger:
    """Load settings, goal files and the journal. Problems are collected, never raised."""
    found = load_definitions(root, use_cache)
    problems = list(found.problems)
    series, journal_problems = read_journal(root / JOURNAL, JOURNAL, found.metrics)
    problems.extend(journal_problems)
    if found.formulas:
        series = derive_series(found.metrics, series, found.formulas)
    problems.sort(key=lambda p: (p.path != SETTINGS, p.path, p.line, p.column))
    return Ledger(
        found.metrics,
        tuple(found.goals),
        series,
        formulas=found.formulas,
        conditions=found.conditions,
        at_risk_band=found.at_risk_band,
        problems=tuple(problems),
        risks=tuple(found.risks),
    )
