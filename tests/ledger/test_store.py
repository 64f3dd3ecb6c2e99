"""The cache store (store.py): the owner's key, HMAC-authenticated entries, and what a key file
or a cache folder that is not this user's own does: nothing cached, or every entry a miss."""

from __future__ import annotations

import hashlib
import hmac
import json
import marshal
import os
import shutil
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.ledger import cache, store
from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: g
    title: G
    targets:
      - {metric: mrr, target: 5000}
"""
JOURNAL = "date,metric,value,note\n2026-06-01,mrr,2000,\n"
STATUS = ("status", "--json", "--as-of", "2026-06-30")


def definitions_entries() -> list[Path]:
    return sorted(store.cache_dir().glob("*" + cache.SUFFIX))


@pytest.mark.parametrize("bulk", [False, True])
@pytest.mark.parametrize("key", [b"k" * 32, b"k" * 64, b"k" * 100])
def test_the_mac_is_hmac_sha256(key: bytes, bulk: bool) -> None:
    body = b"smartgoals" * 1000
    assert store.mac(key, memoryview(body), bulk) == hmac.new(key, body, "sha256").hexdigest()
    assert store.hasher(body, bulk).hexdigest() == hashlib.sha256(body).hexdigest()


def test_the_key_is_created_once_with_mode_0600_outside_the_cache() -> None:
    path = store.key_path()
    assert path == Path(os.environ["XDG_STATE_HOME"]) / "smartgoals" / "cache.key"
    assert not path.exists()
    key = store.secret()
    assert key is not None and len(key) == store.KEY_BYTES
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.secret() == key  # read, not made anew
    assert store.cache_dir() not in path.parents


def test_without_xdg_state_home_the_key_is_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store.key_path() == tmp_path / ".local" / "state" / "smartgoals" / "cache.key"
    assert store.secret() is not None
    assert (tmp_path / ".local" / "state" / "smartgoals" / "cache.key").is_file()


def test_an_entry_reads_back_only_under_its_key(tmp_path: Path) -> None:
    entry = tmp_path / "cache" / "x.bin"
    store.write(entry, b"body", keep=8)
    assert store.read(entry) == b"body"
    data = entry.read_bytes()
    entry.write_bytes(data[:-1] + b"x")  # the body edited
    assert store.read(entry) is None
    plain = hashlib.sha256(b"bodx").hexdigest().encode()
    entry.write_bytes(store.MAC_HEAD + plain + b"\n" + b"bodx")  # a recomputed plain digest
    assert store.read(entry) is None
    entry.write_bytes(data)
    store.key_path().unlink()  # another key from now on
    assert store.read(entry) is None


def _unsafe(path: Path, how: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if how == "mode-0644":
        path.write_bytes(os.urandom(32))
        path.chmod(0o644)
    elif how == "symlink":
        target = path.parent / "elsewhere"
        target.write_bytes(os.urandom(32))
        target.chmod(0o600)
        path.symlink_to(target)
    elif how == "directory":
        path.mkdir()
    elif how == "short":
        path.write_bytes(b"k")
        path.chmod(0o600)
    else:
        assert how == "other-owner"
        path.write_bytes(os.urandom(32))
        path.chmod(0o600)
        os.chown(path, 65534, 65534)


UNSAFE = [
    "mode-0644",
    "symlink",
    "directory",
    "short",
    pytest.param(
        "other-owner",
        marks=pytest.mark.skipif(
            not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root"
        ),
    ),
]


@pytest.mark.parametrize("how", UNSAFE)
def test_a_key_file_that_is_not_the_users_own_is_not_used(
    tmp_path: Path, cli: CliRunner, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is cached, nothing fails, and the answer is the uncached one."""
    _unsafe(store.key_path(), how)
    assert store.secret() is None
    write_ledger(tmp_path, GOALS, JOURNAL)
    cached = invoke(cli, tmp_path, *STATUS)
    assert cached.exit_code == 0, cached.output
    assert definitions_entries() == []
    monkeypatch.setenv("SMARTGOALS_NO_CACHE", "1")
    assert invoke(cli, tmp_path, *STATUS).stdout == cached.stdout


def test_a_key_that_cannot_be_created_is_no_cache(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))  # a file where a directory should be
    write_ledger(tmp_path / "ledger", GOALS, JOURNAL)
    assert invoke(cli, tmp_path / "ledger", *STATUS).exit_code == 0
    assert definitions_entries() == []


def test_a_cache_folder_from_another_key_is_all_misses(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache restored from elsewhere (another machine, a CI cache from another runner): its
    entries, even one that lies with a valid MAC under its own key, are misses, rewritten."""
    write_ledger(tmp_path / "ledger", GOALS, JOURNAL)
    truth = invoke(cli, tmp_path / "ledger", *STATUS)
    assert truth.exit_code == 0, truth.output
    (entry,) = definitions_entries()
    key = entry.read_bytes().split(b"\n", 2)[1].split()[2].decode()
    lie = cache.encode(cache.lookup(key))  # type: ignore[arg-type]
    lie["goals"][0][2] = "Forged"  # the title, under the other key
    store.write(entry, cache._head(key) + marshal.dumps(lie), cache.MAX_ENTRIES)
    assert "Forged" in invoke(cli, tmp_path / "ledger", *STATUS).stdout
    foreign = entry.read_bytes()
    restored = tmp_path / "restored"
    shutil.copytree(store.cache_dir().parent, restored)
    monkeypatch.setenv("XDG_CACHE_HOME", str(restored))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "another-user-state"))
    result = invoke(cli, tmp_path / "ledger", *STATUS)
    assert (result.exit_code, result.stdout) == (0, truth.stdout)
    assert json.loads(result.stdout)["goals"][0]["title"] == "G"
    (rewritten,) = definitions_entries()
    assert rewritten.read_bytes() != foreign


def test_no_cache_needs_no_key(
    tmp_path: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SMARTGOALS_NO_CACHE", "1")
    write_ledger(tmp_path, GOALS, JOURNAL)
    assert invoke(cli, tmp_path, *STATUS).exit_code == 0
    assert not store.key_path().exists()


def test_old_entries_are_pruned(tmp_path: Path) -> None:
    for index in range(5):
        store.write(tmp_path / f"{index}.bin", b"x", keep=3)
        os.utime(tmp_path / f"{index}.bin", ns=(index * 10**9, index * 10**9))
    store.write(tmp_path / "5.bin", b"x", keep=3)
    assert sorted(p.name for p in tmp_path.glob("*.bin")) == ["3.bin", "4.bin", "5.bin"]
