"""History through git: status --rev, a semantic diff, and a metric's history, on real histories
with several authors, pinned dates, an eased target, a renamed goal and a union merge."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
  users: {name: Users}
goals:
  - id: grow
    title: Grow revenue
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 10000, baseline: 0}
      - {metric: users, target: 500}
"""
HEADER = "date,metric,value,note\n"
ADA = ("Ada Founder", "ada@example.com")
BOB = ("Bob Builder", "bob@example.com")


def commit(root: Path, who: tuple[str, str], when: str, message: str, *paths: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+00:00",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }

    def run(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
        ).stdout

    run("add", "--", *(paths or (".",)))
    run("commit", "-q", "-m", message)
    return run("rev-parse", "HEAD").strip()


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "X",
        "GIT_AUTHOR_EMAIL": "x@example.com",
        "GIT_COMMITTER_NAME": "X",
        "GIT_COMMITTER_EMAIL": "x@example.com",
    }
    return subprocess.run(
        ["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True
    ).stdout


def append(root: Path, row: str) -> None:
    with (root / "goals" / "log.csv").open("a") as out:
        out.write(row + "\n")


@pytest.fixture
def story(tmp_path: Path) -> dict[str, str]:
    """A ledger's life: start, a value, an eased target, a renamed goal, two branches merged."""
    root = tmp_path
    git(root, "init", "-q", "-b", "main")
    (root / ".gitattributes").write_text("goals/log.csv merge=union\n")
    write_ledger(root, GOALS, HEADER + "2026-01-10,mrr,1000,first invoice\n2026-01-10,users,50,\n")
    shas = {"start": commit(root, ADA, "2026-01-15", "Start the ledger")}
    append(root, "2026-02-28,mrr,3000,Stripe")
    shas["value"] = commit(root, BOB, "2026-03-01", "log: mrr = 3000 USD (2026-02-28)")
    (root / "goals" / "goals.yaml").write_text(GOALS.replace("target: 10000", "target: 8000"))
    shas["eased"] = commit(root, ADA, "2026-03-10", "Ease the revenue target")
    (root / "goals" / "goals.yaml").write_text(
        GOALS.replace("target: 10000", "target: 8000").replace("id: grow", "id: expand")
    )
    shas["renamed"] = commit(root, BOB, "2026-03-20", "Rename grow to expand")
    git(root, "checkout", "-q", "-b", "side")
    append(root, "2026-04-30,users,120,from side")
    shas["side"] = commit(root, BOB, "2026-05-01", "log users on a branch")
    git(root, "checkout", "-q", "main")
    append(root, "2026-04-30,mrr,5000,from main")
    shas["main"] = commit(root, ADA, "2026-05-02", "log mrr on main")
    env_merge = ["-c", "user.name=Ada Founder", "-c", "user.email=ada@example.com"]
    git(root, *env_merge, "merge", "-q", "--no-edit", "side")
    shas["merge"] = git(root, "rev-parse", "HEAD").strip()
    append(root, "2026-05-15,mrr,5500,not committed")
    return shas


def test_merge_kept_both_appends(tmp_path: Path, story: dict[str, str]) -> None:
    text = (tmp_path / "goals" / "log.csv").read_text()
    assert "from side" in text and "from main" in text  # the union driver merged both rows


def test_status_rev_reads_the_past_without_touching_anything(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    before_status = git(tmp_path, "status", "--porcelain")
    before_index = (tmp_path / ".git" / "index").read_bytes()
    before_head = git(tmp_path, "rev-parse", "HEAD")
    result = invoke(cli, tmp_path, "status", "--rev", story["value"], "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-03-01"  # the commit's date
    assert data["rev"]["commit"] == story["value"]
    assert data["rev"]["author"] == "Bob Builder"
    goal = data["goals"][0]
    assert goal["id"] == "grow"
    mrr = goal["targets"][0]
    assert (mrr["current"], mrr["target"]) == (3000, 10000)  # before it was eased
    assert git(tmp_path, "status", "--porcelain") == before_status
    assert (tmp_path / ".git" / "index").read_bytes() == before_index
    assert git(tmp_path, "rev-parse", "HEAD") == before_head
    later = json.loads(
        invoke(cli, tmp_path, "status", "--rev", "HEAD", "--as-of", "2026-06-01", "--json").stdout
    )
    assert later["goals"][0]["id"] == "expand"
    assert later["goals"][0]["targets"][0]["current"] == 5000  # the uncommitted 5500 is not there
    text = invoke(cli, tmp_path, "status", "--rev", story["start"]).stdout
    assert text.startswith(
        f"{story['start']} = {story['start'][:10]} by Ada Founder on 2026-01-15: Start the ledger"
    )


def test_diff_flags_an_eased_target_and_status_changes(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    result = invoke(
        cli, tmp_path, "diff", story["value"], story["eased"], "--as-of", "2026-03-01", "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["changed"] is True
    (change,) = data["targets"]
    assert (change["goal"], change["metric"], change["change"], change["eased"]) == (
        "grow",
        "mrr",
        "changed",
        True,
    )
    assert change["old"][0]["text"] == ">= $10,000 by 2026-12-31"
    assert change["new"][0]["text"] == ">= $8,000 by 2026-12-31"
    assert data["statuses"] == []  # on track before and after: only changes are listed
    text = invoke(
        cli, tmp_path, "diff", story["value"], story["eased"], "--as-of", "2026-03-01"
    ).stdout
    assert "grow  mrr: >= $10,000 by 2026-12-31 -> >= $8,000 by 2026-12-31  (eased)" in text


def test_diff_sees_a_renamed_goal(tmp_path: Path, cli: CliRunner, story: dict[str, str]) -> None:
    data = json.loads(
        invoke(cli, tmp_path, "diff", story["eased"], story["renamed"], "--json").stdout
    )
    assert data["goals"] == {
        "added": [],
        "removed": [],
        "renamed": [{"from": "grow", "to": "expand"}],
    }
    assert data["targets"] == []


def test_diff_of_the_working_tree_shows_new_observations(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    data = json.loads(invoke(cli, tmp_path, "diff", "--as-of", "2026-06-01", "--json").stdout)
    assert data["a"]["rev"] == "HEAD" and data["b"]["label"] == "working tree"
    (obs,) = data["observations"]
    assert obs["metric"] == "mrr"
    assert obs["added"] == [{"date": "2026-05-15", "value": 5500, "note": "not committed"}]
    assert obs["current"] == {"old": 5000, "new": 5500}


def test_diff_lists_status_transitions(tmp_path: Path, cli: CliRunner) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    write_ledger(tmp_path, GOALS, HEADER + "2026-06-30,mrr,100,\n2026-06-30,users,600,\n")
    commit(tmp_path, ADA, "2026-07-01", "behind")
    append(tmp_path, "2026-07-02,mrr,9000,big deal")
    data = json.loads(invoke(cli, tmp_path, "diff", "--as-of", "2026-07-03", "--json").stdout)
    assert {(s["goal"], s["target"], s["old"], s["new"]) for s in data["statuses"]} == {
        ("grow", None, "off_track", "on_track"),
        ("grow", "mrr", "off_track", "on_track"),
    }
    text = invoke(cli, tmp_path, "diff", "--as-of", "2026-07-03").stdout
    assert "grow / mrr  off_track -> on_track" in text


def test_diff_exit_code(tmp_path: Path, cli: CliRunner, story: dict[str, str]) -> None:
    assert invoke(cli, tmp_path, "diff", "--exit-code").exit_code == 1  # an uncommitted row
    same = invoke(cli, tmp_path, "diff", "HEAD", "HEAD", "--exit-code")
    assert same.exit_code == 0
    assert same.stdout.rstrip().endswith("No differences.")
    everything = json.loads(invoke(cli, tmp_path, "diff", "HEAD", "HEAD", "--all", "--json").stdout)
    assert everything["changed"] is False
    assert {s["old"] for s in everything["statuses"]} == {s["new"] for s in everything["statuses"]}
    assert everything["statuses"]


def test_history_names_who_recorded_each_value(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    result = invoke(cli, tmp_path, "history", "mrr", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = [
        (o["date"], o["value"], o["change"], o["author"], o["committed"])
        for o in data["observations"]
    ]
    assert rows == [
        ("2026-01-10", 1000, None, "Ada Founder", True),
        ("2026-02-28", 3000, 2000, "Bob Builder", True),
        ("2026-04-30", 5000, 2000, "Ada Founder", True),
        ("2026-05-15", 5500, 500, None, False),
    ]
    assert data["observations"][1]["commit"] == story["value"]
    assert data["observations"][1]["recorded_at"].startswith("2026-03-01T12:00:00")
    targets = [(t["commit"], t["goal"], t["change"], t["eased"]) for t in data["targets"]]
    assert targets == [
        (story["start"], "grow", "added", None),
        (story["eased"], "grow", "changed", True),
    ]
    text = invoke(cli, tmp_path, "history", "mrr", "--since", "2026-04").stdout
    assert "2026-01-10" not in text
    assert "not committed yet" in text
    assert "Bob Builder" not in text.split("Target history")[0]
    assert "(eased)" in text


def test_show_has_the_goals_target_history(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    data = json.loads(invoke(cli, tmp_path, "show", "expand", "--json").stdout)
    changes = [(h["commit"], h["metric"], h["change"]) for h in data["history"]]
    assert (story["eased"], "mrr", "changed") in changes
    assert data["history_missing"] is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("status", "--rev", "no-such-rev"), "error: unknown revision 'no-such-rev'"),
        (("diff", "no-such-rev"), "error: unknown revision 'no-such-rev'"),
        (("status", "--rev", "HEAD~100"), "error: unknown revision 'HEAD~100'"),
    ],
)
def test_bad_revisions(
    tmp_path: Path, cli: CliRunner, story: dict[str, str], args: tuple[str, ...], message: str
) -> None:
    result = invoke(cli, tmp_path, *args)
    assert result.exit_code == 1  # invalid input, as the exit-code table says
    assert result.stderr.startswith(message)


def test_a_revision_before_the_ledger_existed(tmp_path: Path, cli: CliRunner) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "README").write_text("x\n")
    first = commit(tmp_path, ADA, "2026-01-01", "readme", "README")
    write_ledger(tmp_path, GOALS, HEADER)
    commit(tmp_path, ADA, "2026-01-02", "ledger")
    result = invoke(cli, tmp_path, "status", "--rev", first)
    assert result.exit_code == 3
    assert "has no ledger in the top of the repository" in result.stderr


def test_a_repository_without_commits(tmp_path: Path, cli: CliRunner) -> None:
    git(tmp_path, "init", "-q")
    write_ledger(tmp_path, GOALS, HEADER + "2026-01-10,mrr,1000,\n")
    result = invoke(cli, tmp_path, "diff")
    assert result.exit_code == 3
    assert result.stderr == "error: the repository has no commits yet\n"
    data = json.loads(invoke(cli, tmp_path, "history", "mrr", "--json").stdout)
    assert data["observations"][0]["committed"] is False


def test_outside_git_history_still_lists_observations(tmp_path: Path, cli: CliRunner) -> None:
    write_ledger(tmp_path, GOALS, HEADER + "2026-01-10,mrr,1000,\n")
    result = invoke(cli, tmp_path, "history", "mrr")
    assert result.exit_code == 0
    assert "2026-01-10  $1,000" in result.stdout
    assert "Authors and target history are missing" in result.stdout
    assert "is not inside a git repository" in result.stdout
    rev = invoke(cli, tmp_path, "status", "--rev", "HEAD")
    assert rev.exit_code == 3
    assert "is not inside a git repository" in rev.stderr


def test_a_ledger_in_a_subfolder_of_the_repository(tmp_path: Path, cli: CliRunner) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    ledger = tmp_path / "company" / "ledger"
    write_ledger(ledger, GOALS, HEADER + "2026-01-10,mrr,1000,\n")
    first = commit(tmp_path, ADA, "2026-01-11", "ledger")
    data = json.loads(invoke(cli, ledger, "status", "--rev", first, "--json").stdout)
    assert data["goals"][0]["targets"][0]["current"] == 1000
    history = json.loads(invoke(cli, ledger, "history", "mrr", "--json").stdout)
    assert history["observations"][0]["author"] == "Ada Founder"


def test_a_shallow_clone_names_the_fix(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    clone = tmp_path.parent / (tmp_path.name + "-shallow")
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{tmp_path}", str(clone))
    result = invoke(cli, clone, "status", "--rev", story["start"])
    assert result.exit_code == 3
    assert "git fetch --unshallow" in result.stderr


def test_the_append_shortcut_agrees_with_git_blame(tmp_path: Path) -> None:
    from smartgoals.vcs.blame import appended_by, blame
    from smartgoals.vcs.repo import open_history

    git(tmp_path, "init", "-q", "-b", "main")
    write_ledger(tmp_path, GOALS, HEADER + "2026-01-10,mrr,1000,\n")
    commit(tmp_path, ADA, "2026-01-11", "start")
    for day, who in (("12", BOB), ("13", ADA), ("14", BOB)):
        append(tmp_path, f"2026-01-{day},mrr,{day}00,")
        commit(tmp_path, who, f"2026-01-{day}", f"log {day}")
    append(tmp_path, "2026-01-15,mrr,1500,")
    repo, prefix = open_history(tmp_path)
    assert prefix == ""
    current = (tmp_path / "goals" / "log.csv").read_bytes()
    fast = appended_by(repo, "goals/log.csv", current)
    slow = blame(repo, "goals/log.csv")
    assert fast is not None
    assert {n: b.commit.sha if b.commit else None for n, b in fast.items()} == {
        n: b.commit.sha if b.commit else None for n, b in slow.items()
    }
    # an edited committed line: the shortcut steps aside and blame answers
    (tmp_path / "goals" / "log.csv").write_bytes(current.replace(b"1200", b"1201"))
    assert appended_by(repo, "goals/log.csv", (tmp_path / "goals" / "log.csv").read_bytes()) is None


def test_history_after_a_merge_uses_blame(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    data = json.loads(invoke(cli, tmp_path, "history", "users", "--json").stdout)
    side = next(o for o in data["observations"] if o["note"] == "from side")
    assert (side["author"], side["commit"]) == ("Bob Builder", story["side"])  # not the merge


def test_the_three_commands_on_the_bundled_demos_own_history(cli: CliRunner) -> None:
    from tests.conftest import REPO_ROOT

    status = invoke(cli, REPO_ROOT, "status", "--rev", "HEAD", "--json")
    assert status.exit_code in (0, 1), status.output
    assert json.loads(status.stdout)["rev"]["rev"] == "HEAD"
    changes = invoke(cli, REPO_ROOT, "diff", "HEAD", "HEAD", "--exit-code")
    assert changes.exit_code == 0, changes.output
    history = json.loads(invoke(cli, REPO_ROOT, "history", "mrr", "--json").stdout)
    assert history["observations"][0]["date"] == "2025-07-31"
    assert history["git"] is True
    assert any(t["goal"] == "lightning-revenue" for t in history["targets"])


def test_rev_at_a_merge_commit_and_on_a_detached_head(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    data = json.loads(
        invoke(
            cli, tmp_path, "status", "--rev", story["merge"], "--as-of", "2026-06-01", "--json"
        ).stdout
    )
    users = data["goals"][0]["targets"][1]
    assert users["current"] == 120  # the row from the merged branch
    git(tmp_path, "checkout", "-q", "--detach")
    detached = json.loads(invoke(cli, tmp_path, "status", "--rev", "HEAD~1", "--json").stdout)
    assert detached["rev"]["commit"] == story["main"]  # the merge's first parent


def test_a_goal_file_renamed_between_revisions_is_not_a_change(
    tmp_path: Path, cli: CliRunner, story: dict[str, str]
) -> None:
    git(tmp_path, "mv", "goals/goals.yaml", "goals/revenue.yaml")
    moved = commit(tmp_path, ADA, "2026-06-01", "Move the goals file", "goals")
    data = json.loads(invoke(cli, tmp_path, "diff", story["merge"], moved, "--json").stdout)
    assert data["goals"] == {"added": [], "removed": [], "renamed": []}
    assert data["targets"] == []
    (tmp_path / "goals" / "revenue.yaml").unlink()
    deleted = json.loads(invoke(cli, tmp_path, "diff", "HEAD", "--json").stdout)
    assert deleted["goals"]["removed"] == [{"id": "expand", "title": "Grow revenue"}]
