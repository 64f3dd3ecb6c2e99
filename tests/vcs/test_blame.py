"""vcs.blame against real git repositories: who wrote each journal line, by blame and by the
append-only shortcut."""

from __future__ import annotations

from pathlib import Path

from smartgoals.vcs.blame import Blame, appended_by, blame
from smartgoals.vcs.repo import open_history
from tests.vcs.gitrepo import commit_all, only_the_repositorys_config, write

__all__ = ["only_the_repositorys_config"]


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


def test_blame_at_a_revision_reads_the_file_as_committed_there(repo: Path) -> None:
    _current, shas = _linear_journal(repo)
    handle, _ = open_history(repo)
    at_second = blame(handle, "goals/log.csv", shas[1])
    assert sorted(at_second) == [1, 2, 3, 4]
    assert [b.commit.sha if b.commit else None for _, b in sorted(at_second.items())] == [
        shas[0],
        shas[0],
        shas[1],
        shas[1],
    ]
    assert blame(handle, "goals/none.csv", shas[1]) == {}
