"""What the GitHub Action needs from GitHub itself: the pull request of the event, step outputs
and the job summary (files the runner names in the environment), and the one pull-request
comment kept up to date through the REST API with the job's token.

Only the standard library: the Action installs nothing else to talk to GitHub."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

SUMMARY_LIMIT = 1024 * 1024 - 4096  # $GITHUB_STEP_SUMMARY takes 1 MiB per step; keep a margin


class PullRequest(NamedTuple):
    number: int
    base: str  # commit ids
    head: str


def pull_request(env: Mapping[str, str]) -> PullRequest | None:
    """The pull request of a pull_request (or pull_request_target) event, read from the event
    file the runner writes ($GITHUB_EVENT_PATH); None for other events."""
    if env.get("GITHUB_EVENT_NAME", "") not in ("pull_request", "pull_request_target"):
        return None
    path = env.get("GITHUB_EVENT_PATH")
    if not path:
        return None
    event = json.loads(Path(path).read_text(encoding="utf-8"))
    found = event.get("pull_request") or {}
    try:
        return PullRequest(int(found["number"]), found["base"]["sha"], found["head"]["sha"])
    except (KeyError, TypeError, ValueError):
        return None


def set_outputs(env: Mapping[str, str], values: Mapping[str, str]) -> None:
    """Step outputs, appended to $GITHUB_OUTPUT in its multi-line form (a random delimiter),
    so that no value can end its own entry early."""
    path = env.get("GITHUB_OUTPUT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as out:
        for name, value in values.items():
            delimiter = f"ghadelimiter_{uuid.uuid4()}"
            out.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")


def write_summary(env: Mapping[str, str], text: str) -> None:
    """Append to the job summary, cut to what GitHub accepts (a note says so when cut)."""
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    data = text.encode("utf-8")
    if len(data) > SUMMARY_LIMIT:
        cut = data[:SUMMARY_LIMIT].decode("utf-8", "ignore")
        text = cut[: cut.rfind("\n") + 1] + "\n*(cut here: the job summary's 1 MiB limit)*\n"
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)


class CommentError(Exception):
    """GitHub refused or could not be reached: said as a warning, never a failed job."""


def _request(env: Mapping[str, str], method: str, url: str, body: Any = None) -> Any:
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Accept", "application/vnd.github+json")
    request.add_header("Authorization", f"Bearer {env.get('GITHUB_TOKEN', '')}")
    request.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
    except urllib.error.HTTPError as exc:
        raise CommentError(f"{method} {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise CommentError(f"{method} {url}: {exc}") from None
    return json.loads(payload) if payload else None


def upsert_comment(env: Mapping[str, str], number: int, body: str, marker: str) -> str:
    """Edit the pull request's comment that starts with marker (the first found), or add one:
    one comment per pull request, always the latest. Returns "created" or "updated"."""
    api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repository = env.get("GITHUB_REPOSITORY", "")
    if not env.get("GITHUB_TOKEN") or not repository:
        raise CommentError("no GITHUB_TOKEN or GITHUB_REPOSITORY: the comment was not written")
    listing = f"{api}/repos/{repository}/issues/{number}/comments"
    page = 1
    while True:
        found = _request(env, "GET", f"{listing}?per_page=100&page={page}") or []
        for comment in found:
            if str(comment.get("body") or "").startswith(marker):
                url = f"{api}/repos/{repository}/issues/comments/{comment['id']}"
                _request(env, "PATCH", url, {"body": body})
                return "updated"
        if len(found) < 100:
            break
        page += 1
    _request(env, "POST", listing, {"body": body})
    return "created"


def environment() -> dict[str, str]:
    return dict(os.environ)
