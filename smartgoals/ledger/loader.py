"""The one loading pipeline: a ledger's files, as bytes -> Ledger(definitions, series, problems).

    files (working tree or a git revision) -> definitions (cached) -> journal -> derived series

The files come as a mapping of ledger-relative path to bytes, so the working tree and a
revision's git objects load the same way, and nothing is ever written to disk to be read back.
Problems are collected, never raised.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from smartgoals.errors import Problem
from smartgoals.files import (
    CHECKINS,
    SETTINGS,
    JournalFile,
    LedgerFiles,
    as_journal_file,
    journal_files,
    open_work_tree,
    read_checkins_file,
    read_work_tree,
)
from smartgoals.ledger import store
from smartgoals.ledger.cache import cached_definitions
from smartgoals.ledger.derived import derive_series, judged_formulas
from smartgoals.ledger.gaps import Gaps
from smartgoals.ledger.journal import read_journals
from smartgoals.ledger.model import Definitions, Ledger, Series
from smartgoals.ledger.settings import remember_settings

# The journal cache (journalcache.py) pays for itself from about this size: below it, parsing
# the whole journal (about 2.5 us a row) costs less than importing pickle and hashlib and
# reading an entry. SMARTGOALS_JOURNAL_CACHE_MIN_BYTES overrides it (0: always).
JOURNAL_CACHE_MIN_BYTES = 128 * 1024


def load_definitions(files: Mapping[str, bytes], use_cache: bool = True) -> Definitions:
    """Metrics, goals, risks and settings, cross-checked; the journal is not read.

    Cached by the digest of the very bytes parsed (see cache.py), so that a run on unchanged
    goal files pays neither for YAML parsing nor for Pydantic.
    """
    if use_cache:
        return cached_definitions(files)
    from smartgoals.ledger.definitions import parse_definitions

    return parse_definitions(files)


def load_definitions_at(root: Path) -> Definitions:
    """The definitions of the working tree at root (the journal is not read); its settings are
    kept for the rest of the run (settings.settings_of)."""
    definitions = load_definitions(read_work_tree(root, journal=False).files)
    remember_settings(root, definitions.settings)
    return definitions


def load_ledger(
    source: Path | LedgerFiles | Mapping[str, bytes],
    use_cache: bool = True,
    *,
    judged: bool = False,
    until: dt.date | None = None,
    committed: bool = False,
) -> Ledger:
    """Load settings, goal files and the journal; problems are collected, never raised.

    judged: compute only the derived metrics that a target or a risk reads (and those their
    formulas read), which is all engine.evaluate needs; the others are left out of the
    series. until: compute no derived point after this date, the as-of date of the
    evaluation (a cached derived series may still hold later points: nothing at as-of reads
    them). committed: the files are a git revision's (they never change): its parsed journal
    is cached by the digest of its content (journalcache.py).

    source is a ledger directory (its working tree is read), or the files themselves: a
    mapping of ledger-relative path (`goals/x.yaml`, `goals/log.csv`, `goals/log.d/a.csv`,
    `smartgoals.yaml`) to bytes, optionally with the problems met while reading them
    (LedgerFiles). The journal is goals/log.csv and every shard, read in one pass in the
    order of files.journal_order (see journal.read_journals).
    """
    if not isinstance(source, Path):
        return _load(None, source, {}, use_cache, judged, until, committed)
    if not (use_cache and store.enabled()):
        return _load(source, read_work_tree(source), {}, use_cache, judged, until, committed)
    # the journal's files opened, not read: the journal cache reads only what it needs of them
    # (each is closed when no longer referenced: pages.Rescue may read it after the load)
    found, opened = open_work_tree(source)
    return _load(source, found, opened, use_cache, judged, until, committed)


def _load(
    root: Path | None,
    source: LedgerFiles | Mapping[str, bytes],
    opened: dict[str, JournalFile],
    use_cache: bool,
    judged: bool,
    until: dt.date | None,
    committed: bool,
) -> Ledger:
    """load_ledger of files (opened: the journal's files, when they are not among them)."""
    files: Mapping[str, bytes]
    if isinstance(source, LedgerFiles):
        files, problems = source.files, list(source.problems)
    else:
        files, problems = source, []
    definitions = load_definitions(files, use_cache)
    if root is not None:
        remember_settings(root, definitions.settings)
    problems.extend(definitions.problems)
    series: dict[str, Series] = {}
    derived = False
    formulas = definitions.formulas
    if judged and formulas:
        targets = (m for goal in definitions.goals for t in goal.targets for m in t.metrics_read)
        formulas = judged_formulas(formulas, targets, definitions.conditions.values())
    parts: list[tuple[str, bytes | JournalFile]] = [
        (rel, files[rel]) for rel in journal_files(files)
    ]
    parts += [(rel, opened[rel]) for rel in journal_files(opened)]
    if parts:
        gaps = None
        if definitions.unresolved or definitions.unreadable:
            gaps = Gaps(definitions.unresolved, unreadable=definitions.unreadable)
        cached = root is not None or committed
        if cached and use_cache and gaps is None and _worth_caching(parts):
            from smartgoals.ledger.journalcache import (
                read_journal_cached,  # only rows appended since last run
            )

            series, journal_problems = read_journal_cached(
                root, parts, definitions.metrics, files, formulas
            )
            derived = True  # with the derived series, computed only since the cached parse
        else:
            whole = [(rel, _whole(data)) for rel, data in parts]
            series, journal_problems = read_journals(whole, definitions.metrics, gaps)
        problems.extend(journal_problems)
    checkins = files.get(CHECKINS)
    if checkins is not None:
        problems.extend(checkin_problems(checkins, definitions))
    if formulas and not derived:
        series = derive_series(definitions.metrics, series, formulas, until=until)
    problems.sort(key=_problem_order)
    return Ledger(definitions, series, tuple(problems))


def _whole(data: bytes | JournalFile) -> bytes:
    """All the bytes of a journal file, an open one closed after."""
    if isinstance(data, bytes):
        return data
    whole = data.whole()
    data.close()
    return whole


def _worth_caching(parts: list[tuple[str, bytes | JournalFile]]) -> bool:
    try:
        least = int(os.environ.get("SMARTGOALS_JOURNAL_CACHE_MIN_BYTES", JOURNAL_CACHE_MIN_BYTES))
    except ValueError:
        least = JOURNAL_CACHE_MIN_BYTES
    return sum(as_journal_file(data).size for _rel, data in parts) >= least


def checkin_problems(data: bytes, definitions: Definitions) -> list[Problem]:
    """goals/checkins.csv checked like the journal: each bad row is a problem at its line."""
    from smartgoals.ledger.checkins import read_checkins

    return read_checkins(data, (goal.id for goal in definitions.goals))[1]


def load_checkins(source: Path | Mapping[str, bytes], definitions: Definitions) -> list[Any]:
    """The check-ins (checkins.Checkin) of a ledger directory or its files; bad rows left out."""
    from smartgoals.ledger.checkins import read_checkins

    data = read_checkins_file(source) if isinstance(source, Path) else source.get(CHECKINS)
    if data is None:
        return []
    return list(read_checkins(data, (goal.id for goal in definitions.goals))[0])


def _problem_order(problem: Problem) -> tuple[bool, str, int, int]:
    return (problem.path != SETTINGS, problem.path, problem.line, problem.column)
