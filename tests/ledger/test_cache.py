"""The definitions cache and lean start-up: same answers from the cache, no heavy imports."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.files import read_work_tree
from smartgoals.ledger import cache
from smartgoals.ledger.loader import load_definitions as load_from_files
from smartgoals.ledger.model import Definitions
from tests.conftest import REPO_ROOT, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  growth: {name: Growth, unit: percent, formula: "growth(mrr, 'month') * 100"}
goals:
  - id: g
    title: G
    due: 2026-Q4
    targets:
      - {metric: mrr, steps: [{value: 1k, due: 2026-Q2}, {value: 5k, due: 2026-Q4}]}
      - {metric: growth, target: 10%}
risks:
  - {id: r, title: R, when: "growth < 5", actions: [Act]}
"""


def load_definitions(root: Path) -> Definitions:
    return load_from_files(read_work_tree(root).files)


def test_cache_hit_gives_the_same_definitions(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS)
    fresh = load_definitions(tmp_path)
    files = list(cache.cache_dir().glob("*" + cache.SUFFIX))
    assert len(files) == 1
    cached = load_definitions(tmp_path)
    assert cached.metrics == fresh.metrics
    assert cached.goals == fresh.goals
    assert cached.risks == fresh.risks
    assert cached.formulas == fresh.formulas
    assert cached.conditions == fresh.conditions
    assert cached.at_risk_band == fresh.at_risk_band


def test_problems_are_cached_too(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS.replace("title: G", "title: G\n    taget: 1"))
    first = invoke(cli, tmp_path, "check")
    second = invoke(cli, tmp_path, "check")
    assert first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout
    assert "unknown key 'taget'" in second.stdout


def test_an_edit_invalidates_the_cache(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS)
    assert invoke(cli, tmp_path, "check").exit_code == 0
    path = tmp_path / "goals" / "goals.yaml"
    stat = path.stat()
    # same size, same modification time: only the content tells
    path.write_text(GOALS.replace("title: G", "title: H"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    data = json.loads(invoke(cli, tmp_path, "status", "--json").stdout)
    assert data["goals"][0]["title"] == "H"
    (tmp_path / "goals" / "more.yaml").write_text("metrics:\n  x: {name: X}\n")
    assert "2 metrics" not in invoke(cli, tmp_path, "check").stdout
    assert ", 3 metrics," in invoke(cli, tmp_path, "check").stdout
    (tmp_path / "smartgoals.yaml").write_text("at_risk_band: 2\n")
    assert invoke(cli, tmp_path, "check").exit_code == 1


def _entry(tmp_path: Path, cli: CliRunner) -> Path:
    write_ledger(tmp_path, GOALS)
    assert invoke(cli, tmp_path, "check").exit_code == 0
    (entry,) = cache.cache_dir().glob("*" + cache.SUFFIX)
    return entry


def _forge(entry: Path, data: object) -> None:
    """An entry holding data, with a head whose key and payload digest both match."""
    key = entry.read_bytes().split(b"\n", 1)[0].split()[2].decode()
    payload = marshal.dumps(data)
    entry.write_bytes(cache._head(key, payload) + payload)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"smartgoals-definitions 7 x y\n",
        b"\x00" * 64,
        "truncated",
        "flipped",
    ],
)
def test_a_damaged_cache_is_only_a_miss(
    tmp_path: Path, cli: CliRunner, damage: bytes | str
) -> None:
    entry = _entry(tmp_path, cli)
    good = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "flipped":  # one bit of the payload: the payload digest no longer matches
        middle = len(good) * 3 // 4
        entry.write_bytes(good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :])
    else:
        assert isinstance(damage, bytes)
        entry.write_bytes(damage)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 0, result.output
    assert entry.read_bytes() == good  # rewritten


def test_a_forged_cache_cannot_name_other_types(tmp_path: Path, cli: CliRunner) -> None:
    entry = _entry(tmp_path, cli)
    data = marshal.loads(entry.read_bytes().split(b"\n", 1)[1])
    data["metrics"][0][0] = len(cache._RECORDS)  # no such record type
    _forge(entry, data)  # even with a matching payload digest
    assert invoke(cli, tmp_path, "check").exit_code == 0  # a miss: only our record types exist
    for foreign in ([], {"metrics": "x"}, {"metrics": [[0, "too", "few"]]}):
        _forge(entry, foreign)
        assert invoke(cli, tmp_path, "check").exit_code == 0


def test_a_hand_edited_entry_is_a_miss_not_a_different_answer(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, GOALS)
    before = invoke(cli, tmp_path, "status", "--json").stdout
    (entry,) = cache.cache_dir().glob("*" + cache.SUFFIX)
    data = entry.read_bytes()
    assert b"\x01G" in data  # the goal's title, a one-character string (stored field by field)
    entry.write_bytes(data.replace(b"\x01G", b"\x01F"))
    after = invoke(cli, tmp_path, "status", "--json").stdout
    assert after == before
    assert '"F"' not in after


def test_the_key_is_the_digest_of_the_bytes_parsed(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS)
    files = read_work_tree(tmp_path).files
    first = load_from_files(files)
    edited = {
        **files,
        "goals/goals.yaml": files["goals/goals.yaml"].replace(b"title: G", b"title: H"),
    }
    second = load_from_files(edited)
    assert first.goals[0].title == "G"
    assert second.goals[0].title == "H"
    assert load_from_files(files).goals[0].title == "G"  # each content under its own key
    assert {p.name for p in cache.cache_dir().glob("*" + cache.SUFFIX)} == {
        cache.entry_path(cache.digest(files)).name,
        cache.entry_path(cache.digest(edited)).name,
    }


def test_a_symlink_repointed_gives_what_an_uncached_run_gives(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ledger(tmp_path, "metrics: {}\n")
    (tmp_path / "goals" / "goals.yaml").unlink()
    (tmp_path / "a.yaml").write_text(GOALS)
    (tmp_path / "b.yaml").write_text(GOALS.replace("title: G", "title: B"))
    link = tmp_path / "goals" / "goals.yaml"
    link.symlink_to(tmp_path / "a.yaml")
    assert json.loads(invoke(cli, tmp_path, "status", "--json").stdout)["goals"][0]["title"] == "G"
    link.unlink()
    link.symlink_to(tmp_path / "b.yaml")
    cached = invoke(cli, tmp_path, "status", "--json").stdout
    monkeypatch.setenv("SMARTGOALS_NO_CACHE", "1")
    assert invoke(cli, tmp_path, "status", "--json").stdout == cached
    assert json.loads(cached)["goals"][0]["title"] == "B"


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS)
    files = read_work_tree(tmp_path).files
    for index in range(cache.MAX_ENTRIES + 5):
        text = files["goals/goals.yaml"] + f"# edit {index}\n".encode()
        load_from_files({**files, "goals/goals.yaml": text})
    assert len(list(cache.cache_dir().glob("*" + cache.SUFFIX))) == cache.MAX_ENTRIES


def test_an_unwritable_cache_directory_is_fine(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file where a directory should be
    write_ledger(tmp_path / "ledger", GOALS)
    assert invoke(cli, tmp_path / "ledger", "check").exit_code == 0


def test_no_cache_switch(tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMARTGOALS_NO_CACHE", "1")
    write_ledger(tmp_path, GOALS)
    assert invoke(cli, tmp_path, "check").exit_code == 0
    assert not list(cache.cache_dir().glob("*" + cache.SUFFIX))


PROBE = """
import sys
from smartgoals.cli.app import app
try:
    app(["-C", sys.argv[1], *sys.argv[2:]])
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "pydantic", "yaml", "git"})
print("HEAVY", heavy, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["status"], []),
        (["status", "--json"], []),
        (["risks"], []),
        (["check"], []),
        (["log", "mrr", "5", "--no-commit"], []),
    ],
)
def test_warm_runs_import_no_heavy_modules(
    tmp_path: Path, args: list[str], expected: list[str]
) -> None:
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-01-01,mrr,100,\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the first run fills the cache
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(tmp_path), *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO_ROOT,
        )
    assert f"HEAVY {expected}" in done.stderr, done.stderr


def test_the_bundled_demo_round_trips_through_an_entry() -> None:
    """Every kind of record the demo uses (ladders, quotas, holds, stages, formulas, risk
    conditions, dates) comes back from the encoded form exactly as parsed."""
    from smartgoals.ledger.definitions import parse_definitions

    files = read_work_tree(REPO_ROOT).files
    parsed = parse_definitions(files)
    payload = marshal.dumps(cache.encode(parsed))
    assert cache.decode(marshal.loads(payload)) == parsed
