"""`notify` end to end: a real ledger in git, destinations from the user's own config or
environment, Apprise sending to a local HTTP server (json://) and a local SMTP server
(mailto://), and a state file that keeps a notice from repeating itself."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import git, invoke, write_ledger

GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: grow
    title: Grow revenue
    start: START
    due: DUE
    targets:
      - {metric: mrr, target: 12000, baseline: 0}
risks:
  - id: revenue-stalls
    title: Revenue stalls
    when: mrr < 2000
    actions: [call the top ten customers]
"""


class Hook(BaseHTTPRequestHandler):
    received: list[dict[str, Any]]

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    handler = type("Handler", (Hook,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"json://127.0.0.1:{server.server_address[1]}/hook", handler.received
    server.shutdown()
    server.server_close()


@pytest.fixture
def smtp() -> Iterator[tuple[int, list[Any]]]:
    controller_module = pytest.importorskip("aiosmtpd.controller")
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port: the controller checks it by connecting
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_module.Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


TODAY = dt.date.today()  # notify judges at today's date, as it runs from cron


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def ledger(repo: Path) -> Path:
    goals = GOALS.replace("START", day(-120)).replace("DUE", day(240))
    rows = f"date,metric,value,note\n{day(-80)},mrr,3000,\n{day(-50)},mrr,5000,\n"
    write_ledger(repo, goals, rows)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def test_changes_are_sent_once_then_what_moves_is_sent(
    ledger: Path,
    cli: CliRunner,
    hook: tuple[str, list[dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("apprise")
    url, received = hook
    monkeypatch.setenv("SMARTGOALS_NOTIFY", url)
    first = invoke(cli, ledger, "notify")
    assert first.exit_code == 0, first.output
    assert len(received) == 1, first.output
    (message,) = received
    assert message["title"] == "smartgoals: what changed"
    assert f"- mrr: a value is due (last {day(-50)})" in message["message"]
    assert first.stdout.rstrip().endswith(
        "sent to json://127.0.0.1:" + url.split(":")[2].split("/")[0]
    )
    again = invoke(cli, ledger, "notify")
    assert again.exit_code == 0 and len(received) == 1  # nothing new: nothing sent
    assert again.stdout.startswith("nothing new since the last notice")
    # a bad month: the verdict moves, the risk fires, the value is no longer due
    with (ledger / "goals" / "log.csv").open("a") as out:
        out.write(f"{day(0)},mrr,1500,lost the biggest customer\n")
    moved = invoke(cli, ledger, "notify", "--json")
    assert moved.exit_code == 0, moved.output
    body = received[-1]["message"]
    assert "**Verdicts that moved**\n\n- grow / mrr: " in body
    assert "- revenue-stalls: Revenue stalls: fires" in body
    assert "a value is due" not in body
    assert json.loads(moved.stdout)["sent"] is True


def test_weekly_digest_by_mail_once_a_week(
    ledger: Path,
    cli: CliRunner,
    smtp: tuple[int, list[Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("apprise")
    port, received = smtp
    config = tmp_path / "config" / "smartgoals" / "config.yaml"
    config.parent.mkdir(parents=True)
    url = f"mailto://127.0.0.1:{port}?from=goals@example.com&to=team@example.com"
    config.write_text(f"notify:\n  {ledger.resolve()}:\n    - {url}\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("SMARTGOALS_NOTIFY", raising=False)
    result = invoke(cli, ledger, "notify", "--weekly")
    assert result.exit_code == 0, result.output
    (mail,) = received
    assert mail.rcpt_tos == ["team@example.com"]
    message = email.message_from_bytes(mail.content, policy=email.policy.default)
    assert re.fullmatch(r"smartgoals: week \d{4}-W\d\d", str(message["Subject"]))
    plain = message.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "Goals\r\n\r\n- 1 on track" in text
    assert f"- mrr: a value is due (last {day(-50)})" in text
    assert invoke(cli, ledger, "notify", "--weekly").exit_code == 0
    assert len(received) == 1  # this week's digest went out already


def test_a_cloned_ledger_sends_nothing_and_dry_run_keeps_nothing(
    ledger: Path, cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMARTGOALS_NOTIFY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing"))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(ledger), str(clone))
    refused = invoke(cli, clone, "notify")
    assert refused.exit_code == 1
    assert "no destinations for this ledger" in refused.output
    dry = invoke(cli, clone, "notify", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.startswith("smartgoals: what changed\n")
    assert "dry run: not sent (would go to no destination configured)" in dry.stdout
    state = Path(str(tmp_path)).glob("**/notify/*.json")
    assert not list(state)


def test_what_a_notice_says_against_the_last_one() -> None:
    from smartgoals.commands.notify import changes

    old = {"verdict:g / m": "on_track", "risk:r": "r: Revenue stalls", "due:metric:m": "m: due"}
    now = {"verdict:g / m": "at_risk", "variance:g / m:2026-W50": "g / m: unexplained"}
    notice = changes(old, now)
    assert dict(notice.sections) == {
        "Verdicts that moved": ("g / m: on track -> at risk",),
        "Risks": ("r: Revenue stalls: cleared",),
        "Due": (),
        "Unexplained variances": ("g / m: unexplained",),
    }
    assert changes(now, now).empty
    assert dict(changes(None, now).sections)["Verdicts that moved"] == ()  # no past to move from


def test_destinations_are_the_user_s_and_shown_without_secrets(tmp_path: Path) -> None:
    from smartgoals.commands.notify import destinations, shown

    ledger = tmp_path / "ledger"
    ledger.mkdir()
    config = tmp_path / "smartgoals" / "config.yaml"
    config.parent.mkdir()
    config.write_text(f"notify:\n  {ledger}: [slack://T1/B2/C3, 'mailto://u:p@mail.example.com']\n")
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert destinations(ledger, environ) == ["slack://T1/B2/C3", "mailto://u:p@mail.example.com"]
    assert destinations(tmp_path, environ) == []  # another ledger: none
    assert destinations(ledger, {**environ, "SMARTGOALS_NOTIFY": "json://a, json://b"}) == [
        "json://a",
        "json://b",
    ]
    assert [shown(u) for u in destinations(ledger, environ)] == [
        "slack://",
        "mailto://mail.example.com",
    ]


def test_without_apprise_one_line_names_the_extra(
    ledger: Path, cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "apprise", None)  # as if not installed
    monkeypatch.setenv("SMARTGOALS_NOTIFY", "json://127.0.0.1:9/hook")
    result = invoke(cli, ledger, "notify")
    assert result.exit_code == 3
    assert result.output == (
        "error: notify sends through Apprise, which is not installed: "
        "pip install 'smartgoals[notify]'\n"
    )
