"""sources/jsonfile.py: one number at a path in a JSON file, dated by the file or its commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from smartgoals.ledger.sourcespec import parse_spec
from smartgoals.sources.common import Context, SourceError
from smartgoals.sources.jsonfile import RUNS_PROGRAM, read
from tests.conftest import git, ledger_from_strings

METRICS = ledger_from_strings("metrics:\n  n: {name: N, unit: count}\ngoals: []\n").metrics
TODAY = dt.date(2026, 3, 1)


def pull(root: Path, **spec: str):  # type: ignore[no-untyped-def]
    return read(parse_spec(spec), Context(root, METRICS["n"], METRICS, TODAY))


def test_reads_no_program() -> None:
    assert RUNS_PROGRAM is False


def test_a_pointer_or_a_dotted_path_and_a_date_in_the_file(tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(
        '{"data": [{"n": 412, "day": "2026-02-01T10:00:00Z"}]}', encoding="utf-8"
    )
    assert pull(tmp_path, json="p.json", path="/data/0/n", date="data.0.day").values == [
        (dt.date(2026, 2, 1), 412.0)
    ]


def test_without_a_date_the_files_commit_date(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (repo / "p.json").write_text('{"n": 7}', encoding="utf-8")
    for key in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"):
        monkeypatch.setenv(key, "2026-02-10T12:00:00+00:00")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "p")
    assert pull(repo, json="p.json", path="n").values == [(dt.date(2026, 2, 10), 7.0)]
    (repo / "p.json").write_text('{"n": 8}', encoding="utf-8")  # changed since: today
    assert pull(repo, json="p.json", path="n").values == [(TODAY, 8.0)]


@pytest.mark.parametrize(
    ("text", "spec", "message"),
    [
        ("{", {"path": "n"}, "p.json: not valid JSON"),
        ('{"n": 1}', {"path": "m"}, "p.json: path "),
        ('{"n": "x"}', {"path": "n"}, "p.json: n: "),
        ('{"n": 1}', {"path": "n", "date": "d"}, "p.json: date "),
        ('{"n": 1, "d": "2026-04-01"}', {"path": "n", "date": "d"}, "2026-04-01 is in the future"),
    ],
)
def test_refusals(tmp_path: Path, text: str, spec: dict[str, str], message: str) -> None:
    (tmp_path / "p.json").write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message):
        pull(tmp_path, json="p.json", **spec)
