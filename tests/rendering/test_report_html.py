"""The HTML report in a real browser: headless Chromium driven through the DevTools protocol
over --remote-debugging-pipe, with the standard library only. The demo's monthly page must load
with no console error and no network request, show every goal and target, give each chart a
non-zero rendered size, fit a phone's width, and leave a screenshot a person can look at.

Skipped, with the reason, when no Chromium is installed (`.ci/run` installs Debian's).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartgoals.ledger.loader import load_ledger
from tests.conftest import REPO_ROOT, invoke
from tests.rendering.browser import (
    CHROMIUM,
    Browser,
    browser_at,
    open_page,
    print_pdf,
    resize,
    screenshot,
)
from tests.rendering.browser import evaluate as _evaluate

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (apt-get install -y chromium, or set SMARTGOALS_CHROMIUM); "
    ".ci/run installs it",
)
PDFTOTEXT = shutil.which("pdftotext")


def _demo(tmp_path: Path, cli: CliRunner, *options: str) -> Path:
    root = tmp_path / "ledger"
    if not root.exists():
        shutil.copytree(REPO_ROOT / "goals", root / "goals")
        shutil.copy(REPO_ROOT / "smartgoals.yaml", root / "smartgoals.yaml")
    page = tmp_path / f"report{'-'.join(options)}.html"
    result = invoke(
        cli,
        root,
        "report",
        "monthly",
        "--as-of",
        "2026-11-22",
        "--format",
        "html",
        "-o",
        str(page),
        *options,
    )
    assert result.exit_code == 0, result.output
    return page


@pytest.fixture
def demo_page(tmp_path: Path, cli: CliRunner) -> Path:
    return _demo(tmp_path, cli, "--charts", "all")


def test_the_demo_report_in_a_real_browser(demo_page: Path, tmp_path: Path) -> None:
    html = demo_page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html and "<script" not in html.lower()
    assert CHROMIUM is not None
    browser = Browser(CHROMIUM, tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1100, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        browser.events.clear()
        browser.send("Page.navigate", {"url": demo_page.as_uri()}, session)
        browser.wait_for("Page.loadEventFired")

        ledger = load_ledger(demo_page.parent / "ledger")
        found = _evaluate(
            browser,
            session,
            "JSON.stringify({goals: [...document.querySelectorAll('section.goal')].map(s => s.id),"
            " text: document.body.innerText,"
            " charts: [...document.querySelectorAll('section.goal svg.chart')].map(s => {"
            "   const r = s.getBoundingClientRect(); return [r.width, r.height,"
            "   s.querySelector('title') !== null, s.querySelector('desc') !== null]; }),"
            " title: document.title})",
        )
        seen = json.loads(found)
        assert seen["title"] == "Monthly report 2026-11 (to 2026-11-22)"
        assert seen["goals"] == [f"goal-{goal.id}" for goal in ledger.goals]
        for goal in ledger.goals:
            assert goal.title in seen["text"], goal.id
            for one in goal.targets:
                # titles and names, not ids (issue 29, item 7)
                name = (one.name or one.metric) if one.mix else ledger.metrics[one.metric].name
                assert name in seen["text"], (goal.id, one.metric)
        targets = sum(len(goal.targets) for goal in ledger.goals)
        assert len(seen["charts"]) == targets
        assert all(w > 0 and h > 0 and title and desc for w, h, title, desc in seen["charts"])

        picture = tmp_path / "report.png"
        picture.write_bytes(screenshot(browser, session))
        assert picture.read_bytes().startswith(b"\x89PNG")

        # on a phone the page itself never scrolls sideways (wide tables scroll in their box)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
            session,
        )
        width = _evaluate(browser, session, "document.documentElement.scrollWidth")
        assert width <= 390

        errors = [
            e
            for e in browser.events
            if e.get("method") == "Runtime.exceptionThrown"
            or (
                e.get("method") == "Runtime.consoleAPICalled"
                and e["params"].get("type") in ("error", "assert")
            )
            or (
                e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error"
            )
        ]
        assert errors == []
        requests = [
            e["params"]["request"]["url"]
            for e in browser.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        assert requests == [demo_page.as_uri()]  # the page itself, and nothing else
    finally:
        browser.close()


# every <text> of every chart, measured as drawn: its box must lie inside its svg's viewBox
LABEL_BOXES = """JSON.stringify([...document.querySelectorAll('svg.chart')].flatMap(svg => {
  const view = svg.viewBox.baseVal;
  return [...svg.querySelectorAll('text')].map(t => { const b = t.getBBox();
    return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height, view.width, view.height]; });
}))"""
# every element's right edge against the page's width (what a printed page or a phone cuts)
WIDEST = """JSON.stringify({page: document.documentElement.clientWidth,
  tables: [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right),
  status: [...document.querySelectorAll('td[data-label=Status]')].map(td => {
    const r = td.getBoundingClientRect(); return [r.left, r.right, td.textContent]; })})"""


def test_the_board_report_fits_its_pages_and_screens(tmp_path: Path, cli: CliRunner) -> None:
    """The demo's monthly board report by default: one summary page, at most 8 printed pages,
    every chart label whole, every table within the printed page, every status on a phone."""
    page = _demo(tmp_path, cli)
    html = page.read_text(encoding="utf-8")
    assert html == _demo(tmp_path, cli).read_text(encoding="utf-8")  # the same bytes
    assert "CMGR" not in html and "auto:" not in html and "wont make" not in html
    with browser_at(tmp_path / "profile") as browser:
        session = open_page(browser, page.as_uri(), 1280, 800)
        boxes = json.loads(_evaluate(browser, session, LABEL_BOXES))
        assert boxes
        cut = [b for b in boxes if b[1] < -0.5 or b[2] < -0.5 or b[3] > b[5] + 0.5]
        cut += [b for b in boxes if b[4] > b[6] + 0.5]
        assert cut == []
        height = _evaluate(browser, session, "document.documentElement.scrollHeight")
        assert height / 800 <= 10  # issue 29, item 3
        (tmp_path / "desktop.png").write_bytes(screenshot(browser, session))

        resize(browser, session, 390, 844, mobile=True)
        seen = json.loads(_evaluate(browser, session, WIDEST))
        assert seen["status"], "no status cell"
        assert all(left >= 0 and right <= 390 for left, right, _ in seen["status"])
        assert _evaluate(browser, session, "document.documentElement.scrollWidth") <= 390

        resize(browser, session, 1280, 800)
        browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session)
        resize(browser, session, 711, 1000)  # A4's width less its margins, at 96 px per inch
        seen = json.loads(_evaluate(browser, session, WIDEST))
        assert max(seen["tables"]) <= seen["page"] + 0.5
        browser.send("Emulation.setEmulatedMedia", {"media": ""}, session)
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(print_pdf(browser, session))
    if PDFTOTEXT is None:
        pytest.skip("pdftotext not found (apt-get install -y poppler-utils)")
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) <= 8  # issue 29, item 3, with no column cut
    first = " ".join(pages[0].split())
    for words in ("Headline metrics", "Goals by status", "What changed since the last period"):
        assert words in first
    assert "Needs a decision" in first and "Exceptions" not in first
    for metric in ("Monthly active users", "System uptime"):
        assert metric in first
