"""Hostile files given to `import` and `pull`: one line naming the file and the rule, never an
internal error (exit 70), nothing recorded. Runs the real CLI on real files and git."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import git, write_ledger
from tests.system.test_hardening import BASE, HEADER, smartgoals

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
RULES = "date: date\nvalues:\n  - metric: mrr\n    value: amount\n"


def _ledger(root: Path, goals: str = BASE) -> Path:
    write_ledger(root, goals, HEADER, name="base.yaml")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "start")
    return root


def _one_line_refusal(root: Path, *args: str) -> str:
    """The one line of a refused run, after checking that it wrote nothing."""
    head = git(root, "rev-parse", "HEAD")
    code, out, err, _ = smartgoals(root, *args)
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code == 1, out + err
    assert git(root, "rev-parse", "HEAD") == head
    assert (root / "goals" / "log.csv").read_text() == HEADER
    problems = [line for line in err.splitlines() if not line.startswith("nothing was recorded")]
    assert len(problems) == 1, err
    return problems[0]


def test_import_of_json_nested_100000_deep_names_the_file_and_the_limit(tmp_path: Path) -> None:
    root = _ledger(tmp_path)
    shutil.copy(CORPUS / "import" / "j01-deep-nesting.json", root / "deep.json")
    (root / "deep.json.rules.yaml").write_text(RULES)
    line = _one_line_refusal(root, "import", str(root / "deep.json"))
    assert line == "deep.json:1: nested deeper than 64 levels (the limit for JSON files)"


def test_import_of_json_just_over_the_limit_is_refused_the_same_way(tmp_path: Path) -> None:
    root = _ledger(tmp_path)
    shutil.copy(CORPUS / "import" / "j02-deep-object.json", root / "deep.json")
    (root / "deep.json.rules.yaml").write_text(RULES + "records: data\n")
    line = _one_line_refusal(root, "import", str(root / "deep.json"))
    assert line == "deep.json:1: nested deeper than 64 levels (the limit for JSON files)"


def test_pull_of_a_json_source_nested_100000_deep_is_one_line(tmp_path: Path) -> None:
    goals = "metrics:\n  mrr: {name: MRR, unit: USD, source: {json: data/deep.json, path: a}}\n"
    (tmp_path / "data").mkdir()
    shutil.copy(CORPUS / "import" / "j01-deep-nesting.json", tmp_path / "data" / "deep.json")
    root = _ledger(tmp_path, goals)
    code, out, err, _ = smartgoals(root, "pull")
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert code == 1, out + err
    assert "data/deep.json: nested deeper than 64 levels (the limit for JSON files)" in err
    assert (root / "goals" / "log.csv").read_text() == HEADER


def test_import_with_scale_1e308_is_one_line_at_the_scale_line(tmp_path: Path) -> None:
    root = _ledger(tmp_path)
    for name in ("r01-scale-overflow.csv", "r01-scale-overflow.csv.rules.yaml"):
        shutil.copy(CORPUS / "import" / name, root / name)
    line = _one_line_refusal(root, "import", str(root / "r01-scale-overflow.csv"))
    assert f"{root}/r01-scale-overflow.csv.rules.yaml:5:5: values[0].scale: " in line
    assert "less than or equal to 1000000000000000" in line


def test_a_value_that_a_valid_scale_takes_out_of_range_is_a_row_problem(tmp_path: Path) -> None:
    root = _ledger(tmp_path)
    (root / "big.csv").write_text("date,amount\n2025-01-01,100000\n")
    (root / "big.csv.rules.yaml").write_text(RULES + "    scale: 1e12\n")
    line = _one_line_refusal(root, "import", str(root / "big.csv"))
    assert line == "big.csv:2: mrr: amount: 100000 times scale 1e+12 is out of range"


def _hostile_files() -> list[Path]:
    return sorted(p for p in (CORPUS.glob("c*.csv")) if p.is_file()) + sorted(
        CORPUS.glob("import/j*.json")
    )


@pytest.mark.slow
@pytest.mark.parametrize("case", _hostile_files(), ids=lambda p: p.name)
@pytest.mark.parametrize("scale", ["1", "-1e15", "1e-300"])
def test_import_of_any_hostile_file_never_ends_in_an_internal_error(
    tmp_path: Path, case: Path, scale: str
) -> None:
    root = _ledger(tmp_path)
    shutil.copy(case, root / case.name)
    rules = f"date: date\nvalues:\n  - metric: mrr\n    value: value\n    scale: {scale}\n"
    if case.suffix == ".json":
        rules = rules.replace("value: value", "value: amount")
    (root / f"{case.name}.rules.yaml").write_text(rules)
    code, out, err, _ = smartgoals(root, "import", str(root / case.name))
    assert code in (0, 1), out + err
    assert "Traceback" not in out + err and "internal error" not in err
