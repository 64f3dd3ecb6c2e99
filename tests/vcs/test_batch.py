"""vcs/batch.py and the history read through it (vcs/objects.py), against real repositories:
commits and their details as GitPython read them, missing names and paths, renamed files, bytes
kept exactly, a shallow clone, and one process for every read of a handle."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from smartgoals.errors import GitError, InvalidInputError
from smartgoals.vcs.batch import ObjectReader, object_reader
from smartgoals.vcs.log import goal_file_commits
from smartgoals.vcs.objects import (
    committed_blob,
    file_around,
    parse_commit,
    resolve,
    snapshot,
    snapshot_at,
)
from smartgoals.vcs.repo import open_history, open_work_tree
from tests.conftest import IDENTITY, git
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]


def test_objects_by_name_and_missing_names(repo: Path) -> None:
    write(repo, "goals/log.csv", "date,metric,value,note\n")
    sha = commit_all(repo, "start")
    reader = ObjectReader(open_work_tree(repo))
    try:
        commit = reader.read("HEAD^{commit}")
        assert commit is not None and (commit.id, commit.kind) == (sha, "commit")
        blob = reader.read("HEAD:goals/log.csv")
        assert blob is not None and (blob.kind, blob.data) == ("blob", b"date,metric,value,note\n")
        tree = reader.read("HEAD:goals")
        assert tree is not None and tree.kind == "tree"
        for name in ("HEAD:goals/none.csv", "nope", "HEAD~1", "0" * 40, "", "HEAD\n:x", "a b c"):
            assert reader.read(name) is None
        assert reader.read("HEAD:goals/log.csv") == blob  # the process still answers
    finally:
        reader.close()
    reader.close()  # twice is harmless


def test_bytes_come_back_exactly(repo: Path) -> None:
    data = bytes(range(256)) * 3 + b"\r\n\n\x00 missing\n"
    (repo / "goals").mkdir()
    (repo / "goals" / "log.csv").write_bytes(data)
    (repo / ".gitattributes").write_text("*.csv text eol=crlf\n")  # never applied to a read
    commit_all(repo, "binary")
    stored = subprocess.run(
        ["git", "cat-file", "blob", "HEAD:goals/log.csv"], cwd=repo, capture_output=True, check=True
    ).stdout
    assert stored.startswith(bytes(range(256)))  # as git stores it, whatever the attributes say
    handle, _ = open_history(repo)
    assert committed_blob(handle, resolve(handle, "HEAD"), "goals/log.csv") == stored
    assert committed_blob(handle, resolve(handle, "HEAD"), "goals/none.csv") == b""
    assert committed_blob(handle, resolve(handle, "HEAD"), "goals/log.csv/deeper") == b""


def test_one_process_serves_every_read_of_a_handle(repo: Path) -> None:
    write(repo, "goals/a.yaml", "goals: []\n")
    commit_all(repo, "one")
    write(repo, "goals/a.yaml", "goals: [x]\n")
    commit_all(repo, "two")
    handle, prefix = open_history(repo)
    reader = object_reader(handle)
    snapshot(handle, resolve(handle, "HEAD~1"), prefix)
    process = reader._process
    assert process is not None and process.poll() is None
    snapshot(handle, resolve(handle, "HEAD"), prefix)
    assert object_reader(handle) is reader and reader._process is process
    reader.close()
    assert process.poll() is not None  # git ended with its input


def test_a_commit_is_read_as_gitpython_read_it(repo: Path) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Zoë Q. (ops)",
        "GIT_AUTHOR_EMAIL": "zoe@example.com",
        "GIT_AUTHOR_DATE": "2026-03-04T05:06:07+05:30",
        "GIT_COMMITTER_NAME": IDENTITY["GIT_COMMITTER_NAME"],
        "GIT_COMMITTER_EMAIL": IDENTITY["GIT_COMMITTER_EMAIL"],
    }
    write(repo, "goals/a.yaml", "goals: []\n")
    git(repo, "add", "-A")
    subprocess.run(
        ["git", "commit", "-q", "-m", "First line\u2028same\n\nbody"],
        cwd=repo,
        env=env,
        check=True,
    )
    handle, _ = open_history(repo)
    info = resolve(handle, "HEAD").info
    assert (info.author, info.email, info.message) == (
        "Zoë Q. (ops)",
        "zoe@example.com",
        "First line",
    )
    zone = dt.timezone(dt.timedelta(hours=5, minutes=30))
    assert info.date == dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=zone)
    assert info.date.utcoffset() == dt.timedelta(hours=5, minutes=30)


def test_a_commit_with_a_signature_header_and_its_own_encoding() -> None:
    data = (
        b"tree " + b"a" * 40 + b"\n"
        b"parent " + b"b" * 40 + b"\n"
        b"parent " + b"c" * 40 + b"\n"
        b"author J\xf6rg <j@example.com> 1767225600 -0130\n"
        b"committer C <c@example.com> 1767225600 +0000\n"
        b"encoding ISO-8859-1\n"
        b"gpgsig -----BEGIN PGP SIGNATURE-----\n"
        b" parent " + b"d" * 40 + b"\n"
        b" -----END PGP SIGNATURE-----\n"
        b"\n"
        b"Gr\xfc\xdfe\n"
    )
    commit = parse_commit("e" * 40, data)
    assert (commit.tree, commit.parents) == ("a" * 40, ("b" * 40, "c" * 40))
    assert (commit.info.author, commit.info.message) == ("Jörg", "Grüße")
    assert commit.info.date.utcoffset() == -dt.timedelta(hours=1, minutes=30)
    assert commit.info.date.timestamp() == 1767225600
    empty = parse_commit("f" * 40, b"tree " + b"a" * 40 + b"\nauthor broken\n\n")
    assert (empty.info.message, empty.info.date.timestamp(), empty.parents) == ("", 0, ())


def test_a_renamed_goal_file_is_read_under_each_name(repo: Path) -> None:
    write(repo, "goals/old.yaml", "goals: []\n")
    first = commit_all(repo, "start")
    git(repo, "mv", "goals/old.yaml", "goals/new.yaml")
    second = commit_all(repo, "rename")
    handle, prefix = open_history(repo)
    assert snapshot_at(handle, first, prefix).files == {"goals/old.yaml": b"goals: []\n"}
    assert snapshot_at(handle, second, prefix).files == {"goals/new.yaml": b"goals: []\n"}
    assert [info.sha for info, _ in goal_file_commits(handle, prefix)] == [first, second]
    assert file_around(handle, second, "goals/new.yaml") == (b"", b"goals: []\n")


def test_missing_commits_and_revisions(repo: Path) -> None:
    handle, _ = open_history(repo)
    assert goal_file_commits(handle, "") == []  # no commits yet
    with pytest.raises(GitError, match="no commits yet"):
        resolve(handle, "HEAD")
    write(repo, "goals/a.yaml", "goals: []\n")
    commit_all(repo, "start")
    for rev in ("-h", "HEAD\nHEAD", "HEAD:goals/a.yaml"):
        with pytest.raises(InvalidInputError, match="unknown revision"):
            resolve(handle, rev)
    with pytest.raises(GitError, match="cannot read commit 0000000000"):
        snapshot_at(handle, "0" * 40, "")


def test_a_shallow_clone_reads_what_it_has(tmp_path: Path, repo: Path) -> None:
    write(repo, "goals/log.csv", "date,metric,value,note\n")
    commit_all(repo, "start")
    write(repo, "goals/log.csv", "date,metric,value,note\n2026-01-01,m,1,\n")
    commit_all(repo, "log: m 1")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    handle, prefix = open_history(clone)
    head = resolve(handle, "HEAD")
    assert snapshot(handle, head, prefix).files["goals/log.csv"].endswith(b"m,1,\n")
    with pytest.raises(GitError, match="shallow clone"):
        resolve(handle, "HEAD~1")
    with pytest.raises(GitError, match="missing objects"):
        file_around(handle, "HEAD", "goals/log.csv")  # its parent is not here


def test_a_reader_whose_git_cannot_start(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    handle = open_work_tree(repo)
    monkeypatch.setenv("GIT_PYTHON_GIT_EXECUTABLE", str(repo / "no-such-git"))
    with pytest.raises(GitError, match="git cat-file failed"):
        ObjectReader(handle).read("HEAD")
