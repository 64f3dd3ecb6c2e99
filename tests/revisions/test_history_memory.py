"""`history` keeps only what concerns the asked metric: the journal's other lines are emptied
before loading (history.metric_files) and attribution answers for the metric's own lines
(line_authors). Both must give exactly what the whole journal and a whole-file blame
give: proven here on real repositories (several authors, shards, corrections, a merge, lines
not committed or edited) and on generated journals full of CSV's corner cases."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from smartgoals.files import LedgerFiles, read_work_tree
from smartgoals.ledger.loader import load_ledger
from smartgoals.rendering import Display
from smartgoals.revisions.history import metric_files, metric_history
from smartgoals.vcs.blame import (
    _appended_lines,
    _blamed_lines,
    _lines_ended_by,
    appended_by,
    blame,
    line_authors,
)
from smartgoals.vcs.objects import CommitInfo
from smartgoals.vcs.repo import open_history
from smartgoals.views.history import HistoryView, history_json
from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
  m1: {name: M one}
  m10: {name: M ten}
  ratio: {name: Ratio, unit: percent, formula: "mrr / users * 100"}
goals:
  - id: grow
    title: Grow revenue
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 10000, baseline: 0}
      - {metric: users, target: 500}
"""
METRICS = ("mrr", "users", "m1", "m10", "ratio")
HEADER = "date,metric,value,note\n"
PEOPLE = {
    "ada": ("Ada Founder", "ada@example.com", "+0200"),
    "bob": ("Bob Builder", "bob@example.com", "-0500"),
    "cat": ("Cat Checker", "cat@example.com", "+0000"),
}


def run_git(root: Path, *args: str, who: str = "ada", day: int = 1) -> str:
    name, email, zone = PEOPLE[who]
    stamp = f"2026-03-{day:02d}T12:00:00{zone[:3]}:{zone[3:]}"
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)
    return done.stdout.decode()


def add(root: Path, rel: str, rows: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(HEADER)
    with path.open("a", newline="") as out:
        out.write(rows)


def commit(root: Path, who: str, day: int, message: str) -> None:
    run_git(root, "add", "-A", who=who, day=day)
    run_git(root, "commit", "-q", "-m", message, who=who, day=day)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    """Three authors; goals/log.csv and two shards; corrections; a branch merged (union merge of
    the journal); then a line not committed, and in one shard a committed line edited."""
    root = tmp_path
    run_git(root, "init", "-q", "-b", "main")
    (root / ".gitattributes").write_text("goals/log.csv merge=union\n")
    write_ledger(root, GOALS, HEADER + "2026-01-10,mrr,1000,first invoice\n2026-01-10,users,50,\n")
    commit(root, "ada", 1, "start")
    add(root, "goals/log.csv", '2026-01-11,m1,3,"a note, with a comma"\n2026-01-11,m10,4,\n')
    commit(root, "bob", 2, "log: m1")
    add(root, "goals/log.d/bob.csv", "2026-01-12,mrr,1100,\n2026-01-12,users,55,\n")
    commit(root, "bob", 3, "log: mrr")
    add(root, "goals/log.d/cat.csv", "2026-01-13,m1,5,\n2026-01-12,mrr,1150,correction: typo\n")
    commit(root, "cat", 4, "log: m1 and a correction")
    run_git(root, "checkout", "-q", "-b", "side")
    add(root, "goals/log.csv", "2026-01-14,users,60,from side\n2026-01-14,m10,6,\n")
    commit(root, "bob", 5, "log on a branch")
    run_git(root, "checkout", "-q", "main")
    add(root, "goals/log.csv", "2026-01-15,mrr,1300,from main\n2026-01-15,m1,7,\n")
    add(root, "goals/log.d/cat.csv", "2026-01-15,users,61,\n")
    commit(root, "ada", 6, "log on main")
    run_git(root, "merge", "-q", "--no-edit", "side", who="cat", day=7)
    add(root, "goals/log.csv", "2026-01-16,m1,8,correction: recount\n2026-01-16,mrr,1400,\n")
    commit(root, "ada", 8, "log after the merge")
    add(root, "goals/log.csv", "2026-01-17,mrr,1500,not committed\n")
    bob = root / "goals/log.d/bob.csv"
    bob.write_bytes(bob.read_bytes().replace(b"1100", b"1101"))  # a committed line edited
    return root


def old_authors(root: Path, rel: str) -> dict[int, CommitInfo | None]:
    """Every line's author the way history found them before: appended_by, else blame."""
    repo, prefix = open_history(root)
    current = (root / rel).read_bytes()
    found = appended_by(repo, prefix + rel, current)
    blamed = found if found is not None else blame(repo, prefix + rel)
    count = len(current.splitlines()) + 2  # and lines past the end: no one
    return {line: (b.commit if (b := blamed.get(line)) else None) for line in range(1, count)}


JOURNALS = ("goals/log.csv", "goals/log.d/bob.csv", "goals/log.d/cat.csv")


@pytest.mark.parametrize("rel", JOURNALS)
def test_line_authors_answer_as_blame_and_appended_by_did(team: Path, rel: str) -> None:
    expected = old_authors(team, rel)
    repo, _ = open_history(team)
    current = (team / rel).read_bytes()
    lines = list(expected)
    assert line_authors(repo, rel, current, lines) == list(expected.values())
    # in any order, with repeats, and for a few lines alone
    picked = [lines[-1], lines[0], lines[len(lines) // 2], lines[0]]
    assert line_authors(repo, rel, current, picked) == [expected[n] for n in picked]
    # the streamed blame alone agrees with the whole-file blame on every line
    blamed = blame(repo, rel)
    assert _blamed_lines(repo, rel, lines) == [
        (b.commit if (b := blamed.get(n)) else None) for n in lines
    ]


def test_the_fixture_uses_both_ways_of_attributing(team: Path) -> None:
    repo, _ = open_history(team)
    for rel, shortcut in zip(JOURNALS, (False, False, True), strict=True):
        current = (team / rel).read_bytes()
        assert (_appended_lines(repo, rel, current, [1]) is not None) is shortcut, rel
    authors = old_authors(team, "goals/log.csv")
    assert {c.author for c in authors.values() if c} == {"Ada Founder", "Bob Builder"}
    assert None in authors.values()  # the line not committed


@pytest.mark.parametrize("metric", METRICS)
def test_history_json_is_what_the_whole_journal_gives(
    team: Path, cli: CliRunner, metric: str
) -> None:
    result = invoke(cli, team, "history", metric, "--json")
    assert result.exit_code == 0, result.output
    whole = load_ledger(team)
    view = HistoryView(metric_history(team, whole, metric, None))
    assert json.loads(result.stdout) == history_json(view, Display())
    rows = json.loads(result.stdout)["observations"]
    assert rows, metric
    if metric != "ratio":
        assert all(row["path"] and row["line"] for row in rows)


def test_authors_with_their_own_time_zones_and_the_merge_not_blamed(
    team: Path, cli: CliRunner
) -> None:
    rows = json.loads(invoke(cli, team, "history", "users", "--json").stdout)["observations"]
    side = next(row for row in rows if row["note"] == "from side")
    assert side["author"] == "Bob Builder"
    assert side["recorded_at"] == "2026-03-05T12:00:00-05:00"  # blame: the author's zone
    mrr = json.loads(invoke(cli, team, "history", "mrr", "--json").stdout)["observations"]
    assert [row["committed"] for row in mrr][-1] is False
    corrected = [row for row in mrr if row["date"] == "2026-01-12"]
    assert [(row["value"], row["path"]) for row in corrected] == [(1150, "goals/log.d/cat.csv")]


def test_a_sha256_repository(tmp_path: Path) -> None:
    try:
        run_git(tmp_path, "init", "-q", "-b", "main", "--object-format=sha256")
    except subprocess.CalledProcessError:
        pytest.skip("this git makes no SHA-256 repositories")
    write_ledger(tmp_path, GOALS, HEADER + "2026-01-10,mrr,1000,\n")
    commit(tmp_path, "ada", 1, "start")
    add(tmp_path, "goals/log.csv", "2026-01-11,mrr,1100,\n")
    commit(tmp_path, "bob", 2, "log")
    add(tmp_path, "goals/log.csv", "2026-01-12,mrr,1200,\n")
    repo, _ = open_history(tmp_path)
    current = (tmp_path / "goals/log.csv").read_bytes()
    found = _appended_lines(repo, "goals/log.csv", current, [1, 2, 3, 4])
    assert found is not None  # the blob id compared as SHA-256
    assert [c.author if c else None for c in found] == [
        "Ada Founder",
        "Ada Founder",
        "Bob Builder",
        None,
    ]
    assert [c.sha if c else None for c in found] == [
        c.sha if c else None for c in _blamed_lines(repo, "goals/log.csv", [1, 2, 3, 4])
    ]


# --- counting lines between offsets, as bytes.splitlines numbers them ------------------------


@given(
    st.lists(st.sampled_from([b"a", b"bc", b"\n", b"\r", b"\r\n", b","]), max_size=40),
    st.data(),
)
def test_lines_ended_by_counts_as_splitlines(pieces: list[bytes], data: st.DataObject) -> None:
    blob = b"".join(pieces)
    stops = sorted(data.draw(st.lists(st.integers(0, len(blob)), max_size=8)))
    ends, total = [], 0
    for line in blob.splitlines(keepends=True):
        total += len(line)
        ends.append(total)
    expected = [sum(1 for end in ends if end <= stop) for stop in stops]
    assert _lines_ended_by(blob, stops) == expected


# --- the emptied journal reads the metric's rows exactly as the whole journal does -----------

ROWS = [
    "2026-01-01,m1,1,\n",
    "2026-01-02,m10,2,plain\n",
    "2026-01-02,mrr,3,\n",
    "2026-01-03,users,4,note\n",
    "2026-01-02,m1,5,correction: fixed\n",
    "2026-01-02,m1,,correction: retracted\n",
    '2026-01-04,m1,6,"quoted, with a comma"\n',
    '2026-01-04,mrr,7,"two\nlines"\n',
    '2026-01-05,users,8,"open\n',
    'x"\n',
    '2026-01-05,m1,9,"a""b"\n',
    '"2026-01-06","m1","10",""\n',
    "2026-01-06,m1,11,\r\n",
    "2026-01-07,mrr,12,lone\rreturn\n",
    "2026-01-07,m1,13,caf\u00e9\n",
    "\n",
    "2026-13-01,m1,14,\n",
    "2026-01-08,unknown,15,\n",
    "2026-01-08,ratio,16,\n",
    "2026-01-08,m1,17\n",
    "2026-01-08,m1,18,x,y\n",
    "2026-01-09,m1,nope,\n",
    "2026-01-09,m1,19,a\x00b\n",
    "2026-01-10,m1,20,\t \n",
    '2026-01-10,mrr,21,bad"quote\n',
    '2026-01-10,mrr,"22"x,\n',
    "2026-01-11,m1,23,",
]
BAD_BYTES = [b"\xff\xfe", b"\xef\xbb\xbf"]


def journal(pieces: list[int], header: bool, bad: int | None) -> bytes:
    data = (HEADER if header else "").encode() + "".join(ROWS[i] for i in pieces).encode()
    if bad is not None:
        data = data[: len(data) // 2] + BAD_BYTES[bad] + data[len(data) // 2 :]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(0, len(ROWS) - 1), max_size=14),
    st.lists(st.integers(0, len(ROWS) - 1), max_size=6),
    st.booleans(),
    st.sampled_from([None, None, None, 0, 1]),
)
@example([8, 2, 0, 9, 0], [], True, None)  # a plain row inside a quoted note over lines
@example([0, 2, 3, 0], [7, 2, 9], True, 0)  # not UTF-8
@example([12, 2, 13, 0, 3, 26], [4, 5], False, None)
def test_emptied_journals_give_each_metric_the_same_series(
    first: list[int], shard: list[int], header: bool, bad: int | None
) -> None:
    files = {
        "goals/goals.yaml": GOALS.encode(),
        "goals/log.csv": journal(first, header, bad),
    }
    if shard:
        files["goals/log.d/bob.csv"] = journal(shard, True, None)
    whole = load_ledger(files, use_cache=False)
    for metric in METRICS:
        emptied = load_ledger(metric_files(LedgerFiles(files), metric), use_cache=False)
        if metric != "ratio":  # a derived metric is loaded whole (commands/history.py)
            assert emptied.series.get(metric) == whole.series.get(metric), metric


def test_only_plain_lines_of_other_metrics_are_emptied(team: Path) -> None:
    files = read_work_tree(team)
    emptied = metric_files(files, "m1").files
    assert emptied["goals/goals.yaml"] == files.files["goals/goals.yaml"]
    lines = emptied["goals/log.csv"].split(b"\n")
    assert len(lines) == len(files.files["goals/log.csv"].split(b"\n"))
    assert lines[0] == b"date,metric,value,note"
    assert {line for line in lines[1:] if line} == {
        b'2026-01-11,m1,3,"a note, with a comma"',
        b"2026-01-11,m10,4,",  # contains the id: kept, and read as m10's
        b"2026-01-14,m10,6,",
        b"2026-01-15,m1,7,",
        b"2026-01-16,m1,8,correction: recount",
    }
    # a quoted field that goes on over lines: that file is left whole
    torn = {"goals/log.csv": (HEADER + '2026-01-01,mrr,1,"a\n2026-01-02,users,2,\n"\n').encode()}
    assert metric_files(LedgerFiles(torn), "m1").files == torn
