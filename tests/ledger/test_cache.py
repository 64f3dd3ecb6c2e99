"""The definitions cache and lean start-up: same answers from the cache, no heavy imports."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.files import read_work_tree
from smartgoals.ledger import cache, store
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
    files = list(store.cache_dir().glob("*" + cache.SUFFIX))
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
    (entry,) = store.cache_dir().glob("*" + cache.SUFFIX)
    return entry


def _body(entry: Path) -> tuple[str, object]:
    """The key and the decoded payload of an entry (its MAC unchecked)."""
    body = entry.read_bytes().split(b"\n", 1)[1]
    head, payload = body.split(b"\n", 1)
    return head.split()[2].decode(), marshal.loads(payload)


def _seal(entry: Path, data: object) -> None:
    """An entry holding data, authenticated with this user's key: what smartgoals itself would
    write, were its encoder ever to produce data."""
    key, _data = _body(entry)
    store.write(entry, cache._head(key) + marshal.dumps(data), cache.MAX_ENTRIES)


def _forge(entry: Path, data: object) -> None:
    """An entry holding data, forged by someone who can read the code but not the user's key:
    the head, and a digest of the body recomputed where the MAC goes."""
    key, _data = _body(entry)
    body = cache._head(key) + marshal.dumps(data)
    entry.write_bytes(store.MAC_HEAD + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)


def _replace(data: object, old: object, new: object) -> object:
    """data with every float equal to old replaced by new."""
    if type(data) is float and data == old:
        return new
    if isinstance(data, dict):
        return {k: _replace(v, old, new) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(_replace(item, old, new) for item in data)
    return data


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
    elif damage == "flipped":  # one bit of the payload: the MAC no longer verifies
        middle = len(good) * 3 // 4
        entry.write_bytes(good[:middle] + bytes([good[middle] ^ 1]) + good[middle + 1 :])
    else:
        assert isinstance(damage, bytes)
        entry.write_bytes(damage)
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 0, result.output
    assert entry.read_bytes() == good  # rewritten


def test_an_entry_that_does_not_decode_is_a_miss(tmp_path: Path, cli: CliRunner) -> None:
    """Even authenticated with the user's own key, an entry that names another record type,
    has another shape or holds a number no parse gives is only a miss, and is written anew."""
    entry = _entry(tmp_path, cli)
    good = entry.read_bytes()
    _key, data = _body(entry)
    assert isinstance(data, dict)
    data["metrics"][0][0] = len(cache._RECORDS)  # no such record type
    huge = _replace(_body(entry)[1], 5000.0, 10**400)
    assert huge != _body(entry)[1]
    band = {**_body(entry)[1], "at_risk_band": 10**400}  # type: ignore[dict-item]
    for foreign in (data, [], {"metrics": "x"}, {"metrics": [[0, "too", "few"]]}, huge, band):
        _seal(entry, foreign)
        result = invoke(cli, tmp_path, "status", "--json", "--as-of", "2026-06-30")
        assert result.exit_code == 0, result.output
        assert entry.read_bytes() == good  # rewritten


def test_a_forged_entry_is_a_miss(tmp_path: Path, cli: CliRunner) -> None:
    """Someone who can write the cache folder and read the code, but not the user's key,
    cannot change an answer: a target of 1 instead of 5000 is believed only when sealed with
    the key, and a forged entry is a miss, rewritten."""
    write_ledger(tmp_path, GOALS, "date,metric,value,note\n2026-06-01,mrr,2000,\n")
    args = ("status", "--json", "--as-of", "2026-06-30")
    truth = invoke(cli, tmp_path, *args)
    assert truth.exit_code == 0, truth.output
    (entry,) = store.cache_dir().glob("*" + cache.SUFFIX)
    good = entry.read_bytes()
    edited = _replace(_body(entry)[1], 5000.0, 1.0)
    _seal(entry, edited)
    assert invoke(cli, tmp_path, *args).stdout != truth.stdout  # the edit matters
    _forge(entry, edited)
    result = invoke(cli, tmp_path, *args)
    assert (result.exit_code, result.stdout) == (0, truth.stdout)
    assert entry.read_bytes() == good


def test_a_hand_edited_entry_is_a_miss_not_a_different_answer(
    tmp_path: Path, cli: CliRunner
) -> None:
    write_ledger(tmp_path, GOALS)
    before = invoke(cli, tmp_path, "status", "--json").stdout
    (entry,) = store.cache_dir().glob("*" + cache.SUFFIX)
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
    assert {p.name for p in store.cache_dir().glob("*" + cache.SUFFIX)} == {
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
    assert len(list(store.cache_dir().glob("*" + cache.SUFFIX))) == cache.MAX_ENTRIES


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
    assert not list(store.cache_dir().glob("*" + cache.SUFFIX))


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
