"""smartgoals.yaml for a run: the settings of the definitions the run loaded, kept by directory."""

from __future__ import annotations

from pathlib import Path

from smartgoals.files import read_work_tree
from smartgoals.ledger.cache import cached_definitions
from smartgoals.ledger.model import SettingsDef

# A run reads smartgoals.yaml once, with the goal files it is checked with (files.read_work_tree,
# then the definitions cache or definitions.parse_settings); what it found is kept here so that
# a decision taken after the command ran (the pager) neither reads the file again nor sees a
# different version of it. The cli forgets at the start of each run.
_seen: dict[Path, SettingsDef] = {}


def remember_settings(root: Path, settings: SettingsDef) -> None:
    """Keep the settings loaded from the ledger at root, for settings_of."""
    _seen[root.resolve()] = settings


def forget_settings() -> None:
    """A new run starts: the next settings_of reads the file again."""
    _seen.clear()


def settings_of(root: Path) -> SettingsDef:
    """The settings of the ledger at root: those this run loaded, else loaded now (through the
    definitions cache, so a warm run parses no YAML) and kept."""
    key = root.resolve()
    found = _seen.get(key)
    if found is None:
        found = _seen[key] = cached_definitions(read_work_tree(key, journal=False).files).settings
    return found
