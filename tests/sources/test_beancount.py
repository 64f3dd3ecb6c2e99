"""sources.beancount: a SELECT over the Beancount ledger, and nothing written beside it."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.conftest import git, invoke

BOOKS = """\
    2025-01-01 open Assets:Bank USD
    2025-01-01 open Income:Sales USD
    2025-01-05 * "Sale"
      Assets:Bank   100 USD
      Income:Sales
    """


def make_ledger(repo: Path, query: str) -> Path:
    (repo / "goals").mkdir()
    (repo / "books").mkdir()
    (repo / "books" / "main.beancount").write_text(textwrap.dedent(BOOKS), encoding="utf-8")
    (repo / "goals" / "goals.yaml").write_text(
        "metrics:\n  sales:\n    name: Sales\n    unit: USD\n    source:\n"
        f"      beancount: {query!r}\n      file: books/main.beancount\n",
        encoding="utf-8",
    )
    (repo / "goals" / "log.csv").write_text("date,metric,value,note\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def files(root: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.parts
    }


def test_the_loader_leaves_its_pickle_cache_alone(repo: Path, cli) -> None:
    pytest.importorskip("beanquery")
    root = make_ledger(repo, "SELECT date, number WHERE account ~ 'Income:Sales'")
    stale = root / "books" / ".main.beancount.picklecache"
    stale.write_bytes(b"not a pickle")  # the cached loader would remove or rewrite it
    before = files(root)
    result = invoke(cli, root, "pull", "--allow-commands", "--dry-run")
    assert result.exit_code == 0, result.output
    assert files(root) == before


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("CREATE TABLE x USING 'csv:/etc/hostname'", "query refused: CREATE TABLE"),
        ("PRINT", "query refused: PRINT"),
    ],
)
def test_only_reading_statements_run(repo: Path, cli, query: str, refusal: str) -> None:
    pytest.importorskip("beanquery")
    root = make_ledger(repo, query)
    result = invoke(cli, root, "pull", "--allow-commands")
    assert result.exit_code == 1
    assert f"metrics.sales.source: beancount: {refusal}; a source runs one SELECT" in (
        result.stderr
    )
