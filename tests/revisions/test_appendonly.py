"""The judgement of a range's hunks: which rows were changed or removed, and where."""

from __future__ import annotations

from smartgoals.revisions.appendonly import Rewrite, is_append_only, rewrites
from smartgoals.vcs.changes import Hunk, RangeCommit

BO = RangeCommit("a" * 40, ("b" * 40,), "Bo <bo@x>")
MERGE = RangeCommit("c" * 40, ("b" * 40, "d" * 40), "Bo <bo@x>")


def hunk(path: str, start: int, removed: tuple[str, ...], added: tuple[str, ...] = ()) -> Hunk:
    return Hunk(BO, BO.parents[0], path, start, removed, added)


def test_a_change_pairs_old_and_new_a_removal_stands_alone() -> None:
    found = list(rewrites([hunk("goals/log.csv", 14, ("2026-11-01,mrr,100,", "x"), ("y",))]))
    assert [str(r) for r in found] == [
        "goals/log.csv:14: changed in aaaaaaaaaa by Bo <bo@x>: 2026-11-01,mrr,100, -> y",
        "goals/log.csv:15: removed in aaaaaaaaaa by Bo <bo@x>: x",
    ]


def test_additions_anywhere_and_other_files_are_not_rewrites() -> None:
    assert not list(rewrites([hunk("goals/log.csv", 3, (), ("new row",))]))
    assert not list(rewrites([hunk("goals/goals.yaml", 3, ("old",), ("new",))]))
    assert not list(rewrites([hunk("goals/log.d/sub/x.csv", 1, ("old",))]))


def test_the_ledger_prefix_is_taken_off_and_other_ledgers_ignored() -> None:
    found = list(rewrites([hunk("co/goals/checkins.csv", 2, ("r",))], "co/"))
    assert found == [
        Rewrite("goals/checkins.csv", 2, BO.sha, BO.parents[0], False, BO.author, "r", None)
    ]
    assert not list(rewrites([hunk("other/goals/log.csv", 2, ("r",))], "co/"))


def test_a_merge_names_the_parent_it_is_compared_with() -> None:
    found = list(rewrites([Hunk(MERGE, "d" * 40, "goals/log.d/bo.csv", 4, ("r",), ())]))
    assert found[0].describe() == (
        "removed in cccccccccc (a merge, against its parent dddddddddd) by Bo <bo@x>: r"
    )


def test_the_append_only_files() -> None:
    assert all(map(is_append_only, ["goals/log.csv", "goals/log.d/a.csv", "goals/checkins.csv"]))
    assert not any(map(is_append_only, ["goals/goals.yaml", "smartgoals.yaml", "goals/x.csv"]))
    assert is_append_only("reviews/2026-Q4.csv")  # the grades of a closed period
    assert not is_append_only("reviews/notes.csv")
