"""Signed history, with throwaway SSH signing keys made here: `history` shows each row's
signature as git verifies it, and `check --require-signed RANGE` fails on journal commits that
are unsigned, badly signed, or signed by a key not in the allowed signers."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD}
goals:
  - id: grow
    title: Grow revenue
    due: 2026-12-31
    targets:
      - {metric: mrr, target: 10000}
"""


def _key(where: Path, name: str) -> Path:
    key = where / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)])
    return key


def _append(repo: Path, row: str) -> None:
    with (repo / "goals" / "log.csv").open("a") as out:
        out.write(row + "\n")


@pytest.fixture
def signed_repo(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Four journal commits: signed by a trusted key, unsigned, signed by a stranger's key,
    and one whose signed content was altered afterwards (a bad signature)."""
    if subprocess.run(["ssh-keygen", "-?"], capture_output=True).returncode == 127:
        pytest.skip("ssh-keygen is not installed")
    keys = tmp_path_factory.mktemp("keys")
    ada, eve = _key(keys, "ada"), _key(keys, "eve")
    allowed = keys / "allowed_signers"
    allowed.write_text(f"ada@example.com {(keys / 'ada.pub').read_text()}")
    git(repo, "config", "gpg.format", "ssh")
    git(repo, "config", "user.signingkey", str(ada))
    git(repo, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    write_ledger(repo, GOALS, "date,metric,value,note\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    shas = {"base": git(repo, "rev-parse", "HEAD").strip()}
    for name, row, flags in (
        ("good", "2026-01-31,mrr,1000,", ["-S"]),
        ("unsigned", "2026-02-28,mrr,2000,", ["--no-gpg-sign"]),
        ("stranger", "2026-03-31,mrr,3000,", ["-S", "-c", f"user.signingkey={eve}"]),
    ):
        _append(repo, row)
        git(repo, "add", ".")
        sign = [f for f in flags if f in ("-S", "--no-gpg-sign")]
        config = [f for f in flags if f not in sign]
        git(repo, *config, "commit", "-q", *sign, "-m", f"log: {name}")
        shas[name] = git(repo, "rev-parse", "HEAD").strip()
    # a bad signature: the trusted commit's object with its message changed, signature kept
    _append(repo, "2026-04-30,mrr,4000,")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-S", "-m", "log: honest")
    raw = git(repo, "cat-file", "commit", "HEAD").replace("log: honest", "log: forged")
    forged = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin"],
        cwd=repo,
        input=raw,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "reset", "-q", "--soft", forged)
    shas["bad"] = forged
    return shas


def test_git_reports_what_the_test_means(repo: Path, signed_repo: dict[str, str]) -> None:
    letters = git(repo, "log", "--format=%G? %s").split("\n")
    assert letters[:4] == ["B log: forged", "U log: stranger", "N log: unsigned", "G log: good"]


def test_history_shows_each_row_s_signature(
    repo: Path, cli: CliRunner, signed_repo: dict[str, str]
) -> None:
    result = invoke(cli, repo, "history", "mrr", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["observations"]
    assert [r["signature"] for r in rows] == ["good", "none", "unknown key", "bad"]
    text = invoke(cli, repo, "history", "mrr").stdout
    assert re.search(r"2026-01-31 .* good", text)
    assert re.search(r"2026-03-31 .* unknown key", text)
    assert "signed" in text.splitlines()[1]


def test_require_signed_fails_on_each_journal_commit_not_signed_well(
    repo: Path, cli: CliRunner, signed_repo: dict[str, str]
) -> None:
    spec = f"{signed_repo['base']}..HEAD"
    result = invoke(cli, repo, "check", "--require-signed", spec)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"error: {signed_repo['unsigned'][:10]} by Ada Founder <ada@example.com> changed the "
        "journal, not signed"
    )
    assert lines[1].endswith("changed the journal, signature: unknown key")
    assert lines[2].endswith("changed the journal, signature: bad")
    assert lines[3] == f"3 of 4 journal commit(s) not signed by a trusted key in {spec}"
    data = json.loads(invoke(cli, repo, "check", "--require-signed", spec, "--json").stdout)
    assert [c["signature"] for c in data["commits"]] == ["good", "none", "unknown key", "bad"]
    github = invoke(cli, repo, "check", "--require-signed", spec, "--format", "github")
    assert github.stdout.startswith("::error title=smartgoals check --require-signed::")


def test_require_signed_passes_a_good_range_and_ignores_other_files(
    repo: Path, cli: CliRunner, signed_repo: dict[str, str]
) -> None:
    spec = f"{signed_repo['base']}..{signed_repo['good']}"
    (repo / "README.md").write_text("not the journal\n")
    git(repo, "add", "README.md")
    git(repo, "commit", "-q", "--no-gpg-sign", "-m", "docs")
    result = invoke(cli, repo, "check", "--require-signed", spec)
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: 1 journal commit(s), each signed by a trusted key in {spec}\n"
    only_docs = invoke(cli, repo, "check", "--require-signed", "HEAD~1..HEAD")
    assert only_docs.exit_code == 0, only_docs.output
