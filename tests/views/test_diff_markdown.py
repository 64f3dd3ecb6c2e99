"""`diff --format md` and `--format github`: a reviewer's summary of a plan change on a real
git history, and eased targets without a reason as annotations on their lines."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
  users: {name: Users}
goals:
  - id: grow
    title: Grow revenue
    start: 2026-01-01
    due: 2026-12-31
    targets:
      - metric: mrr
        target: 10000
        baseline: 0
      - {metric: users, target: 500}
"""
JOURNAL = """\
date,metric,value,note
2026-01-31,mrr,1000,
2026-02-28,mrr,2000,
2026-03-31,mrr,3000,
2026-03-31,users,100,
"""


def _history(repo: Path) -> None:
    write_ledger(repo, GOALS, JOURNAL)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    git(repo, "tag", "base")


def _commit(repo: Path, message: str) -> None:
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message)


def test_md_summary_shows_eased_without_reason_moved_verdicts_and_journal(
    repo: Path, cli: CliRunner
) -> None:
    _history(repo)
    eased = GOALS.replace("target: 10000", "target: 20000").replace(
        "due: 2026-12-31", "due: 2027-06-30"
    )
    (repo / "goals" / "goals.yaml").write_text(eased)
    with (repo / "goals" / "log.csv").open("a") as out:
        out.write("2026-04-30,mrr,3500,\n2026-03-31,users,110,correction: 100 -> 110; typo\n")
    _commit(repo, "plan: a later, bigger mrr target")
    result = invoke(cli, repo, "diff", "base", "HEAD", "--as-of", "2026-05-01", "--format", "md")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("<!-- smartgoals diff -->\n## Goal changes: base (")
    # moved the due out and raised the value: mixed, shown as changed; users' due moved: eased
    assert "| grow | users | eased |" in text
    assert "**no reason**" in text
    assert "target(s) eased without a reason" in text
    assert "goals/goals.yaml:" in text  # where the eased target is
    assert "### Verdicts and forecasts at 2026-05-01" in text
    assert "- `grow` mrr:" in text
    assert "| mrr | 1 | 0 | 0 | $3,000 -> $3,500 |" in text
    assert "| users | 0 | 1 | 0 |" in text  # a correction, not an append
    assert max(len(line) for line in text.splitlines()) < 200


def test_md_reason_and_tightened(repo: Path, cli: CliRunner) -> None:
    _history(repo)
    changed = GOALS.replace(
        "        target: 10000\n", "        target: 8000\n        reason: churn of two customers\n"
    ).replace("target: 500}", "target: 600}")
    (repo / "goals" / "goals.yaml").write_text(changed)
    _commit(repo, "plan")
    result = invoke(cli, repo, "diff", "base", "HEAD", "--as-of", "2026-04-01", "--format", "md")
    assert result.exit_code == 0, result.output
    assert (
        "| grow | mrr | eased | >= $10,000 by 2026-12-31 | >= $8,000 by 2026-12-31 | churn of two customers |"
        in result.stdout
    )
    assert "| grow | users | tightened |" in result.stdout
    assert "no reason" not in result.stdout


def test_verdict_and_eta_move_in_the_issue_s_words(repo: Path, cli: CliRunner) -> None:
    _history(repo)
    harder = GOALS.replace("target: 10000", "target: 60000\n        reason: investors")
    (repo / "goals" / "goals.yaml").write_text(harder)
    _commit(repo, "plan: aim higher")
    data = invoke(cli, repo, "diff", "base", "HEAD", "--as-of", "2026-04-01", "--json").stdout
    moved = json.loads(data)["forecasts"]
    (mrr,) = [m for m in moved if m["metric"] == "mrr"]
    assert (mrr["old"], mrr["new"]) == ("on_track", "off_track")
    assert mrr["old_eta"] < mrr["new_eta"]
    text = invoke(
        cli, repo, "diff", "base", "HEAD", "--as-of", "2026-04-01", "--format", "md"
    ).stdout
    eta = f"ETA {mrr['old_eta'][:7]} -> {mrr['new_eta'][:7]}"
    assert f"- `grow` mrr: on track -> off track; {eta}\n" in text


def test_github_format_annotates_the_eased_line(repo: Path, cli: CliRunner) -> None:
    _history(repo)
    (repo / "goals" / "goals.yaml").write_text(GOALS.replace("target: 10000", "target: 5000"))
    _commit(repo, "ease")
    result = invoke(cli, repo, "diff", "base", "HEAD", "--format", "github", "--require-reason")
    assert result.exit_code == 1, result.output
    first = result.stdout.splitlines()[0]
    line = 1 + GOALS.splitlines().index("      - metric: mrr")
    assert first.startswith(f"::error file=goals/goals.yaml,line={line},")
    assert first.endswith(
        ",title=smartgoals diff::grow / mrr was eased without a reason (add reason: to the "
        "target or the rung)"
    )
    warned = invoke(cli, repo, "diff", "base", "HEAD", "--format", "github")
    assert warned.exit_code == 0 and warned.stdout.startswith("::warning file=goals/goals.yaml")


def test_md_of_no_change(repo: Path, cli: CliRunner) -> None:
    _history(repo)
    result = invoke(cli, repo, "diff", "HEAD", "HEAD", "--format", "md")
    assert result.exit_code == 0, result.output
    assert "No differences." in result.stdout
    assert textwrap.dedent(result.stdout).count("###") == 0
