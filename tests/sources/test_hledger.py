"""sources.hledger: the query is a balance report that names no other file to read or write."""

from __future__ import annotations

import pytest

from smartgoals.sources.common import SourceError
from smartgoals.sources.hledger import _refuse_files


@pytest.mark.parametrize(
    "words",
    [
        "bal income -o ../report.csv",
        "bal income -o../report.csv",
        "bal income -Mo ../report.csv",
        "bal income --output-file=../report.csv",
        "bal income --output-file ../report.csv",
        "bal income --output-fi=x.csv",
        "bal income -f /etc/other.journal",
        "bal income --file=/etc/other.journal",
        "bal income --fi /etc/other.journal",
    ],
)
def test_output_and_input_files_are_refused(words: str) -> None:
    with pytest.raises(SourceError, match="is not allowed in the query"):
        _refuse_files(words.split())


@pytest.mark.parametrize(
    "words",
    [
        "bal income -M --invert",
        "bal income -p 'from 2025 to now' -X USD",
        "bal income -pfrom2025 --forecast",
        "bal income -- -o",
        "balance expenses -Q -b 2025-01-01 --depth 2",
    ],
)
def test_ordinary_balance_reports_pass(words: str) -> None:
    _refuse_files(words.split())
