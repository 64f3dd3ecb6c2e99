"""files.py: finding the ledger's root, which files are goal files and journal files, the
journal setting and shard names, and reading the work tree within the containment rules
(real files in tmp_path)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from smartgoals.errors import LedgerNotFoundError, Problem
from smartgoals.files import (
    MAX_GOAL_FILE_BYTES,
    NotRegularFileError,
    check_journal_setting,
    find_root,
    is_goal_file,
    is_journal_file,
    journal_files,
    open_regular,
    read_journal_files,
    read_limited,
    read_work_tree,
    shard_name,
    shard_paths,
)


def ledger(root: Path) -> Path:
    (root / "goals").mkdir(parents=True)
    return root


def test_find_root_walks_up_to_the_nearest_goals_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMARTGOALS_DIR", raising=False)
    root = ledger(tmp_path / "company")
    deep = root / "docs" / "q3"
    deep.mkdir(parents=True)
    assert find_root(deep) == root.resolve()
    assert find_root(root) == root.resolve()
    inner = ledger(deep / "team")  # the nearest wins
    assert find_root(inner / "goals") == inner.resolve()


def test_find_root_explicit_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = ledger(tmp_path / "one"), ledger(tmp_path / "two")
    monkeypatch.setenv("SMARTGOALS_DIR", str(two))
    assert find_root(one, explicit=one) == one.resolve()
    assert find_root(tmp_path) == two.resolve()
    monkeypatch.setenv("SMARTGOALS_DIR", "")  # empty: as if unset
    assert find_root(one / "goals") == one.resolve()


def test_find_root_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMARTGOALS_DIR", raising=False)
    with pytest.raises(LedgerNotFoundError, match=r"has no goals/ folder; is it a ledger\?"):
        find_root(explicit=tmp_path)
    nowhere = tmp_path / "empty"
    nowhere.mkdir()
    if any((parent / "goals").is_dir() for parent in nowhere.resolve().parents):
        pytest.skip("a parent of tmp_path has a goals/ folder")
    with pytest.raises(LedgerNotFoundError) as caught:
        find_root(nowhere)
    assert str(caught.value) == (
        f"no ledger here: no goals/ folder in {nowhere.resolve()} or its parents "
        "(run 'smartgoals init', or use -C DIR)"
    )


@pytest.mark.parametrize(
    ("name", "yes"),
    [
        ("goals/revenue.yaml", True),
        ("goals/revenue.yml", True),
        ("revenue.yaml", True),
        ("goals/.revenue.yaml", False),  # hidden
        ("goals/#revenue.yaml", False),
        ("goals/.#revenue.yaml", False),  # an editor's lock
        ("goals/revenue.yaml~", False),  # an editor's backup
        ("goals/revenue.json", False),
    ],
)
def test_is_goal_file(name: str, yes: bool) -> None:
    assert is_goal_file(name) is yes


@pytest.mark.parametrize(
    ("rel", "yes"),
    [
        ("goals/log.csv", True),
        ("goals/log.d/ada.csv", True),
        ("goals/log.d/.ada.csv", False),
        ("goals/log.d/#ada.csv", False),
        ("goals/log.d/sub/ada.csv", False),
        ("goals/log.d/ada.txt", False),
        ("goals/checkins.csv", False),
        ("log.csv", False),
    ],
)
def test_is_journal_file(rel: str, yes: bool) -> None:
    assert is_journal_file(rel) is yes


def test_journal_files_main_journal_first_then_shards_by_name() -> None:
    files = ["goals/log.d/bob.csv", "goals/x.yaml", "goals/log.d/ann.csv", "goals/log.csv"]
    assert journal_files(files) == ["goals/log.csv", "goals/log.d/ann.csv", "goals/log.d/bob.csv"]


@pytest.mark.parametrize(
    "text", ["log.csv", "log.d/{user}.csv", "log.d/team-a.csv", "log.d/a.b_c.csv"]
)
def test_check_journal_setting_accepts(text: str) -> None:
    assert check_journal_setting(text) == text


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("../log.csv", "must stay inside goals/log.d (no '..', no absolute path)"),
        ("/tmp/log.csv", "must stay inside goals/log.d"),
        ("log.d\\a.csv", "must stay inside goals/log.d"),
        ("log.d/a.txt", "must end in .csv"),
        ("other/a.csv", "must be log.csv or log.d/NAME.csv (for example log.d/{user}.csv)"),
        ("log.d/.csv", "must be log.csv or log.d/NAME.csv"),
        ("log.d/Ada.csv", "the file name may hold only a-z, 0-9"),
        ("log.d/.hidden.csv", "the file name may hold only a-z, 0-9"),
    ],
)
def test_check_journal_setting_refuses(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_journal_setting(text)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("Ada@Example.com", "ada-example.com"),
        ("..ada+goals@x.io", "ada-goals-x.io"),  # never a hidden file
        ("ädä@x", "-d--x"),
    ],
)
def test_shard_name(email: str, name: str) -> None:
    assert shard_name(email) == name
    assert check_journal_setting(f"log.d/{name}.csv")


def test_read_limited(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_bytes(b"x" * 10)
    assert read_limited(path, 10, "rules.yaml") == b"x" * 10
    with pytest.raises(ValueError, match=r"^rules.yaml is larger than 9 bytes$"):
        read_limited(path, 9, "rules.yaml")
    with pytest.raises(ValueError, match=r"^cannot read missing.yaml: No such file or directory$"):
        read_limited(tmp_path / "missing.yaml", 10, "missing.yaml")


def test_open_regular_refuses_a_fifo_and_a_directory_before_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotRegularFileError, match="is not a regular file \\(a FIFO\\)"):
        open_regular(tmp_path / "fifo")  # returns at once: O_NONBLOCK
    with pytest.raises(NotRegularFileError) as caught:
        open_regular(tmp_path)
    assert caught.value.kind == "a directory"
    (tmp_path / "real").write_text("ok")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OSError):
        open_regular(tmp_path / "link")
    fd = open_regular(tmp_path / "link", follow=True)
    with open(fd, "rb") as handle:
        assert handle.read() == b"ok"


def test_read_work_tree_reads_settings_goal_files_journal_shards_and_checkins(
    tmp_path: Path,
) -> None:
    root = ledger(tmp_path)
    (root / "smartgoals.yaml").write_bytes(b"pager: false\n")
    (root / "goals" / "b.yaml").write_bytes(b"b")
    (root / "goals" / "a.yml").write_bytes(b"a")
    (root / "goals" / ".hidden.yaml").write_bytes(b"h")
    (root / "goals" / "notes.md").write_bytes(b"n")
    (root / "goals" / "log.csv").write_bytes(b"j")
    (root / "goals" / "checkins.csv").write_bytes(b"c")
    (root / "goals" / "log.d").mkdir()
    (root / "goals" / "log.d" / "z.csv").write_bytes(b"z")
    read = read_work_tree(root)
    assert read.problems == ()
    assert read.files == {
        "smartgoals.yaml": b"pager: false\n",
        "goals/a.yml": b"a",
        "goals/b.yaml": b"b",
        "goals/log.csv": b"j",
        "goals/log.d/z.csv": b"z",
        "goals/checkins.csv": b"c",
    }
    assert set(read_work_tree(root, journal=False).files) == {
        "smartgoals.yaml",
        "goals/a.yml",
        "goals/b.yaml",
    }
    assert read_journal_files(root).files == {"goals/log.csv": b"j", "goals/log.d/z.csv": b"z"}


def test_read_work_tree_containment(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_bytes(b"secret")
    (outside / "log.csv").write_bytes(b"secret")
    root = ledger(tmp_path / "ledger")
    (root / "goals" / "inside.yaml").write_bytes(b"inside")
    (root / "goals" / "link-in.yaml").symlink_to(root / "goals" / "inside.yaml")
    (root / "goals" / "link-out.yaml").symlink_to(outside / "secret.yaml")
    os.mkfifo(root / "goals" / "pipe.yaml")
    (root / "goals" / "log.csv").symlink_to(outside / "log.csv")
    (root / "goals" / "big.yaml").write_bytes(b"#" * (MAX_GOAL_FILE_BYTES + 1))
    read = read_work_tree(root)
    assert read.files == {"goals/inside.yaml": b"inside", "goals/link-in.yaml": b"inside"}
    assert sorted(read.problems) == [
        Problem(
            "goals/big.yaml", 0, 0, f"file is larger than {MAX_GOAL_FILE_BYTES:,} bytes; not read"
        ),
        Problem("goals/link-out.yaml", 0, 0, "is a symbolic link out of the ledger; not read"),
        Problem("goals/log.csv", 0, 0, "is a symbolic link; refusing to read through it"),
        Problem("goals/pipe.yaml", 0, 0, "is not a regular file (a FIFO); not read"),
    ]


def test_a_goals_folder_linked_out_of_the_ledger_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "goals").mkdir(parents=True)
    (outside / "goals" / "x.yaml").write_bytes(b"x")
    root = tmp_path / "ledger"
    root.mkdir()
    (root / "goals").symlink_to(outside / "goals")
    read = read_work_tree(root)
    assert read.files == {}
    assert read.problems == (
        Problem("goals", 0, 0, "is a symbolic link out of the ledger; not read"),
    )


def test_shard_paths(tmp_path: Path) -> None:
    root = ledger(tmp_path / "ledger")
    assert shard_paths(root) == []
    shards = root / "goals" / "log.d"
    shards.mkdir()
    for name in ["b.csv", "a.csv", ".hidden.csv", "notes.txt"]:
        (shards / name).write_bytes(b"")
    (shards / "sub").mkdir()
    assert shard_paths(root) == ["goals/log.d/a.csv", "goals/log.d/b.csv"]
    # a shard folder linked out of the ledger is not read
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.csv").write_bytes(b"")
    other = ledger(tmp_path / "other")
    (other / "goals" / "log.d").symlink_to(outside)
    assert shard_paths(other) == []
