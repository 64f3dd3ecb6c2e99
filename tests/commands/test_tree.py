"""commands/tree.py and `smartgoals tree` / `status --tree`, on a ledger on disk."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from smartgoals.cli.app import app
from smartgoals.commands.tree import tree
from tests.conftest import write_ledger
from tests.engine.test_alignment import ROWS, TREE


def test_the_view_of_a_ledger(tmp_path: Path) -> None:
    write_ledger(tmp_path, TREE, "date,metric,value,note\n" + ROWS)
    found = tree(tmp_path, dt.date(2026, 7, 1))
    assert [root.goal.goal.id for root in found.roots] == ["vision", "lone"]
    assert found.exit_code == 0


def test_status_tree_is_the_tree_command(tmp_path: Path) -> None:
    write_ledger(tmp_path, TREE, "date,metric,value,note\n" + ROWS)
    runner = CliRunner()
    args = ["-C", str(tmp_path), "--no-pager"]
    one = runner.invoke(app, [*args, "tree", "--as-of", "2026-07-01", "--json"])
    two = runner.invoke(app, [*args, "status", "--tree", "--as-of", "2026-07-01", "--json"])
    assert one.exit_code == 0, one.output
    assert two.exit_code == 0, two.output
    assert json.loads(one.output) == json.loads(two.output)
    assert json.loads(one.output)["tree"][0]["score"] == 0.45
    md = runner.invoke(app, [*args, "tree", "--as-of", "2026-07-01", "--format", "md"])
    assert md.exit_code == 0, md.output
    assert md.output.startswith("```mermaid")
