"""Regenerate the report's pictures in docs/ from the demo ledger, in headless Chromium:

    .venv/bin/python docs/screenshots.py

report-desktop.png (1280 px wide, the first screen), report-phone.png (390 px, the first
screen) and report-print-page1.png (the printed PDF's first page, through pdftoppm). The
package never imports this file; it drives the browser with tests/rendering/browser.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.rendering.browser import (  # noqa: E402 (the repository's root on the path first)
    CHROMIUM,
    browser_at,
    open_page,
    print_pdf,
    screenshot,
)

AS_OF = "2026-11-22"  # the demo journal's last day, as in the README's tour
DOCS = ROOT / "docs"


def main() -> int:
    if CHROMIUM is None or shutil.which("pdftoppm") is None:
        print("needs chromium and pdftoppm (apt-get install -y chromium poppler-utils)")
        return 1
    with tempfile.TemporaryDirectory() as work:
        page = Path(work) / "report.html"
        smartgoals = Path(sys.executable).parent / "smartgoals"
        command = [smartgoals, "-C", ROOT, "report", "monthly", "--as-of", AS_OF]
        subprocess.run(
            [*command, "--format", "html", "-o", page],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with browser_at(Path(work) / "profile") as browser:
            session = open_page(browser, page.as_uri(), 1280, 800)
            (DOCS / "report-desktop.png").write_bytes(screenshot(browser, session))
            pdf = Path(work) / "report.pdf"
            pdf.write_bytes(print_pdf(browser, session))
            session = open_page(browser, page.as_uri(), 390, 844, mobile=True)
            (DOCS / "report-phone.png").write_bytes(screenshot(browser, session))
        first = Path(work) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, first],
            check=True,
        )
        shutil.copy(f"{first}.png", DOCS / "report-print-page1.png")
    for name in ("report-desktop.png", "report-phone.png", "report-print-page1.png"):
        print(f"wrote docs/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
