"""The hledger adapter: a balance report over a journal in the ledger, run as
`hledger -f FILE QUERY -O csv --layout=tidy`, summed per period end. It runs only where the user
allowed programs; its query may not name another input file or an output file."""

from __future__ import annotations

import datetime as dt
import re

from smartgoals.ledger.sourcespec import HledgerSource
from smartgoals.sources.common import (
    Context,
    Pulled,
    SourceError,
    inside,
    run_program,
    to_day,
    to_value,
)

RUNS_PROGRAM = True

# hledger takes unambiguous prefixes of long options and clusters of flags (-Mo FILE), so a
# short word counts when an `o` or `f` follows flags that take no argument.
_SHORT_FILE = re.compile(r"-[A-NP-WYZ%]*[of]")


def read(spec: HledgerSource, context: Context) -> Pulled:
    """One total per period whose end has passed; a period not over yet is left out."""
    import csv
    import io
    import shlex

    path = inside(context.root, spec.file)
    try:
        words = shlex.split(spec.hledger)
    except ValueError as exc:
        raise SourceError(f"hledger: {exc}") from None
    if not words or words[0] not in ("bal", "balance"):
        raise SourceError("hledger: the query is a balance report, starting with bal")
    _refuse_files(words)
    argv = ["hledger", "-f", str(path), *words, "-O", "csv", "--layout=tidy"]
    text = run_program(argv, context.root, 120.0, "hledger")
    totals: dict[dt.date, float] = {}
    commodities: set[str] = set()
    try:
        for row in csv.DictReader(io.StringIO(text)):
            end = to_day(row["end_date"], "hledger")
            commodities.add(row.get("commodity", ""))
            totals[end] = totals.get(end, 0.0) + to_value(
                row["value"].replace(",", ""), context.metric, "hledger"
            )
    except (KeyError, csv.Error) as exc:
        raise SourceError(f"hledger: unexpected output ({exc})") from None
    commodities.discard("")
    if len(commodities) > 1:
        raise SourceError(
            f"hledger: several commodities ({', '.join(sorted(commodities))}): convert them "
            "(-X USD) or narrow the query to one"
        )
    values, left_out = [], []
    for end, total in sorted(totals.items()):
        if end >= context.today:
            left_out.append(f"{context.metric.id}: the period ending {end.isoformat()} is not over")
        else:
            values.append((end, float(f"{total:.12g}")))
    return Pulled(values, left_out)


def _refuse_files(words: list[str]) -> None:
    """A source reads the journal it declares and writes nothing: no -o/--output-file (hledger
    would write the report there) and no -f/--file (a second input, maybe outside the ledger)."""
    for word in words[1:]:
        if word == "--":
            return
        name = word.split("=", 1)[0]
        long = len(name) > 2 and name.startswith("--")
        if (long and ("--output-file".startswith(name) or "--file".startswith(name))) or (
            not long and _SHORT_FILE.match(word)
        ):
            raise SourceError(
                f"hledger: {word} is not allowed in the query: a source reads its file: and "
                "writes nothing"
            )
