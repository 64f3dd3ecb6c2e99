"""The GitHub Action's script run as the runner runs it: a pull request's shallow checkout of a
real clone of a bare remote, the environment GitHub sets (a recorded pull_request event,
GITHUB_STEP_SUMMARY, GITHUB_OUTPUT), a local HTTP server standing in for GitHub's REST API; and
action.yml and the example workflow linted (zizmor, actionlint when installed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT, git, write_ledger

EVENT = Path(__file__).parent / "data" / "pull_request_event.json"
GOALS = """\
metrics:
  mrr: {name: MRR, unit: USD, cadence: monthly}
goals:
  - id: grow
    title: Grow revenue
    start: 2026-01-01
    due: 2030-12-31
    targets:
      - metric: mrr
        target: 10000
        baseline: 0
"""
JOURNAL = "date,metric,value,note\n2026-01-31,mrr,1000,\n2026-02-28,mrr,2000,\n"


class FakeGitHub(BaseHTTPRequestHandler):
    """GitHub's issue-comment endpoints, enough for the Action: list, create, edit."""

    comments: list[dict[str, Any]]
    requests: list[tuple[str, str, Any]]

    def _reply(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length", 0))
        return json.loads(self.rfile.read(length)) if length else None

    def do_GET(self) -> None:
        self.requests.append(("GET", self.path, self.headers.get("Authorization")))
        self._reply(200, self.comments)

    def do_POST(self) -> None:
        body = self._body()
        self.requests.append(("POST", self.path, body))
        self.comments.append({"id": 900 + len(self.comments), "body": body["body"]})
        self._reply(201, self.comments[-1])

    def do_PATCH(self) -> None:
        body = self._body()
        self.requests.append(("PATCH", self.path, body))
        number = int(self.path.rsplit("/", 1)[1])
        for comment in self.comments:
            if comment["id"] == number:
                comment["body"] = body["body"]
        self._reply(200, {"id": number})

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def github() -> Iterator[tuple[str, type[FakeGitHub]]]:
    handler = type("Handler", (FakeGitHub,), {"comments": [], "requests": []})
    handler.comments.append({"id": 1, "body": "LGTM"})  # someone else's comment, left alone
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, str, str]:
    """A bare remote with main and a pull request's branch, and the pull request's checkout as
    actions/checkout makes it by default: one commit deep."""
    remote, work = tmp_path / "origin.git", tmp_path / "work"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(tmp_path, "clone", "-q", str(remote), str(work))
    write_ledger(work, GOALS, JOURNAL)
    git(work, "add", ".")
    git(work, "commit", "-q", "-m", "start")
    base = git(work, "rev-parse", "HEAD").strip()
    git(work, "push", "-q", "origin", "main")
    git(work, "checkout", "-q", "-b", "ease-revenue")
    (work / "goals" / "goals.yaml").write_text(GOALS.replace("target: 10000", "target: 8000"))
    with (work / "goals" / "log.csv").open("a") as out:
        out.write("2026-03-31,mrr,3000,\n")
    git(work, "commit", "-q", "-am", "Ease the revenue target")
    head = git(work, "rev-parse", "HEAD").strip()
    git(work, "push", "-q", "origin", "ease-revenue")
    ci = tmp_path / "ci"
    url = f"file://{remote}"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "ease-revenue", url, str(ci))
    return ci, base, head


def _run(ci: Path, tmp_path: Path, api: str, **inputs: str) -> tuple[int, str, Path, Path]:
    event = EVENT.read_text().replace("BASE_SHA", inputs.pop("base"))
    event = event.replace("HEAD_SHA", inputs.pop("head"))
    (tmp_path / "event.json").write_text(event)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {
        **os.environ,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(tmp_path / "event.json"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_API_URL": api,
        "GITHUB_REPOSITORY": "acme/goals",
        "GITHUB_TOKEN": "ghs_test",
        "RUNNER_TEMP": str(tmp_path),
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
        **{f"SMARTGOALS_{k.upper()}": v for k, v in inputs.items()},
    }
    done = subprocess.run(
        [sys.executable, "-m", "smartgoals.cli.action"],
        cwd=ci,
        env=env,
        capture_output=True,
        text=True,
    )
    return done.returncode, done.stdout, summary, output


def outputs(path: Path) -> dict[str, str]:
    """$GITHUB_OUTPUT read as the runner reads it (name<<DELIMITER ... DELIMITER)."""
    found = {}
    lines = iter(path.read_text().splitlines())
    for line in lines:
        name, _, delimiter = line.partition("<<")
        value = []
        for inner in lines:
            if inner == delimiter:
                break
            value.append(inner)
        found[name] = "\n".join(value)
    return found


def test_pull_request_review_annotations_summary_outputs_and_one_comment(
    tmp_path: Path, checkout: tuple[Path, str, str], github: tuple[str, type[FakeGitHub]]
) -> None:
    ci, base, head = checkout
    api, server = github
    code, log, summary, output = _run(ci, tmp_path, api, base=base, head=head, fail_on="missed")
    assert code == 1, log
    assert re.search(r"^::error file=goals/goals\.yaml,line=9,.*grow / mrr was eased", log, re.M)
    text = summary.read_text()
    top = text.split("### ")[0]
    assert "> [!CAUTION]" in top and "Targets eased without a reason" in top
    assert "### Goal status as of" in text
    assert (
        "| grow | mrr | eased | >= $10,000 by 2030-12-31 | >= $8,000 by 2030-12-31 | **no reason** |"
        in text
    )
    assert max(len(line) for line in text.splitlines()) < 160  # no 231-column text table
    found = outputs(output)
    assert set(json.loads(found["counts"])) >= {"on_track", "missed", "achieved"}
    assert json.loads(found["failing"]) == []
    assert found["failed"] == "true"
    assert found["report"] and Path(found["report"]).read_text().startswith("<!")
    posts = [r for r in server.requests if r[0] == "POST"]
    assert [p[1] for p in posts] == ["/repos/acme/goals/issues/7/comments"]
    assert posts[0][2]["body"].startswith("<!-- smartgoals diff -->")
    assert server.requests[0][2] == "Bearer ghs_test"
    # the next push: the same comment edited, no second one
    code, _, _, _ = _run(ci, tmp_path, api, base=base, head=head, comment="true")
    assert code == 1
    assert [r[0] for r in server.requests].count("POST") == 1
    created = server.comments[1]["id"]
    assert ("PATCH", f"/repos/acme/goals/issues/comments/{created}") in [
        (r[0], r[1]) for r in server.requests
    ]
    assert server.comments[0]["body"] == "LGTM"


def test_the_gate_s_failures_come_first_and_a_reason_passes(
    tmp_path: Path, checkout: tuple[Path, str, str], github: tuple[str, type[FakeGitHub]]
) -> None:
    ci, base, head = checkout
    code, log, summary, output = _run(
        ci,
        tmp_path,
        github[0],
        base=base,
        head=head,
        fail_on="on_track,at_risk,off_track",
        require_reason="false",
        comment="false",
        report="none",
    )
    assert code == 4, log
    text = summary.read_text()
    first = text.split("\n- ")[1]
    assert first.startswith(
        "**Failed the gate** (`--fail-on on_track,at_risk,off_track`): `grow / mrr`"
    )
    found = outputs(output)
    (failing,) = json.loads(found["failing"])
    assert failing["goal"] == "grow" and failing["target"] == "mrr"
    assert found["report"] == ""
    assert github[1].requests == []  # comment: false


def test_a_push_event_checks_and_gates_without_review(
    tmp_path: Path, checkout: tuple[Path, str, str]
) -> None:
    ci, _, _ = checkout
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "GITHUB_EVENT_NAME": "push",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        "SMARTGOALS_REPORT": "none",
    }
    done = subprocess.run(
        [sys.executable, "-m", "smartgoals.cli.action"],
        cwd=ci,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary.read_text().startswith("## smartgoals\n\nAll checks passed.")


@pytest.mark.parametrize("path", ["action.yml", "docs/smartgoals-workflow.yml"])
def test_the_action_and_the_workflow_pass_the_linters(path: str) -> None:
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(zizmor).exists():
        pytest.skip("zizmor is not installed (pip install zizmor)")
    done = subprocess.run(
        [zizmor, "--offline", path], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    text = (REPO_ROOT / path).read_text()
    for uses in re.findall(r"uses: (\S+)", text):
        if not uses.startswith("OWNER/"):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), uses
    actionlint = shutil.which("actionlint")
    if actionlint and path.startswith("docs/"):
        done = subprocess.run([actionlint, path], cwd=REPO_ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout
