"""`close`: a period judged at its last day and graded, the grades appended to
reviews/<period>.csv with the retrospective's notes started and the unfinished targets rolled
over, in one commit tagged goals/<period>."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from pathlib import Path

from smartgoals.engine.evaluation import evaluate
from smartgoals.engine.grading import grade_period
from smartgoals.engine.reporting import Calibration
from smartgoals.errors import GitError, InvalidInputError, Problem
from smartgoals.files import GOALS_DIR, is_goal_file, read_work_tree
from smartgoals.ledger.loader import load_definitions_at, load_ledger
from smartgoals.ledger.model import Ledger
from smartgoals.ledger.reviews import HEADER_LINE, UNGRADED, review_path
from smartgoals.periods import Period, following, parse_span
from smartgoals.revisions.calibration import baseline_ledger, calibration
from smartgoals.vcs.repo import find_work_tree
from smartgoals.vcs.tags import make_tag, period_tag, tag_exists
from smartgoals.views.close import ClosePlan, CloseView
from smartgoals.write.batch import commit_batch
from smartgoals.write.closing import (
    HumanGrade,
    notes_text,
    review_rows,
    reviews_text,
    rollover_text,
)
from smartgoals.write.recording import Batch, FileAppend, Refused, Written

NOTES_DIR = "reports/notes"
GRADE_FIELDS = ("goal", "grade", "note", "reason")


class AlreadyClosedError(InvalidInputError):
    """The period has a reviews file or a tag already: closing it again needs --amend."""


def _span(text: str, today: dt.date) -> Period:
    try:
        period = parse_span(text)
    except ValueError as exc:
        raise InvalidInputError(f"close {text}: {exc}") from None
    if period.last >= today:
        raise InvalidInputError(
            f"{period.text} ends on {period.last.isoformat()}: close it after its last day"
        )
    return period


def _rollover_path(root: Path, given: str | None) -> str | None:
    """--roll-over FILE as a ledger-relative goal file under goals/."""
    if given is None:
        return None
    path = Path(given)
    path = path if path.is_absolute() else Path.cwd() / path
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = given
    folder, _, name = rel.rpartition("/")
    if folder != GOALS_DIR or not is_goal_file(name):
        raise InvalidInputError(
            f"--roll-over {given}: a new goal file in {GOALS_DIR}/, such as goals/2027-q1.yaml"
        )
    if (root / rel).exists() or (root / rel).is_symlink():
        raise InvalidInputError(f"--roll-over {given}: exists already; goal files are never edited")
    return rel


def _closed(root: Path, tag: str, period: str) -> bool:
    work_tree = find_work_tree(root)
    found = work_tree is not None and tag_exists(work_tree, tag)
    return found or (root / review_path(period)).exists()


def _calibration(
    root: Path, ledger: Ledger, period: Period
) -> tuple[tuple[Calibration, ...], str | None]:
    """Targets eased or tightened in the period: between the last commit before its first day
    and the last commit on or before its last day (the working tree when there is none: a
    ledger whose history starts after the period), each with its commit (see report)."""
    start = period.first - dt.timedelta(days=1)
    try:
        base, baseline, repo = baseline_ledger(root, ledger, None, start)
        end = baseline_ledger(root, ledger, None, period.last)[0]
    except GitError as exc:
        return (), str(exc)
    before, now = evaluate(base, baseline.date), evaluate(end, period.last)
    changes, why = calibration(root, repo, base, end, before, now, baseline)
    return tuple(changes), why


def plan_close(
    root: Path, today: dt.date, period_text: str, roll_over: str | None = None, amend: bool = False
) -> ClosePlan:
    """The period judged at its last day, graded, with its calibration; InvalidInputError
    when it is not over, has problems, or was closed already (unless amend)."""
    period = _span(period_text, today)
    tag = period_tag(period.text)
    closed = _closed(root, tag, period.text)
    if closed and not amend:
        raise AlreadyClosedError(
            f"{period.text} is closed already ({review_path(period.text)} or the tag {tag}); "
            "close --amend appends grades that supersede its rows"
        )
    if amend and not closed:
        raise InvalidInputError(f"{period.text} is not closed yet: there is nothing to amend")
    ledger = load_ledger(root, judged=True, until=period.last)
    if ledger.problems:
        raise InvalidInputError(
            f"the ledger has {len(ledger.problems)} problem(s): smartgoals check lists them; "
            "nothing was written"
        )
    grades = grade_period(evaluate(ledger, period.last), period.first, period.last)
    changes, why = _calibration(root, load_ledger(root), period)
    notes = f"{NOTES_DIR}/{period.text}.md"
    return ClosePlan(
        period,
        following(period),
        tag,
        grades,
        changes,
        why,
        amend,
        None if (root / notes).exists() else notes,
        _rollover_path(root, roll_over),
    )


def read_grades(path: Path) -> dict[str, HumanGrade]:
    """--grades FILE: CSV with a goal,grade,note,reason header, or YAML (a list of mappings
    with those keys, or goal: {grade, note, reason}); InvalidInputError names what is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"--grades {path}: cannot read it ({exc})") from None
    if path.suffix.lower() == ".csv":
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
    else:
        import yaml

        try:
            loaded = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInputError(f"--grades {path}: not YAML ({exc})") from None
        if isinstance(loaded, dict):
            loaded = [
                {"goal": k, **(v if isinstance(v, dict) else {"grade": v})}
                for k, v in loaded.items()
            ]
        rows = loaded if isinstance(loaded, list) else []
    found: dict[str, HumanGrade] = {}
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not row.get("goal"):
            raise InvalidInputError(f"--grades {path}: entry {number} names no goal")
        unknown = set(row) - set(GRADE_FIELDS)
        if unknown:
            raise InvalidInputError(
                f"--grades {path}: entry {number}: unknown field {sorted(unknown)[0]!r} "
                f"(use {', '.join(GRADE_FIELDS)})"
            )
        found[str(row["goal"])] = HumanGrade(
            str(row.get("grade") or "").strip().upper().replace("N/A", UNGRADED),
            str(row.get("note") or ""),
            str(row.get("reason") or ""),
        )
    return found


def _unknown_goals(plan: ClosePlan, human: Mapping[str, HumanGrade], rel: str) -> list[Problem]:
    graded = {goal.id for goal in plan.grades}
    return [
        Problem(rel, 0, 0, f"{goal!r} is not a goal active in {plan.period.text}", "goal")
        for goal in human
        if goal not in graded
    ]


def _batch(plan: ClosePlan, human: Mapping[str, HumanGrade], today: dt.date) -> Batch:
    rows = review_rows(plan.period.text, plan.grades, human, today)
    files = [FileAppend(review_path(plan.period.text), reviews_text(rows), HEADER_LINE)]
    if plan.notes_path is not None:
        files.append(FileAppend(plan.notes_path, notes_text(plan.period.text)))
    rolled = rollover_text(plan.grades, plan.period, plan.following)
    if plan.rollover_path is not None and rolled:
        files.append(FileAppend(plan.rollover_path, rolled, new=True))
    return Batch((), commit_subject(plan, human), None, True, tuple(files))


def commit_subject(plan: ClosePlan, human: Mapping[str, HumanGrade]) -> str:
    """`close 2026-Q4: 7 goals graded (A 2, B 1, C 3, D 1)`, one line per goal below."""
    counts: dict[str, int] = {}
    lines = []
    for goal in plan.grades:
        given = human.get(goal.id)
        grade = given.grade if given is not None and given.grade else goal.grade
        counts[grade] = counts.get(grade, 0) + 1
        mark = "" if grade == goal.grade else f" (computed {goal.grade})"
        lines.append(f"{goal.id}: {grade}{mark}")
    verb = "amended" if plan.amend else "closed"
    spread = ", ".join(f"{grade} {count}" for grade, count in sorted(counts.items()))
    subject = f"close {plan.period.text}: {len(plan.grades)} goals graded ({spread}), {verb}"
    return "\n".join([subject, "", *lines])


def _rollover_problems(root: Path, batch: Batch, plan: ClosePlan) -> list[Problem]:
    """The roll-over file read with the ledger, as check will read it: its own problems."""
    rolled = [extra for extra in batch.files if extra.path == plan.rollover_path]
    if not rolled:
        return []
    files = read_work_tree(root)
    files.files[rolled[0].path] = rolled[0].text.encode("utf-8")
    ledger = load_ledger(files, use_cache=False)
    return [p for p in ledger.problems if p.path == rolled[0].path]


def close(
    root: Path,
    today: dt.date,
    plan: ClosePlan,
    human: Mapping[str, HumanGrade],
    dry_run: bool = False,
    grades_file: str = "--grades",
) -> CloseView:
    """Write the close (or, dry_run, say what would be written): one commit through the write
    path, then the annotated tag (not on --amend: the tag names the ledger as first closed)."""
    batch = _batch(plan, human, today)
    problems = _unknown_goals(plan, human, grades_file) + _rollover_problems(root, batch, plan)
    if problems:
        return CloseView(plan, batch, human, Refused(tuple(problems)), dry_run)
    if dry_run:
        return CloseView(plan, batch, human, None, dry_run)
    done: Written | Refused = commit_batch(root, batch, load_definitions_at(root))
    if isinstance(done, Written) and done.commit is not None and not plan.amend:
        work_tree = find_work_tree(root)
        assert work_tree is not None  # a close is committed only inside git
        message = batch.message.replace("close ", "goals ", 1)
        try:
            make_tag(work_tree, plan.tag, done.commit, message)
        except GitError as exc:
            warning = f"{exc}; the close is committed as {done.commit[:10]} without its tag"
            done = done._replace(warnings=(*done.warnings, warning))
    return CloseView(plan, batch, human, done, dry_run)
