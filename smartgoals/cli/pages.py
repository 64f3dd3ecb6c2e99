"""A static site of board reports for GitHub Pages (docs/smartgoals-workflow.yml runs
`python -m smartgoals.cli.pages --out site`): one HTML report per finished period, each the
`report` command's page as of that period's last day, and an index listing them, newest
first. Rebuilt whole at each run from the ledger in the checkout, so the site needs no state
of its own: a period's page changes only when rows dated in it change."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

KINDS = ("weekly", "monthly", "quarterly")


class Page(NamedTuple):
    label: str  # 2026-11, 2026-Q3, 2026-W47
    first: dt.date
    last: dt.date
    file: str  # relative to the site


def finished_periods(kind: str, today: dt.date, count: int, since: dt.date | None) -> list[Page]:
    """The last `count` periods of kind that ended before today, newest first; none that ended
    before since (the first observation)."""
    from smartgoals.engine.reporting import report_period

    pages: list[Page] = []
    end = report_period(kind, today).previous_end
    while len(pages) < count and (since is None or end >= since):
        period = report_period(kind, end)
        pages.append(Page(period.label, period.first, end, f"{period.label}.html"))
        end = period.previous_end
    return pages


def first_observation(root: Path) -> dt.date | None:
    from smartgoals.ledger.loader import load_ledger

    ledger = load_ledger(root)
    days = [series.dates[0] for series in ledger.series.values() if series.dates]
    return min(days) if days else None


def index_html(kind: str, pages: Sequence[Page], built: str) -> str:
    """The index: the latest report first, then every period's page; no script, no style
    fetched from elsewhere."""
    items = "\n".join(
        f'<li><a href="{html.escape(p.file)}">{html.escape(p.label)}</a> '
        f"({p.first.isoformat()} to {p.last.isoformat()})</li>"
        for p in pages
    )
    latest = (
        f'<p>Latest: <a href="{html.escape(pages[0].file)}">{html.escape(pages[0].label)}</a></p>'
        if pages
        else "<p>No finished period has data yet.</p>"
    )
    return (
        '<!doctype html>\n<html lang="en"><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Goals: {kind} reports</title>\n"
        "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:2em auto;"
        "padding:0 1em}</style>\n"
        f"<h1>Goals: {kind} reports</h1>\n{latest}\n<ul>\n{items}\n</ul>\n"
        f'<p><small>Built {html.escape(built)} by smartgoals. <a href="periods.json">JSON</a>'
        "</small></p>\n</html>\n"
    )


def build(root: Path, out: Path, kind: str, count: int, today: dt.date) -> list[Page]:
    """Every page and the index into out; the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    pages = finished_periods(kind, today, count, first_observation(root))
    for page in pages:
        command = [sys.executable, "-m", "smartgoals", "-C", str(root), "--no-pager", "report"]
        command += [kind, "--as-of", page.last.isoformat(), "--format", "html"]
        command += ["-o", str(out / page.file)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 4) or not (out / page.file).exists():
            raise SystemExit(f"report for {page.label} failed: {done.stderr.strip()}")
    built = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    (out / "index.html").write_text(index_html(kind, pages, built), encoding="utf-8")
    listing = [
        {"period": p.label, "first": str(p.first), "last": str(p.last), "file": p.file}
        for p in pages
    ]
    (out / "periods.json").write_text(json.dumps(listing, indent=1), encoding="utf-8")
    return pages


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m smartgoals.cli.pages",
        description="Build a static site: one HTML report per finished period, and an index.",
    )
    parser.add_argument("--out", default="site", help="The site's folder (default: site).")
    parser.add_argument("--kind", choices=KINDS, default="monthly", help="Default: monthly.")
    parser.add_argument("--periods", type=int, default=12, help="How many (default: 12).")
    parser.add_argument("-C", "--directory", default=".", help="The ledger (default: .).")
    parser.add_argument("--today", default=None, help=argparse.SUPPRESS)  # for tests
    args = parser.parse_args(argv)
    today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    pages = build(Path(args.directory), Path(args.out), args.kind, args.periods, today)
    print(f"wrote {len(pages)} {args.kind} report(s) and index.html to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
