"""The one output path's file side: -o replaces a file whole, refuses a directory, and leaves
nothing behind when it cannot write."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.cli.output import write_file
from smartgoals.errors import InvalidInputError, JournalError
from tests.conftest import REPO_ROOT, invoke


def test_write_file_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    target.write_text("old and longer than the new text\n", encoding="utf-8")
    write_file(target, b"new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_write_file_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=f"-o: {tmp_path} is a directory"):
        write_file(tmp_path, b"x")


def test_write_file_that_cannot_write_raises_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(JournalError, match=r"cannot write .*missing/out.md"):
        write_file(tmp_path / "missing" / "out.md", b"x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("report", "--as-of", "2026-11-22", "--since", "2026-10-01", "--format", "html"), ""),
        (("report", "--as-of", "2026-11-22", "--since", "2026-10-01", "--json"), ""),
        (("calendar",), " repeating events"),
    ],
)
def test_o_writes_what_stdout_would_show(
    args: tuple[str, ...], said: str, tmp_path: Path, cli: CliRunner
) -> None:
    """-o FILE holds the bytes the command prints without it, and says so on stdout."""
    shown = invoke(cli, REPO_ROOT, *args)
    target = tmp_path / "out"
    written = invoke(cli, REPO_ROOT, *args, "-o", str(target))
    assert shown.exit_code == written.exit_code == 0, written.output
    assert target.read_bytes() == shown.stdout_bytes
    assert written.stdout.startswith(f"wrote {target}")
    assert said in written.stdout


@pytest.mark.parametrize("command", ["report", "calendar"])
def test_o_a_directory_is_refused(command: str, tmp_path: Path, cli: CliRunner) -> None:
    result = invoke(cli, REPO_ROOT, command, "-o", str(tmp_path))
    assert result.exit_code == 1
    assert f"-o: {tmp_path} is a directory" in result.output


SOURCED = """\
    metrics:
      mrr:
        name: MRR
        source: {csv: exports/mrr.csv}
      visits:
        name: Visits
        source: {csv: "exports/visits-*.csv", rules: exports/visits.rules.yaml}
      followers:
        name: Followers
        source: {json: linkedin/profile.json, path: followers}
    """


def sourced_ledger(root: Path) -> Path:
    from tests.conftest import write_ledger

    write_ledger(root, SOURCED, "date,metric,value,note\n2026-01-01,mrr,5,\n")
    (root / "smartgoals.yaml").write_text("pager: false\n", encoding="utf-8")
    (root / "goals" / "log.d").mkdir()
    (root / "goals" / "log.d" / "ada.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    (root / "goals" / "checkins.csv").write_text("date,goal,confidence,note\n", encoding="utf-8")
    for rel in ("exports/mrr.csv", "exports/visits-2026.csv", "linkedin/profile.json"):
        (root / rel).parent.mkdir(exist_ok=True)
        (root / rel).write_text("x\n", encoding="utf-8")
    (root / "importers").mkdir()
    (root / "importers" / "stripe.yaml").write_text("date: d\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["calendar", "report"])
@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("goals/log.csv", "the journal"),
        ("goals/log.d/ada.csv", "the journal"),
        ("goals/log.d/new.csv", "the journal"),  # a shard it would read, once there
        ("goals/checkins.csv", "the check-ins"),
        ("goals/goals.yaml", "a goal file"),
        ("goals/board.yml", "a goal file"),
        ("smartgoals.yaml", "the settings"),
        ("goals/../goals/log.csv", "the journal"),
        ("importers/stripe.yaml", "import rules"),
        ("exports/visits.rules.yaml", "import rules"),
        ("exports/mrr.csv", "a declared source"),
        ("exports/visits-2026.csv", "a declared source"),  # matched by the source's glob
        ("linkedin/profile.json", "a declared source"),
    ],
)
def test_o_never_replaces_a_file_the_ledger_reads(
    command: str, target: str, what: str, tmp_path: Path, cli: CliRunner
) -> None:
    root = sourced_ledger(tmp_path)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    result = invoke(cli, root, command, "-o", str(root / target))
    assert result.exit_code == 2, result.output
    assert result.output.splitlines() == [
        f"error: -o: {root / target} is {what}, a file the ledger reads; write elsewhere"
    ]
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("how", ["a link to the journal", "through a linked folder"])
def test_o_through_a_symbolic_link_is_refused_too(how: str, tmp_path: Path, cli: CliRunner) -> None:
    root = sourced_ledger(tmp_path / "ledger")
    journal = (root / "goals" / "log.csv").read_bytes()
    if how == "a link to the journal":
        target = tmp_path / "cal.ics"
        target.symlink_to(root / "goals" / "log.csv")
    else:
        (tmp_path / "g").symlink_to(root / "goals")
        target = tmp_path / "g" / "log.csv"
    result = invoke(cli, root, "calendar", "-o", str(target))
    assert result.exit_code == 2, result.output
    assert "is the journal, a file the ledger reads" in result.output
    assert (root / "goals" / "log.csv").read_bytes() == journal


def test_o_beside_the_ledgers_files_is_written(tmp_path: Path, cli: CliRunner) -> None:
    root = sourced_ledger(tmp_path)
    for target in ("goals.ics", "goals/notes.md", "exports/report.html"):
        result = invoke(cli, root, "calendar", "-o", str(root / target))
        assert result.exit_code == 0, result.output
        assert (root / target).read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")
