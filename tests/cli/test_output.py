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
