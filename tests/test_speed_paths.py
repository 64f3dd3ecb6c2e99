"""The fast paths of issue 19 give the same answers as the slow ones they replace: the status
table painted without Rich, and the settings read only when they can set the pager."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from .conftest import REPO_ROOT, write_ledger

SMARTGOALS = str(Path(sys.executable).parent / "smartgoals")
AS_OF = ("--as-of", "2026-11-22")
SGR = re.compile(r"\x1b\[([0-9;]*)m")

HOSTILE = """
metrics:
  mrr:
    name: "MRR \\e]52;c;cHduZWQ=\\a\\e[2J \\u202e"
    unit: USD
goals:
  - id: g
    title: "Title \\e[31mred\\nforged: line"
    targets:
      - {metric: mrr, target: 10}
risks:
  - {id: r, title: "Risk \\e]8;;http://x\\e\\\\link", when: "mrr < 100", actions: ["Act \\e[5m \\u202e"]}
"""


def environment(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "PAGER")
    }
    env.update({"TERM": "xterm", "SMARTGOALS_PAGER": "cat"}, **extra)
    return env


def in_terminal(args: list[str], columns: int, env: dict[str, str] | None = None) -> str:
    child = pexpect.spawn(
        SMARTGOALS,
        args,
        dimensions=(500, columns),
        env=env or environment(),
        encoding="utf-8",
        timeout=60,
    )
    output = child.read()
    child.close()
    return str(output).replace("\r\n", "\n")


def only_colour_codes(text: str) -> None:
    """Every escape in text starts a colour or resets it, and every colour is reset on its
    line."""
    assert "\x1b" not in SGR.sub("", text), repr(text)
    assert "\x07" not in text and "\x9b" not in text and "\u202e" not in text
    for line in text.splitlines():
        codes = SGR.findall(line)
        if codes:
            assert codes[-1] == "0", repr(line)


@pytest.mark.parametrize("columns", [80, 120, 200])
def test_the_painted_status_table_is_the_plain_layout_with_colour(columns: int) -> None:
    """In a colour terminal the table is drawn to the width with colour codes only, and shows
    what the plain table shows."""
    shown = in_terminal(["-C", str(REPO_ROOT), "status", *AS_OF], columns)
    only_colour_codes(shown)
    lines = SGR.sub("", shown).splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:3] == ["Goal", "/", "metric"]
    assert any(line.startswith("User Growth") for line in lines)
    assert " goals as of 2026-11-22" in " ".join(lines[-3:])
    # the same cells as the plain table: every goal id and status word is there
    plain = subprocess.run(
        [SMARTGOALS, "-C", str(REPO_ROOT), "status", *AS_OF],
        capture_output=True,
        text=True,
        env=environment(),
        check=True,
    ).stdout
    for word in ("missed", "on track", "achieved", "Triggered risks"):
        assert (word in plain) == (word in "\n".join(lines)), word


def test_hostile_user_text_is_shown_not_obeyed_in_the_painted_table(tmp_path: Path) -> None:
    write_ledger(tmp_path, HOSTILE, "date,metric,value,note\n2026-01-01,mrr,5,\n")
    args = ["-C", str(tmp_path), "status", "--as-of", "2026-02-01"]
    for shown in (
        in_terminal(args, 80),
        in_terminal(args, 200),
        subprocess.run(
            [SMARTGOALS, "--color", "always", *args],
            capture_output=True,
            text=True,
            env=environment(),
            check=False,
        ).stdout,
    ):
        only_colour_codes(shown)
        plain = SGR.sub("", shown)
        assert "\\x1b" in plain and "\\u202e" in plain
        assert "forged: line" not in plain.splitlines()
        assert "TRIGGERED" in plain


def test_a_pager_setting_is_obeyed_and_its_absence_means_the_pager(tmp_path: Path) -> None:
    """smartgoals.yaml is parsed for the pager only when it can set it; `pager: false` still
    turns the pager off, and a file without it keeps the default (the pager)."""
    write_ledger(tmp_path, HOSTILE, "date,metric,value,note\n2026-01-01,mrr,5,\n")
    marker = tmp_path / "paged"
    pager = f"cat > {marker}"
    env = environment(SMARTGOALS_PAGER=pager, LINES="3")
    args = ["-C", str(tmp_path), "status", "--as-of", "2026-02-01"]
    (tmp_path / "smartgoals.yaml").write_text("# settings\nat_risk_band: 10%\n")
    in_terminal(args, 120, env)
    assert marker.exists()
    marker.unlink()
    (tmp_path / "smartgoals.yaml").write_text("pager: false\n")
    shown = in_terminal(args, 120, env)
    assert not marker.exists() and "Title" in shown
