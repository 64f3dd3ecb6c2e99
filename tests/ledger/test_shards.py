"""The journal in shards: goals/log.csv plus goals/log.d/*.csv, the `journal:` setting that sends
each person's rows to their own file, and pull requests merged the way a hosted merge button
merges them (no union driver), with no conflict."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.app import app
from smartgoals.files import JOURNAL, check_journal_setting, shard_name
from smartgoals.ledger.journal import HEADER_LINE, journal_target
from smartgoals.ledger.loader import load_definitions_at, load_ledger
from smartgoals.write.batch import commit_batch
from smartgoals.write.recording import Batch, Written, entry_for
from tests.conftest import IDENTITY, git, invoke, ledger_files, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  deals: {name: Deals, unit: count, aggregate: sum}
goals:
  - id: grow
    title: Grow
    targets:
      - {metric: mrr, target: 1000}
"""
TEAM = "journal: log.d/{user}.csv\n"


def rows(*lines: str) -> bytes:
    return (HEADER_LINE + "".join(f"{line}\n" for line in lines)).encode()


# --- reading: one pass over every file, in a stated order --------------------------------------


def test_rows_are_read_from_every_shard_in_file_order() -> None:
    files = ledger_files(GOALS, "2025-01-01,mrr,10,\n2025-01-02,mrr,20,\n")
    files["goals/log.d/bo.csv"] = rows("2025-01-02,mrr,20,bo", "2025-01-03,mrr,40,")
    files["goals/log.d/ada.csv"] = rows("2025-01-03,mrr,40,ada", "2025-01-04,mrr,50,")
    ledger = load_ledger(files, use_cache=False)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    mrr = ledger.series["mrr"]
    # by date; within a day: goals/log.csv, then the shards by file name, then by line
    assert mrr.values == [10, 20, 20, 40, 40, 50]
    assert mrr.notes == ["", "", "bo", "ada", "", ""]
    assert [mrr.path_of(i) for i in range(6)] == [
        "goals/log.csv",
        "goals/log.csv",
        "goals/log.d/bo.csv",
        "goals/log.d/ada.csv",
        "goals/log.d/bo.csv",
        "goals/log.d/ada.csv",
    ]
    assert mrr.lines == [2, 3, 2, 2, 3, 3]


def test_two_files_with_different_values_for_a_day_are_a_problem_naming_both_rows() -> None:
    files = ledger_files(GOALS, "2025-01-02,mrr,20,\n")
    files["goals/log.d/ada.csv"] = rows("2025-01-01,mrr,5,", "2025-01-02,mrr,25,")
    files["goals/log.d/bo.csv"] = rows("2025-01-02,mrr,20,", "2025-01-02,mrr,30,")
    files["goals/log.d/cy.csv"] = rows("2025-01-05,deals,2,", "2025-01-05,deals,3,")
    files["goals/log.d/dee.csv"] = rows("2025-01-05,deals,4,")  # sum: rows add up
    problems = [str(p) for p in load_ledger(files, use_cache=False).problems]
    assert problems == [
        "goals/log.d/ada.csv:3: value: mrr on 2025-01-02: goals/log.d/ada.csv:3 says 25, but "
        "goals/log.csv:2 says 20; settle it with "
        "`smartgoals log mrr VALUE --date 2025-01-02 --correct`",
        "goals/log.d/bo.csv:2: value: mrr on 2025-01-02: goals/log.d/bo.csv:2 says 20, but "
        "goals/log.d/ada.csv:3 says 25; settle it with "
        "`smartgoals log mrr VALUE --date 2025-01-02 --correct`",
        "goals/log.d/bo.csv:3: value: mrr on 2025-01-02: goals/log.d/bo.csv:3 says 30, but "
        "goals/log.csv:2 says 20; settle it with "
        "`smartgoals log mrr VALUE --date 2025-01-02 --correct`",
    ]  # each row is reported once, against the first earlier row of another file it differs from


def test_a_correction_in_any_file_settles_the_day_whichever_file_sorts_last() -> None:
    files = ledger_files(GOALS, "2025-01-02,mrr,20,\n")
    files["goals/log.d/ada.csv"] = rows("2025-01-02,mrr,22,correction: 20 -> 22")
    files["goals/log.d/bo.csv"] = rows("2025-01-02,mrr,30,", "2025-01-03,mrr,31,")
    ledger = load_ledger(files, use_cache=False)
    assert not ledger.problems, [str(p) for p in ledger.problems]
    mrr = ledger.series["mrr"]
    assert mrr.values == [22, 31]  # bo's 30 sorts after ada's correction and is still replaced
    assert mrr.path_of(0) == "goals/log.d/ada.csv"


def test_one_journal_file_reads_as_before() -> None:
    ledger = load_ledger(ledger_files(GOALS, "2025-01-02,mrr,20,\n"), use_cache=False)
    assert ledger.series["mrr"].paths is None
    assert ledger.series["mrr"].path_of(0) == JOURNAL


# --- the journal: setting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("ada@example.com", "ada-example.com"),
        ("Ada.Lovelace+Goals@Example.COM", "ada.lovelace-goals-example.com"),
        (".hidden@x.org", "hidden-x.org"),
        ("bø/../x@y", "b--..-x-y"),
    ],
)
def test_user_is_the_email_reduced_to_a_safe_file_name(email: str, name: str) -> None:
    assert shard_name(email) == name


@pytest.mark.parametrize("good", ["log.csv", "log.d/{user}.csv", "log.d/team-a_1.csv"])
def test_good_journal_settings(good: str) -> None:
    assert check_journal_setting(good) == good


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("../log.csv", "no '..'"),
        ("log.d/../../x.csv", "no '..'"),
        ("/tmp/x.csv", "no absolute"),
        ("log.d/{user}.txt", "end in .csv"),
        ("other/{user}.csv", "log.d/NAME.csv"),
        ("log.d/a/b.csv", "log.d/NAME.csv"),
        ("log.d/.csv", "log.d/NAME.csv"),
        ("log.d/A B.csv", "may hold only"),
        ("log.d/.x.csv", "not start"),
        ("log.d/{name}.csv", "may hold only"),
    ],
)
def test_bad_journal_settings_are_problems_at_their_line(
    cli: CliRunner, tmp_path: Path, bad: str, why: str
) -> None:
    with pytest.raises(ValueError, match=why):
        check_journal_setting(bad)
    write_ledger(tmp_path, GOALS, HEADER_LINE)
    (tmp_path / "smartgoals.yaml").write_text(f"at_risk_band: 0.1\njournal: {bad!r}\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1, result.output
    assert "smartgoals.yaml:2:" in result.output
    assert why in result.output
    logged = invoke(cli, tmp_path, "log", "mrr", "5", "--no-commit")
    assert logged.exit_code == 1, logged.output
    assert "smartgoals.yaml has problems, so the journal file to append to is not known" in (
        logged.output
    )
    assert (tmp_path / "goals" / "log.csv").read_text() == HEADER_LINE  # nothing written


def test_the_target_is_chosen_in_one_place(repo: Path) -> None:
    write_ledger(repo, GOALS, HEADER_LINE)

    def target(email: str | None = None) -> str:
        return journal_target(repo, load_definitions_at(repo).settings, email)

    assert target() == "goals/log.csv"
    (repo / "smartgoals.yaml").write_text("journal: log.csv\n")
    assert target() == "goals/log.csv"
    (repo / "smartgoals.yaml").write_text("journal: log.d/{user}.csv\n")
    assert target() == "goals/log.d/ada-example.com.csv"  # the repo's user.email
    assert target("Bo@X.org") == "goals/log.d/bo-x.org.csv"
    (repo / "smartgoals.yaml").write_text("journal: log.d/shared.csv\n")
    assert target() == "goals/log.d/shared.csv"


# --- writing: every writer appends to its person's shard, and commits it ------------------------


def team_ledger(repo: Path) -> Path:
    write_ledger(repo, GOALS, HEADER_LINE)
    (repo / "smartgoals.yaml").write_text(TEAM)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "ledger")
    return repo


def test_log_creates_the_shard_with_its_header_and_commits_only_it(
    cli: CliRunner, repo: Path
) -> None:
    team_ledger(repo)
    result = invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-01")
    assert result.exit_code == 0, result.output
    shard = repo / "goals" / "log.d" / "ada-example.com.csv"
    assert shard.read_text() == HEADER_LINE + "2025-01-01,mrr,5,\n"
    assert (repo / "goals" / "log.csv").read_text() == HEADER_LINE
    changed = git(repo, "show", "--name-only", "--format=%s", "HEAD").split("\n")
    assert changed[:3] == ["log: mrr = 5 USD (2025-01-01)", "", "goals/log.d/ada-example.com.csv"]
    assert git(repo, "status", "--porcelain") == ""
    again = invoke(cli, repo, "log", "mrr", "6", "--date", "2025-01-02")
    assert again.exit_code == 0, again.output
    assert shard.read_text().count("date,metric") == 1


def test_the_shard_must_hold_what_head_holds(cli: CliRunner, repo: Path) -> None:
    team_ledger(repo)
    assert invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-01").exit_code == 0
    shard = repo / "goals" / "log.d" / "ada-example.com.csv"
    with shard.open("a") as handle:
        handle.write("2025-01-02,mrr,6,by hand\n")
    before = shard.read_bytes()
    result = invoke(cli, repo, "log", "mrr", "7", "--date", "2025-01-03")
    assert result.exit_code == 3, result.output
    assert "goals/log.d/ada-example.com.csv is not what HEAD holds plus the new row" in (
        result.output
    )
    assert shard.read_bytes() == before


def test_a_shard_folder_linked_out_of_the_ledger_is_neither_read_nor_written(
    cli: CliRunner, repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    team_ledger(repo)
    outside = tmp_path_factory.mktemp("outside")
    (outside / "ada-example.com.csv").write_text(HEADER_LINE + "2025-01-01,mrr,99,\n")
    (repo / "goals" / "log.d").symlink_to(outside, target_is_directory=True)
    assert "mrr" not in load_ledger(repo).series
    result = invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-02")
    assert result.exit_code == 3, result.output
    assert "is a symbolic link out of the ledger; not written" in result.output
    assert (outside / "ada-example.com.csv").read_text() == HEADER_LINE + "2025-01-01,mrr,99,\n"


def test_undo_and_check_in_values_go_to_the_shard(cli: CliRunner, repo: Path) -> None:
    team_ledger(repo)
    assert invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-01").exit_code == 0
    assert invoke(cli, repo, "log", "mrr", "9", "--date", "2025-01-01").exit_code == 0
    undone = invoke(cli, repo, "undo", "--yes")
    assert undone.exit_code == 0, undone.output
    shard = repo / "goals" / "log.d" / "ada-example.com.csv"
    assert (
        shard.read_text()
        .splitlines()[-1]
        .startswith("2025-01-01,mrr,5,correction: $9 -> $5; undo of")
    )
    assert load_ledger(repo).series["mrr"].values == [5]
    row = "2025-01-02,mrr,11,\n"
    definitions = load_definitions_at(repo)
    entry = entry_for(definitions.metrics["mrr"], dt.date(2025, 1, 2), 11, "")
    batch = Batch((entry,), "check-in 2025-01-02: 1 value", checkins="")
    written = commit_batch(repo, batch, definitions)
    assert isinstance(written, Written) and written.commit is not None
    assert shard.read_text().endswith(row)
    assert (repo / "goals" / "log.csv").read_text() == HEADER_LINE


def test_a_shard_with_a_bad_row_is_checked_at_its_own_path(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER_LINE)
    (tmp_path / "goals" / "log.d").mkdir()
    (tmp_path / "goals" / "log.d" / "bo.csv").write_text(HEADER_LINE + "2025-13-01,mrr,5,\n")
    (tmp_path / "goals" / "log.d" / "notes.txt").write_text("not a shard\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1
    assert "goals/log.d/bo.csv:2:1: date: '2025-13-01' is not a date" in result.output


def test_check_fails_on_a_cross_shard_conflict_until_it_is_corrected(
    cli: CliRunner, tmp_path: Path
) -> None:
    write_ledger(tmp_path, GOALS, HEADER_LINE)
    shards = tmp_path / "goals" / "log.d"
    shards.mkdir()
    (shards / "ada.csv").write_text(HEADER_LINE + "2025-01-02,mrr,20,\n")
    (shards / "bo.csv").write_text(HEADER_LINE + "2025-01-01,mrr,5,\n2025-01-02,mrr,30,\n")
    result = invoke(cli, tmp_path, "check")
    assert result.exit_code == 1, result.output
    assert "goals/log.d/bo.csv:3" in result.output
    assert "goals/log.d/ada.csv:2 says 20" in result.output
    github = invoke(cli, tmp_path, "check", "--format", "github")
    assert "::error file=goals/log.d/bo.csv,line=3" in github.output
    (tmp_path / "smartgoals.yaml").write_text("journal: log.d/ada.csv\n")
    fixed = invoke(cli, tmp_path, "log", "mrr", "25", "--date", "2025-01-02", "--correct")
    assert fixed.exit_code == 0, fixed.output
    assert (shards / "ada.csv").read_text().endswith("2025-01-02,mrr,25,correction: $30 -> $25\n")
    assert invoke(cli, tmp_path, "check").exit_code == 0
    data = json.loads(invoke(cli, tmp_path, "show", "grow", "--json").output)
    latest = data["targets"][0]["recent"][-1]
    assert (latest["value"], latest["path"], latest["line"]) == (25, "goals/log.d/ada.csv", 3)


def test_only_a_shard_changing_is_seen_by_the_next_run(cli: CliRunner, tmp_path: Path) -> None:
    write_ledger(tmp_path, GOALS, HEADER_LINE + "2025-01-01,mrr,10,\n")
    (tmp_path / "goals" / "log.d").mkdir()
    shard = tmp_path / "goals" / "log.d" / "bo.csv"
    shard.write_text(HEADER_LINE + "2025-01-02,mrr,20,\n")

    def current() -> object:
        result = invoke(cli, tmp_path, "status", "--json", "--as-of", "2025-02-01")
        return json.loads(result.output)["goals"][0]["targets"][0]["current"]

    assert current() == 20  # the definitions come from the cache from here on
    shard.write_text(HEADER_LINE + "2025-01-02,mrr,20,\n2025-01-03,mrr,30,\n")
    assert current() == 30
    (tmp_path / "goals" / "log.d" / "cy.csv").write_text(HEADER_LINE + "2025-01-04,mrr,40,\n")
    assert current() == 40
    shard.unlink()
    (tmp_path / "goals" / "log.d" / "cy.csv").unlink()
    assert current() == 10


# --- pull requests: parallel branches merged without the union driver ---------------------------


def clone(remote: Path, where: Path, name: str) -> Path:
    git(where.parent, "clone", "-q", str(remote), where.name)
    git(where, "config", "user.name", name)
    git(where, "config", "user.email", f"{name.lower()}@example.com")
    git(where, "config", "commit.gpgsign", "false")
    return where


def hosted(root: Path) -> Path:
    """A clone that merges as a hosted merge button does: merge=union is not applied (the
    repository's own info/attributes, which win over .gitattributes, ask for a text merge)."""
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "attributes").write_text("* merge=text\n")
    return root


def team_remote(tmp_path: Path, cli: CliRunner, team: bool = True) -> Path:
    """A bare remote holding a ledger made by `init --team` (or a plain `init`)."""
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    env = {**IDENTITY, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    made = cli.invoke(app, ["init", *(["--team"] if team else []), str(seed)], env=env)
    assert made.exit_code == 0, made.output
    write_ledger(seed, GOALS)
    git(seed, "branch", "-M", "main")
    git(seed, "commit", "-q", "-am", "our goals")
    git(seed, "remote", "add", "origin", str(bare))
    git(seed, "push", "-q", "-u", "origin", "main")
    return bare


def open_pull_request(cli: CliRunner, root: Path, branch: str, *values: tuple[str, str]) -> None:
    git(root, "switch", "-q", "-c", branch)
    for day, value in values:
        logged = invoke(cli, root, "log", "mrr", value, "--date", day)
        assert logged.exit_code == 0, logged.output
    git(root, "push", "-q", "origin", branch)


def test_two_pull_requests_that_log_values_merge_without_conflict(
    cli: CliRunner, tmp_path: Path
) -> None:
    remote = team_remote(tmp_path, cli)
    ada, bo = (clone(remote, tmp_path / name.lower(), name) for name in ("Ada", "Bo"))
    open_pull_request(cli, ada, "ada-values", ("2025-01-01", "10"), ("2025-01-03", "30"))
    open_pull_request(cli, bo, "bo-values", ("2025-01-02", "20"))
    button = hosted(clone(remote, tmp_path / "button", "Button"))
    git(button, "fetch", "-q", "origin")
    git(button, "merge", "-q", "--no-edit", "origin/ada-values")
    git(button, "merge", "-q", "--no-edit", "origin/bo-values")  # raises on a conflict
    git(button, "push", "-q", "origin", "main")
    assert sorted(p.name for p in (button / "goals" / "log.d").iterdir()) == [
        ".gitkeep",
        "ada-example.com.csv",
        "bo-example.com.csv",
    ]
    assert invoke(cli, button, "check").exit_code == 0

    status = invoke(cli, button, "status", "--json", "--as-of", "2025-02-01")
    assert json.loads(status.output)["goals"][0]["targets"][0]["current"] == 30
    at_rev = invoke(cli, button, "status", "--rev", "HEAD^", "--json", "--as-of", "2025-02-01")
    assert at_rev.exit_code == 0, at_rev.output  # main with only ada's pull request merged
    assert json.loads(at_rev.output)["goals"][0]["targets"][0]["current"] == 30

    shown = json.loads(
        invoke(cli, button, "show", "grow", "--json", "--as-of", "2025-02-01").output
    )
    values = [(v["value"], v["path"]) for v in shown["targets"][0]["recent"]]
    assert values == [
        (10, "goals/log.d/ada-example.com.csv"),
        (20, "goals/log.d/bo-example.com.csv"),
        (30, "goals/log.d/ada-example.com.csv"),
    ]

    history = json.loads(invoke(cli, button, "history", "mrr", "--json").output)
    who = [(o["value"], o["author"], o["path"], o["line"]) for o in history["observations"]]
    assert who == [
        (10, "Ada", "goals/log.d/ada-example.com.csv", 2),
        (20, "Bo", "goals/log.d/bo-example.com.csv", 2),
        (30, "Ada", "goals/log.d/ada-example.com.csv", 3),
    ]
    diff = invoke(cli, button, "diff", "HEAD^", "HEAD", "--json", "--as-of", "2025-02-01")
    assert diff.exit_code == 0, diff.output
    (change,) = json.loads(diff.output)["observations"]  # bo's row is the difference
    assert (change["metric"], change["added"], change["removed"]) == (
        "mrr",
        [{"date": "2025-01-02", "value": 20, "note": None}],
        [],
    )


def test_without_shards_the_same_merge_conflicts(cli: CliRunner, tmp_path: Path) -> None:
    """The control: the simulated hosted merge really ignores merge=union."""
    remote = team_remote(tmp_path, cli, team=False)
    ada, bo = (clone(remote, tmp_path / name.lower(), name) for name in ("Ada", "Bo"))
    open_pull_request(cli, ada, "ada-values", ("2025-01-01", "10"))
    open_pull_request(cli, bo, "bo-values", ("2025-01-02", "20"))
    button = hosted(clone(remote, tmp_path / "button", "Button"))
    git(button, "fetch", "-q", "origin")
    git(button, "merge", "-q", "--no-edit", "origin/ada-values")
    with pytest.raises(subprocess.CalledProcessError) as failed:
        git(button, "merge", "-q", "--no-edit", "origin/bo-values")
    assert "goals/log.csv" in failed.value.stdout + failed.value.stderr


def test_init_team_writes_the_setting_the_folder_and_the_attributes(
    cli: CliRunner, tmp_path: Path
) -> None:
    env = {**IDENTITY, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    target = tmp_path / "company"
    result = cli.invoke(app, ["init", "--team", str(target)], env=env)
    assert result.exit_code == 0, result.output
    assert "journal: log.d/{user}.csv" in (target / "smartgoals.yaml").read_text()
    attributes = (target / ".gitattributes").read_text()
    assert "goals/log.d/*.csv merge=union\n" in attributes
    tree = git(target, "ls-tree", "-r", "--name-only", "HEAD").split()
    assert "goals/log.d/.gitkeep" in tree
    assert git(target, "check-attr", "merge", "--", "goals/log.d/x.csv").strip().endswith("union")
    assert invoke(cli, target, "check").exit_code == 0
    git(target, "config", "user.email", "ada@example.com")
    git(target, "config", "user.name", "Ada")
    logged = invoke(cli, target, "log", "mrr", "5", "--date", "2025-01-01")
    assert logged.exit_code == 0, logged.output
    assert (target / "goals" / "log.d" / "ada-example.com.csv").is_file()


def test_sync_brings_every_shard_in(cli: CliRunner, tmp_path: Path) -> None:
    remote = team_remote(tmp_path, cli)
    clones = [clone(remote, tmp_path / name.lower(), name) for name in ("Ada", "Bo", "Cy")]
    for day, root in enumerate(clones, start=1):
        logged = invoke(cli, root, "log", "mrr", str(day * 10), "--date", f"2025-01-0{day}")
        assert logged.exit_code == 0, logged.output
    for root in clones:
        result = invoke(cli, root, "sync")
        assert result.exit_code == 0, result.output
    for root in clones:
        assert invoke(cli, root, "sync").exit_code == 0
        assert load_ledger(root).series["mrr"].values == [10, 20, 30]
        assert git(root, "status", "--porcelain") == ""


def test_a_dated_shard_is_seen_at_its_revision_only(cli: CliRunner, repo: Path) -> None:
    team_ledger(repo)
    assert invoke(cli, repo, "log", "mrr", "5", "--date", "2025-01-01").exit_code == 0
    git(repo, "tag", "one")
    assert invoke(cli, repo, "log", "mrr", "7", "--date", "2025-01-02").exit_code == 0
    as_of = (dt.date(2025, 2, 1)).isoformat()
    before = invoke(cli, repo, "status", "--rev", "one", "--json", "--as-of", as_of)
    assert json.loads(before.output)["goals"][0]["targets"][0]["current"] == 5
    diff = json.loads(invoke(cli, repo, "diff", "one", "--json", "--as-of", as_of).output)
    assert [o["added"] for o in diff["observations"]] == [
        [{"date": "2025-01-02", "value": 7, "note": None}]
    ]  # the working tree's shard against the tag's
