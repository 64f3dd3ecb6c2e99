"""Views -> plain aligned text for pipes, files and NO_COLOR: no escape codes, no Rich."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from shlex import quote
from typing import TYPE_CHECKING

from smartgoals.engine.evaluation import RiskStatus
from smartgoals.ledger.model import MetricDef
from smartgoals.rendering.cells import risk_lines, risks_heading, value_text

if TYPE_CHECKING:
    from smartgoals.commands.check import CheckView, GithubCheckView
    from smartgoals.commands.checkin import CheckinView
    from smartgoals.commands.due import DueView
    from smartgoals.commands.explain import ExplainView
    from smartgoals.commands.init import InitView
    from smartgoals.commands.log import BatchView, RecordedView, RefusedView
    from smartgoals.commands.risks import RisksView
    from smartgoals.commands.schema import SchemaView
    from smartgoals.commands.sync import SyncView
    from smartgoals.commands.undo import UndoView


def align(
    rows: Iterable[tuple[str, ...]], right: frozenset[int] | set[int] = frozenset()
) -> list[str]:
    """Columns padded to their widest cell, two spaces apart; no trailing spaces."""
    rows = list(rows)
    width = max((len(r) for r in rows), default=0)
    sizes = [
        max((len(r[i]) for r in rows if len(r) > i and len(r) > 1), default=0) for i in range(width)
    ]
    lines = []
    for row in rows:
        if len(row) == 1:  # a heading spans the table
            lines.append(row[0])
            continue
        cells = [
            cell.rjust(sizes[i]) if i in right else cell.ljust(sizes[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def risks_lines(
    risks: Iterable[RiskStatus],
    only_triggered: bool,
    metrics: Mapping[str, MetricDef] | None = None,
) -> list[str]:
    shown = [r for r in risks if r.triggered or not only_triggered]
    lines = [risks_heading(shown, only_triggered)]
    for risk in shown:
        lines += [text for _kind, text in risk_lines(risk, True, metrics)] + [""]
    return lines


def risks_view_lines(view: RisksView) -> list[str]:
    text = "\n".join(risks_lines(view.risks, False, view.metrics)).rstrip()
    return text.split("\n")


def check_lines(view: CheckView) -> list[str]:
    from smartgoals.rendering.data import derived_count, observation_count

    ledger = view.ledger
    lines = [str(problem) for problem in ledger.problems]
    verdict = f"{len(ledger.problems)} problem(s)" if ledger.problems else "ok"
    derived = derived_count(ledger)
    lines.append(
        f"{verdict}: {len(ledger.goals)} goals, {len(ledger.metrics)} metrics, "
        f"{observation_count(ledger)} observations"
        + (f", {derived} derived values" if derived else "")
    )
    return lines


def github_check_lines(view: GithubCheckView) -> list[str]:
    """Each problem as `::error file=...,line=...,col=...::message`, each warning as
    `::warning ...`, then the summary line."""
    from smartgoals.rendering.annotations import workflow_command

    lines = [workflow_command("error", p, view.prefix) for p in view.check.ledger.problems]
    lines += [workflow_command("warning", p, view.prefix) for p in view.warnings]
    return lines + check_lines(view.check)[len(view.check.ledger.problems) :]


def recorded_lines(view: RecordedView) -> list[str]:
    done = view.recorded
    if done.commit:
        where = f"committed {done.commit[:10]}"
    else:
        where = f"not committed ({done.not_committed_reason})"
    shown = value_text(done.metric, done.value)
    return [f"{done.metric.id} = {shown} on {done.day.isoformat()}: {where}"]


def init_lines(view: InitView) -> list[str]:
    done = view.done
    from smartgoals.write.scaffold import FIRST_COMMIT_MESSAGE, relative_paths

    lines = [f"created {path}" for path in done.created]
    goal_file = view.directory / "goals" / "goals.yaml"
    if done.git_initialized:
        lines.append(f"initialized a git repository in {done.root}")
    if done.commit:
        lines.append(f"committed {done.commit[:10]} {FIRST_COMMIT_MESSAGE}")
        lines.append(f"next: edit {goal_file}, run smartgoals check, and log a value")
        return lines
    if done.not_committed:
        lines.append(f"not committed ({done.not_committed})")
    paths = " ".join(quote(rel) for rel in relative_paths(done.root, done.created))
    git = f"git -C {quote(str(done.root))}"
    lines.append(
        f"next: edit {goal_file}, run smartgoals status, and commit the new files: "
        f"{git} add -- {paths} && {git} commit -m {quote(FIRST_COMMIT_MESSAGE)}"
    )
    return lines


def sync_lines(view: SyncView) -> list[str]:
    done = view.synced
    came = f"{done.brought_in} commit(s) from {done.upstream}"
    lines = {
        "up to date": [f"{done.branch} has everything from {done.upstream}"],
        "fast-forward": [f"fast-forwarded {done.branch} by {came}"],
        "rebase": [f"rebased {done.branch} onto {came}"],
        "merge": [f"merged {came} into {done.branch}"],
    }[done.how]
    if view.problems:
        lines.append(
            f"not pushed: the ledger has {len(view.problems)} problem(s) after the merge "
            "(listed above); fix them, commit, and sync again"
        )
    elif done.pushed:
        lines.append(f"pushed {done.sent} commit(s) to {done.upstream} ({done.commit[:10]})")
    elif done.sent == 0:
        lines.append(f"nothing to push: {done.upstream} has every commit")
    elif not view.push_wanted:
        lines.append(f"not pushed (--no-push): {done.sent} commit(s) ahead of {done.upstream}")
    return lines


def schema_lines(view: SchemaView) -> list[str]:
    if view.check_only:
        return [] if view.paths else ["schemas are up to date"]
    return [f"wrote {path}" for path in view.paths] or ["schemas are up to date"]


def explain_lines(view: ExplainView) -> list[str]:
    """`explain`: the goal, then each target's steps, numbered, in the order they apply."""
    lines = [f"{view.title} ({view.goal}): {view.status} as of {view.as_of.isoformat()}"]
    lines += [f"  {step.name}: {step.text}" for step in view.steps]
    for target in view.targets:
        lines += ["", f"{target.metric_name} [{target.metric}]: {target.status}"]
        lines += [
            f"  {number}. {step.name}: {step.text}"
            for number, step in enumerate(target.steps, start=1)
        ]
    return lines


def batch_lines(view: BatchView) -> list[str]:
    lines = [
        f"{e.metric.id} = {value_text(e.metric, e.value) if e.value_text else 'none'} on "
        f"{e.day.isoformat()}" + (f"  ({e.note})" if e.note.startswith("correction:") else "")
        for e in view.entries
    ]
    done = view.written
    count = f"{len(view.entries)} value{'s' if len(view.entries) != 1 else ''}"
    if done.commit:
        lines.append(f"{count}: committed {done.commit[:10]}")
    else:
        lines.append(f"{count}: not committed ({done.not_committed_reason})")
    return lines


def refused_lines(view: RefusedView) -> list[str]:
    count = len(view.problems)
    return [f"nothing was recorded: {count} problem{'s' if count != 1 else ''}"]


def undo_lines(view: UndoView) -> list[str]:
    from smartgoals.commands.undo import preview_lines

    lines = preview_lines(view.plan)[1:]
    info, done = view.plan.commit, view.written
    rows = f"{len(view.plan.entries)} correction row{'s' if len(view.plan.entries) != 1 else ''}"
    if view.plan.withdrawals:
        count = len(view.plan.withdrawals)
        rows += f" and {count} check-in withdrawal{'s' if count != 1 else ''}"
    where = (
        f"committed {done.commit[:10]}"
        if done.commit
        else f"not committed ({done.not_committed_reason})"
    )
    return [f"undid {info.short} ({info.message}): {rows} {where}", *lines]


def due_lines(view: DueView) -> list[str]:
    found = view.due
    when = view.as_of.isoformat() + (f" (and within {view.within} days)" if view.within else "")
    if not view.anything:
        return [f"nothing is due on {when}"]
    lines = [f"due on {when}:"]
    if found.metrics:
        lines.append(f"metrics to record ({len(found.metrics)}):")
        rows: list[tuple[str, ...]] = []
        for item in found.metrics:
            last = (
                f"last {value_text(item.metric, item.last_value)} on {item.last_date.isoformat()}"
                if item.last_date is not None
                else "never recorded"
            )
            since = "" if item.due is None else ("stale since " if item.overdue else "stale from ")
            rows.append(
                (
                    "  " + item.metric.id,
                    item.metric.cadence or "",
                    last,
                    since + (item.due.isoformat() if item.due else ""),
                )
            )
        lines += align(rows)
    if found.reviews:
        lines.append(f"reviews ({len(found.reviews)}):")
        rows = []
        for review in found.reviews:
            last = review.last_checkin.isoformat() if review.last_checkin else "none"
            when_due = ("due since " if review.overdue else "due from ") + review.due.isoformat()
            rows.append(
                (
                    "  " + review.goal.id,
                    review.cadence,
                    review.what,
                    when_due,
                    f"last check-in {last}",
                )
            )
        lines += align(rows)
    if found.risks:
        since = (
            f"since the last check-in ({found.last_checkin.isoformat()})"
            if found.last_checkin
            else "(no check-in yet)"
        )
        lines.append(f"risks triggered {since} ({len(found.risks)}):")
        lines += [f"  {risk.risk.id}  {risk.risk.title}" for risk in found.risks]
    return lines


def checkin_lines(view: CheckinView) -> list[str]:
    done = view.written
    values = f"{len(view.entries)} value{'s' if len(view.entries) != 1 else ''}"
    goals = f"{len(view.judgements)} goal{'s' if len(view.judgements) != 1 else ''}"
    return [
        f"check-in {view.day.isoformat()}: {values}, {goals}: committed {(done.commit or '')[:10]}"
    ]
