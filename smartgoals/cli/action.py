"""The GitHub Action's logic (action.yml runs `python -m smartgoals.cli.action`): check the
ledger, review a pull request's goal changes, gate on goal status, write the job summary, the
step outputs and the one pull-request comment.

Everything comes from the environment the runner sets (GITHUB_EVENT_PATH, GITHUB_STEP_SUMMARY,
GITHUB_OUTPUT, GITHUB_TOKEN...) and the Action's inputs, passed as SMARTGOALS_* variables (never
spliced into a script), so that a test runs it as the runner does. Each check is the
smartgoals command a person would run, started as its own process: its annotations, exit code
and output are exactly the command's."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from smartgoals.cli.github import (
    CommentError,
    PullRequest,
    environment,
    pull_request,
    set_outputs,
    upsert_comment,
    write_summary,
)

# without a gate, these statuses make a target "failing" in the outputs
DEFAULT_FAILING = ("missed", "breached", "off_track")
ROWS = 200  # status rows in the summary; the rest counted


class Settings(NamedTuple):
    directory: str
    fail_on: str
    require_reason: bool
    require_signed: bool
    comment: bool
    report: str  # weekly, monthly, quarterly or none
    temp: Path

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        def flag(name: str, default: str) -> bool:
            return env.get(name, default).strip().lower() in ("true", "1", "yes")

        return cls(
            directory=env.get("SMARTGOALS_DIRECTORY", ".") or ".",
            fail_on=env.get("SMARTGOALS_FAIL_ON", "").strip(),
            require_reason=flag("SMARTGOALS_REQUIRE_REASON", "true"),
            require_signed=flag("SMARTGOALS_REQUIRE_SIGNED", "false"),
            comment=flag("SMARTGOALS_COMMENT", "true"),
            report=env.get("SMARTGOALS_REPORT", "monthly").strip() or "none",
            temp=Path(env.get("RUNNER_TEMP") or "."),
        )


class Ran(NamedTuple):
    code: int
    stdout: str
    stderr: str


def run(settings: Settings, *args: str) -> Ran:
    """One smartgoals command on the ledger, as its own process; its stderr passed on."""
    command = [sys.executable, "-m", "smartgoals", "-C", settings.directory, "--no-pager", *args]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
        env={**environment(), "NO_COLOR": "1"},
    )
    if done.stderr:
        sys.stderr.write(done.stderr)
    return Ran(done.returncode, done.stdout, done.stderr)


def annotate(ran: Ran) -> None:
    """A command's workflow commands (and text) into the log, where the runner reads them."""
    if ran.stdout:
        sys.stdout.write(ran.stdout if ran.stdout.endswith("\n") else ran.stdout + "\n")
        sys.stdout.flush()


class Outcome(NamedTuple):
    failures: list[str]  # Markdown lines for the top of the summary
    sections: list[str]  # Markdown sections, in order
    outputs: dict[str, str]
    code: int


def review(settings: Settings, env: Mapping[str, str], pr: PullRequest, out: Outcome) -> int:
    """The pull request's checks: eased targets need a reason, the journal is only appended
    to (and signed), and the review summary in the job summary and the one comment."""
    from smartgoals.vcs.fetch import fetch_missing

    for problem in fetch_missing(Path(settings.directory), (pr.base, pr.head)):
        print(f"::warning title=smartgoals::{problem}")
    code = 0
    reason = ["--require-reason"] if settings.require_reason else []
    eased = run(settings, "diff", pr.base, "HEAD", "--format", "github", *reason)
    annotate(eased)
    if eased.code:
        code = 1
        out.failures.append(
            "- **Targets eased without a reason** (`reason:` on the target or its rung): see "
            "the annotations on their lines."
        )
    checks = [("--history", "**Journal rows changed or removed**: it is only appended to.")]
    if settings.require_signed:
        checks.append(("--require-signed", "**Journal commits not signed** by a trusted key."))
    for option, failure in checks:
        ran = run(settings, "check", option, f"{pr.base}..{pr.head}", "--format", "github")
        annotate(ran)
        if ran.code:
            code = 1
            out.failures.append(f"- {failure} `{ran.stdout.strip().splitlines()[-1]}`")
    summary = run(settings, "diff", pr.base, "HEAD", "--format", "md")
    if summary.code == 0 and summary.stdout:
        out.sections.append(summary.stdout)
        if settings.comment:
            from smartgoals.views.diff_markdown import MARKER

            try:
                done = upsert_comment(env, pr.number, summary.stdout, MARKER)
                print(f"smartgoals: the pull request's comment was {done}")
            except CommentError as exc:
                print(f"::warning title=smartgoals comment::{exc} (needs pull-requests: write)")
    return code


def _status_rows(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for goal in data.get("goals", []):
        for target in goal.get("targets", []):
            unit = f" {target['unit']}" if target.get("unit") not in (None, "", "count") else ""
            current = "-" if target.get("current") is None else f"{target['current']}{unit}"
            aim = f"{target.get('op') or ''} {target.get('target')}{unit}".strip()
            status = str(target.get("status", "")).replace("_", " ")
            rows.append((goal["id"], target["metric"], status, current, aim))
    return rows


def _cell(text: str) -> str:
    from smartgoals.views.diff_markdown import escape

    return escape(text)


def status_section(data: dict[str, Any], failing: Sequence[dict[str, str]]) -> str:
    """Counts by status, then one narrow row per target: fits GitHub's width."""
    counts: dict[str, int] = {}
    for _, _, status, _, _ in _status_rows(data):
        counts[status] = counts.get(status, 0) + 1
    said = ", ".join(f"{n} {status}" for status, n in counts.items()) or "no targets"
    lines = [f"### Goal status as of {data.get('as_of', '')}", "", f"{said}.", ""]
    lines += ["| Goal | Target | Status | Current | Aim |", "|:--|:--|:--|--:|--:|"]
    rows = _status_rows(data)
    for row in rows[:ROWS]:
        lines.append("| " + " | ".join(_cell(cell) for cell in row) + " |")
    if len(rows) > ROWS:
        lines.append(f"\n... and {len(rows) - ROWS} more targets (see the report).")
    return "\n".join(lines) + "\n"


def gate(settings: Settings, out: Outcome) -> int:
    """`status --json` with the gate: counts and failing targets as outputs, the failures."""
    from smartgoals.engine.evaluation import STATUSES

    args = ["status", "--json"] + (["--fail-on", settings.fail_on] if settings.fail_on else [])
    ran = run(settings, *args)
    try:
        data = json.loads(ran.stdout)
    except ValueError:
        out.failures.append("- **`smartgoals status` failed**: see the log.")
        return ran.code or 1
    failing_words = set(settings.fail_on.split(",")) if settings.fail_on else set(DEFAULT_FAILING)
    counts = dict.fromkeys((str(s) for s in STATUSES), 0)
    failing = []
    for goal in data.get("goals", []):
        for target in goal.get("targets", []):
            counts[target["status"]] = counts.get(target["status"], 0) + 1
            if target["status"] in failing_words:
                failing.append({"goal": goal["id"], "target": target["metric"]})
                failing[-1]["status"] = target["status"]
    out.outputs["counts"] = json.dumps(counts)
    out.outputs["failing"] = json.dumps(failing)
    out.outputs["failing-count"] = str(len(failing))
    if ran.code == 4:
        names = ", ".join(f"`{f['goal']} / {f['target']}` {f['status']}" for f in failing)
        out.failures.insert(0, f"- **Failed the gate** (`--fail-on {settings.fail_on}`): {names}")
    out.sections.insert(0, status_section(data, failing))
    return ran.code


def report(settings: Settings, out: Outcome) -> None:
    """The HTML report of the period, its path an output (for upload-artifact or Pages)."""
    out.outputs["report"] = ""
    if settings.report == "none":
        return
    path = settings.temp / "smartgoals-report.html"
    ran = run(settings, "report", settings.report, "--format", "html", "-o", str(path))
    if ran.code in (0, 4) and path.exists():
        out.outputs["report"] = str(path.resolve())
    else:
        print("::warning title=smartgoals report::the report was not written: see the log")


def summary_text(out: Outcome) -> str:
    lines = ["## smartgoals", ""]
    if out.failures:
        lines += ["> [!CAUTION]", "> This job failed:", "", *out.failures, ""]
    else:
        lines += ["All checks passed.", ""]
    return "\n".join(lines) + "\n" + "\n".join(out.sections)


def main(env: Mapping[str, str] | None = None) -> int:
    """Every check; the summary, outputs and comment written whatever failed; the exit code of
    the worst failure (problems in the ledger 1, the gate 4)."""
    env = environment() if env is None else env
    settings = Settings.from_env(env)
    out = Outcome([], [], {}, 0)
    codes = []
    checked = run(settings, "check", "--format", "github")
    annotate(checked)
    if checked.code:
        out.failures.append("- **Problems in the ledger**: `smartgoals check` annotated them.")
    codes.append(checked.code)
    pr = pull_request(env)
    if pr is not None:
        codes.append(review(settings, env, pr, out))
    codes.append(gate(settings, out))
    report(settings, out)
    write_summary(env, summary_text(out))
    out.outputs["failed"] = "true" if any(codes) else "false"
    set_outputs(env, out.outputs)
    return next((c for c in codes if c not in (0, 4)), 4 if 4 in codes else 0)


if __name__ == "__main__":
    sys.exit(main())
