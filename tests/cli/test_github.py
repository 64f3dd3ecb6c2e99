"""The runner's files (event, outputs, summary) read and written as GitHub does; the comment
client against a local server is in test_action.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from smartgoals.cli.github import (
    SUMMARY_LIMIT,
    CommentError,
    pull_request,
    set_outputs,
    upsert_comment,
    write_summary,
)

EVENT = Path(__file__).parent / "data" / "pull_request_event.json"


def test_the_pull_request_of_a_recorded_event_and_none_for_a_push() -> None:
    env = {"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(EVENT)}
    pr = pull_request(env)
    assert pr is not None and (pr.number, pr.base, pr.head) == (7, "BASE_SHA", "HEAD_SHA")
    assert pull_request({**env, "GITHUB_EVENT_NAME": "push"}) is None


def test_outputs_use_a_delimiter_no_value_can_contain(tmp_path: Path) -> None:
    path = tmp_path / "output"
    set_outputs({"GITHUB_OUTPUT": str(path)}, {"failing": '[{"goal": "a"}]', "x": "one\ntwo"})
    lines = path.read_text().splitlines()
    assert lines[0].startswith("failing<<ghadelimiter_") and lines[1] == '[{"goal": "a"}]'
    assert lines[2] == lines[0].partition("<<")[2]
    assert lines[4:6] == ["one", "two"]


def test_the_summary_is_cut_to_github_s_limit(tmp_path: Path) -> None:
    path = tmp_path / "summary"
    write_summary({"GITHUB_STEP_SUMMARY": str(path)}, "| row |\n" * 200_000)
    text = path.read_text()
    assert len(text.encode()) <= SUMMARY_LIMIT + 100
    assert text.endswith("*(cut here: the job summary's 1 MiB limit)*\n")
    write_summary({}, "nowhere")  # outside Actions: nothing written, no error


def test_no_token_is_a_comment_error_not_a_crash() -> None:
    with pytest.raises(CommentError, match="no GITHUB_TOKEN"):
        upsert_comment({"GITHUB_REPOSITORY": "a/b"}, 1, "body", "<!-- m -->")
    refused = {
        "GITHUB_TOKEN": "t",
        "GITHUB_REPOSITORY": "a/b",
        "GITHUB_API_URL": "http://127.0.0.1:9",
    }
    with pytest.raises(
        CommentError, match=r"GET http://127\.0\.0\.1:9/repos/a/b/issues/1/comments"
    ):
        upsert_comment(refused, 1, "body", "<!-- m -->")
    assert json.loads(EVENT.read_text())["pull_request"]["number"] == 7
