"""The HTML report in a real browser: headless Chromium driven through the DevTools protocol
over --remote-debugging-pipe, with the standard library only. The demo's monthly page must load
with no console error and no network request, show every goal and target, give each chart a
non-zero rendered size, fit a phone's width, and leave a screenshot a person can look at.

Skipped, with the reason, when no Chromium is installed (`.ci/run` installs Debian's).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartgoals.ledger.loader import load_ledger
from tests.conftest import REPO_ROOT, invoke

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 60.0  # seconds for any one answer: generous on a loaded machine; nothing is timed


def _chromium() -> str | None:
    explicit = os.environ.get("SMARTGOALS_CHROMIUM")
    if explicit:
        return explicit
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


CHROMIUM = _chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium found (apt-get install -y chromium, or set SMARTGOALS_CHROMIUM); "
    ".ci/run installs it",
)


class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (events and answers
    out), messages separated by NUL bytes."""

    def __init__(self, executable: str, profile: Path) -> None:
        to_child, self._to_browser = os.pipe()
        self._from_browser, from_child = os.pipe()

        def wire() -> None:  # in the child: the pipe ends on the fds Chromium expects
            # moved above 3 and 4 first, so that neither end is overwritten before it is moved
            high_in = fcntl.fcntl(to_child, fcntl.F_DUPFD, 10)
            high_out = fcntl.fcntl(from_child, fcntl.F_DUPFD, 10)
            os.dup2(high_in, 3)  # dup2 makes the new fd inheritable across exec
            os.dup2(high_out, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire,  # a dup2 before exec, nothing else
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("Chromium did not answer")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)  # type: ignore[no-any-return]

    def send(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> Any:
        self._next += 1
        ident = self._next
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == ident:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read_message(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def _evaluate(browser: Browser, session: str, expression: str) -> Any:
    result = browser.send(
        "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
    )
    assert "exceptionDetails" not in result, result
    return result["result"]["value"]


@pytest.fixture
def demo_page(tmp_path: Path, cli: CliRunner) -> Path:
    root = tmp_path / "ledger"
    shutil.copytree(REPO_ROOT / "goals", root / "goals")
    shutil.copy(REPO_ROOT / "smartgoals.yaml", root / "smartgoals.yaml")
    page = tmp_path / "report.html"
    result = invoke(
        cli, root, "report", "monthly", "--as-of", "2026-11-22", "--format", "html", "-o", str(page)
    )
    assert result.exit_code == 0, result.output
    return page


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
            " charts: [...document.querySelectorAll('svg.chart')].map(s => {"
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
                assert f"({one.metric})" in seen["text"], (goal.id, one.metric)
        targets = sum(len(goal.targets) for goal in ledger.goals)
        assert len(seen["charts"]) == targets
        assert all(w > 0 and h > 0 and title and desc for w, h, title, desc in seen["charts"])

        shot = browser.send(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session
        )
        picture = tmp_path / "report.png"
        picture.write_bytes(base64.b64decode(shot["data"]))
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
