"""The vcs package against real git repositories in tmp_path, with the identity pinned in their
config."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

from smartgoals.errors import GitError, InvalidInputError
from smartgoals.vcs import commit as vcs_commit
from smartgoals.vcs.blame import Blame, appended_by, blame
from smartgoals.vcs.commit import check_ready, commit_file
from smartgoals.vcs.objects import resolve, snapshot
from smartgoals.vcs.repo import find_work_tree, open_history
from tests.conftest import IDENTITY, git


@pytest.fixture(autouse=True)
def only_the_repositorys_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config, and no identity from the environment."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for key in (*IDENTITY, "EMAIL"):
        monkeypatch.delenv(key, raising=False)


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def commit_all(root: Path, message: str, *extra: str) -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, *extra)
    return git(root, "rev-parse", "HEAD").strip()


# --- find_work_tree ----------------------------------------------------------------------------


def test_find_work_tree_inside_at_the_top_and_below(repo: Path) -> None:
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    assert find_work_tree(repo) == repo.resolve()
    assert find_work_tree(deep) == repo.resolve()


def test_find_work_tree_outside_any_repository(tmp_path: Path) -> None:
    assert find_work_tree(tmp_path) is None


def test_find_work_tree_takes_the_nearest_of_nested_repositories(repo: Path) -> None:
    inner = repo / "vendor" / "inner"
    inner.mkdir(parents=True)
    git(inner, "init", "-q")
    (inner / "x").mkdir()
    assert find_work_tree(inner / "x") == inner.resolve()
    assert find_work_tree(repo / "vendor") == repo.resolve()


# --- check_ready -------------------------------------------------------------------------------


def test_check_ready_in_a_clean_repository(repo: Path) -> None:
    found = check_ready(repo)
    assert Path(found.working_tree_dir) == repo.resolve()


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("MERGE_HEAD", "a merge"),
        ("CHERRY_PICK_HEAD", "a cherry-pick"),
        ("rebase-merge", "a rebase"),
    ],
)
def test_check_ready_refuses_an_operation_in_progress(repo: Path, name: str, what: str) -> None:
    write(repo, "f", "x\n")
    commit_all(repo, "start")
    marker = repo / ".git" / name
    if name == "rebase-merge":
        marker.mkdir()
    else:
        marker.write_text(git(repo, "rev-parse", "HEAD"))
    with pytest.raises(GitError, match=f"{what} is in progress in "):
        check_ready(repo)


def test_check_ready_refuses_without_an_identity(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")  # conftest's git() sets an identity for itself only
    with pytest.raises(GitError, match="git does not know who you are"):
        check_ready(tmp_path)


def test_check_ready_waits_for_an_index_lock_that_is_released(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    waits = []

    def sleep(_seconds: float) -> None:  # another git process finishes while we wait
        waits.append(_seconds)
        if len(waits) == 3:
            lock.unlink()

    clock = types.SimpleNamespace(monotonic=lambda: 0.0, sleep=sleep)
    monkeypatch.setattr(vcs_commit, "time", clock)
    check_ready(repo)
    assert len(waits) == 3


def test_check_ready_gives_up_on_an_index_lock_that_stays_and_leaves_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lock = repo / ".git" / "index.lock"
    lock.write_text("")
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(
        vcs_commit, "time", types.SimpleNamespace(monotonic=lambda: now[0], sleep=sleep)
    )
    with pytest.raises(GitError, match=r"index\.lock exists: another git process is running"):
        check_ready(repo)
    assert lock.exists()  # never deleted: it may be another process's
    assert now[0] > vcs_commit.INDEX_LOCK_WAIT_SECONDS


# --- commit_file -------------------------------------------------------------------------------


def test_commit_file_commits_exactly_that_path_and_leaves_staged_changes_staged(
    repo: Path,
) -> None:
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    write(repo, "other.txt", "one\n")
    commit_all(repo, "start")
    write(repo, "other.txt", "two\n")
    write(repo, "staged-new.txt", "new\n")
    git(repo, "add", "other.txt", "staged-new.txt")
    write(repo, "unstaged.txt", "loose\n")
    journal.write_text("date,metric,value,note\n2026-01-01,mrr,5,\n")

    sha, warning = commit_file(check_ready(repo), journal, "log: mrr 5", journal.read_bytes())
    assert warning is None

    assert sha == git(repo, "rev-parse", "HEAD").strip()
    assert git(repo, "show", "--name-only", "--format=%s", "HEAD").split() == [
        "log:",
        "mrr",
        "5",
        "goals/log.csv",
    ]
    assert git(repo, "diff", "--cached", "--name-only").split() == ["other.txt", "staged-new.txt"]
    assert git(repo, "show", "HEAD:other.txt") == "one\n"
    assert "?? unstaged.txt" in git(repo, "status", "--porcelain")


def test_commit_file_adds_an_untracked_file(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    commit_file(check_ready(repo), journal, "first journal", journal.read_bytes())
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == ["goals/log.csv"]
    assert git(repo, "status", "--porcelain") == ""


def test_a_failed_commit_unstages_the_file_it_added(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    hook = write(repo, ".git/hooks/pre-commit", "#!/bin/sh\necho refused by hook >&2\nexit 1\n")
    hook.chmod(0o755)
    journal = write(repo, "goals/log.csv", "date,metric,value,note\n")
    with pytest.raises(GitError, match="git commit failed: refused by hook"):
        commit_file(check_ready(repo), journal, "first journal", journal.read_bytes())
    assert git(repo, "status", "--porcelain").split() == ["??", "goals/"]


# --- history: open_history, resolve, snapshot --------------------------------------------------

LEDGER = {
    "smartgoals.yaml": "at_risk_band: 0.2\n",
    "goals/a.yaml": "goals: []\n",
    "goals/b.yml": "metrics: {}\n",
    "goals/log.csv": "date,metric,value,note\n",
    "goals/notes.txt": "not a goal file\n",
    "goals/sub/deep.yaml": "goals: []\n",
}
READ = {"smartgoals.yaml", "goals/a.yaml", "goals/b.yml", "goals/log.csv"}


@pytest.mark.parametrize("prefix", ["", "company/ledger/"])
def test_snapshot_reads_the_ledgers_files_at_a_commit(repo: Path, prefix: str) -> None:
    for rel, text in LEDGER.items():
        write(repo, prefix + rel, text)
    write(repo, "goals.yaml", "outside the ledger\n")
    first = commit_all(repo, "ledger")
    write(repo, prefix + "goals/log.csv", "date,metric,value,note\n2026-01-01,m,1,\n")
    write(repo, prefix + "goals/a.yaml", "goals: [changed]\n")
    commit_all(repo, "later")
    write(repo, prefix + "goals/a.yaml", "uncommitted\n")

    handle, found_prefix = open_history(repo / prefix)
    assert found_prefix == prefix
    shot = snapshot(handle, resolve(handle, "HEAD~1"), found_prefix)
    assert shot.commit.sha == first
    assert shot.commit.message == "ledger"
    assert (shot.commit.author, shot.commit.email) == ("Ada Founder", "ada@example.com")
    assert shot.files == {rel: LEDGER[rel].encode() for rel in READ}
    head = snapshot(handle, resolve(handle, "HEAD"), found_prefix).files
    assert head["goals/a.yaml"] == b"goals: [changed]\n"  # committed bytes, not the working tree


def test_snapshot_of_a_commit_without_a_ledger_is_empty(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    handle, prefix = open_history(repo)
    assert snapshot(handle, resolve(handle, "HEAD"), prefix).files == {}


def test_open_history_outside_git(tmp_path: Path) -> None:
    with pytest.raises(GitError, match="is not inside a git repository"):
        open_history(tmp_path)


def test_resolve_an_unknown_revision(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    handle, _ = open_history(repo)
    # a bad revision given on the command line is invalid input (exit 1), not the environment
    for rev in ("nope", "HEAD~5", "deadbeef" * 5, "0000000", "0" * 40):
        with pytest.raises(InvalidInputError, match=r"^unknown revision '"):
            resolve(handle, rev)


def test_resolve_in_an_empty_repository(repo: Path) -> None:
    handle, _ = open_history(repo)
    with pytest.raises(GitError, match="the repository has no commits yet"):
        resolve(handle, "HEAD")


# --- who wrote each journal line: blame and appended_by ----------------------------------------

HEADER = "date,metric,value,note\n"


def _linear_journal(repo: Path) -> tuple[bytes, list[str]]:
    journal = repo / "goals" / "log.csv"
    text = HEADER
    shas = []
    for number, author in enumerate(["Ada Founder <ada@example.com>", "Bo <bo@example.com>"] * 2):
        text += f"2026-01-0{number + 1},mrr,{number},row {number}\n"
        if number == 1:
            text += "2026-01-02,mrr,9,a second row in the same commit\n"
        write(repo, "goals/log.csv", text)
        shas.append(commit_all(repo, f"log {number}", "--author", author))
    text += "2026-02-01,mrr,99,not committed yet\n"
    journal.write_text(text)
    return journal.read_bytes(), shas


def test_blame_and_appended_by_agree_on_a_linear_history(repo: Path) -> None:
    current, shas = _linear_journal(repo)
    handle, _ = open_history(repo)
    blamed = blame(handle, "goals/log.csv")
    appended = appended_by(handle, "goals/log.csv", current)
    assert appended is not None
    assert sorted(blamed) == sorted(appended) == list(range(1, 8))

    def who(found: dict[int, Blame]) -> dict[int, tuple[str, str, str, object] | None]:
        return {
            line: None
            if b.commit is None
            else (b.commit.sha, b.commit.author, b.commit.email, b.commit.date)
            for line, b in found.items()
        }

    assert who(blamed) == who(appended)
    expected_shas = [shas[0], shas[0], shas[1], shas[1], shas[2], shas[3], None]
    assert [b.commit.sha if b.commit else None for _, b in sorted(blamed.items())] == expected_shas
    assert blamed[3].commit is not None and blamed[3].commit.author == "Bo"
    assert blamed[3].commit.message == "log 1"


def test_appended_by_declines_when_the_journal_was_rewritten(repo: Path) -> None:
    _current, _shas = _linear_journal(repo)
    write(repo, "goals/log.csv", HEADER + "2026-01-01,mrr,0,row 0\n")  # rows removed
    commit_all(repo, "rewrite")
    handle, _ = open_history(repo)
    current = (repo / "goals" / "log.csv").read_bytes()
    assert appended_by(handle, "goals/log.csv", current) is None
    assert appended_by(handle, "goals/log.csv", b"edited\n") is None
    assert blame(handle, "goals/log.csv")[2].commit is not None  # blame still answers


def test_blame_and_appended_by_on_a_file_never_committed(repo: Path) -> None:
    write(repo, "README", "x\n")
    commit_all(repo, "start")
    handle, _ = open_history(repo)
    assert blame(handle, "goals/log.csv") == {}
    assert appended_by(handle, "goals/log.csv", HEADER.encode()) == {}
