"""The ledger through time: a ledger as committed at a revision, a semantic diff of two ledgers
(goals, targets, observations, statuses), a metric's history with who recorded what, and the
history of targets. Git is read through vcs.py; nothing is checked out."""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import GitError
from .evaluation import Evaluation, GoalStatus
from .ledger import Definitions, load_ledger
from .records import GoalDef, Ledger, MetricDef, Rung, TargetDef
from .rendering.cells import rung_text, value_text
from .vcs import CommitInfo, Snapshot, goal_file_commits, open_history, resolve, snapshot


def _materialize(files: dict[str, bytes], folder: Path) -> None:
    (folder / "goals").mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        (folder / rel).write_bytes(data)


def ledger_at(root: Path, rev: str) -> tuple[Ledger, CommitInfo]:
    """The ledger exactly as committed at rev: read from git objects, never checked out."""
    repo, prefix = open_history(root)
    commit = resolve(repo, rev)
    shot = snapshot(repo, commit, prefix)
    if not any(rel.startswith("goals/") for rel in shot.files):
        where = prefix.rstrip("/") or "the top of the repository"
        raise GitError(f"{rev} ({shot.commit.short}) has no ledger in {where}: no goals/ files")
    return _ledger_of(shot), shot.commit


def _ledger_of(shot: Snapshot) -> Ledger:
    with tempfile.TemporaryDirectory(prefix="smartgoals-rev-") as folder:
        _materialize(shot.files, Path(folder))
        return load_ledger(Path(folder), use_cache=False)


_DEFINITIONS: dict[str, Definitions] = {}


def _definitions_of(files: dict[str, bytes]) -> Definitions:
    """Definitions from goal files' bytes, memoised by content (commits share most files)."""
    from .documents import read_definitions

    wanted = {rel: data for rel, data in files.items() if rel != "goals/log.csv"}
    key = hashlib.sha256(
        b"".join(
            rel.encode() + b"\0" + hashlib.sha256(d).digest() for rel, d in sorted(wanted.items())
        )
    ).hexdigest()
    if key not in _DEFINITIONS:
        with tempfile.TemporaryDirectory(prefix="smartgoals-rev-") as folder:
            _materialize(wanted, Path(folder))
            _DEFINITIONS[key] = read_definitions(Path(folder))
    return _DEFINITIONS[key]


# --- comparing targets -----------------------------------------------------------------------


def _rung_json(metric: MetricDef, rung: Rung) -> dict[str, Any]:
    return {
        "text": rung_text(metric, rung, plain=True),
        "op": rung.op,
        "value": rung.value,
        "high": rung.high,
        "due": rung.due.isoformat() if rung.due else None,
    }


def _eased(old: Rung, new: Rung) -> bool | None:
    """True when new asks for less than old, False when more, None when neither or mixed."""
    easier = harder = False
    if old.due and new.due and old.due != new.due:
        easier |= new.due > old.due
        harder |= new.due < old.due
    if old.op == new.op and old.op in (">=", ">") and old.value != new.value:
        easier |= new.value < old.value
        harder |= new.value > old.value
    elif old.op == new.op and old.op in ("<=", "<") and old.value != new.value:
        easier |= new.value > old.value
        harder |= new.value < old.value
    elif old.op == new.op == ".." and (old.value, old.high) != (new.value, new.high):
        wider = new.value <= old.value and (new.high or 0) >= (old.high or 0)
        narrower = new.value >= old.value and (new.high or 0) <= (old.high or 0)
        easier |= wider
        harder |= narrower
    if easier and not harder:
        return True
    if harder and not easier:
        return False
    return None


def compare_targets(
    metric: MetricDef, old: TargetDef | None, new: TargetDef | None
) -> dict[str, Any] | None:
    """What changed in one target (None if nothing): rungs added, removed, moved or changed."""
    if old is None and new is None:
        return None
    if old is None or new is None:
        present = new or old
        assert present is not None
        return {
            "change": "added" if old is None else "removed",
            "old": None if old is None else [_rung_json(metric, r) for r in old.rungs],
            "new": None if new is None else [_rung_json(metric, r) for r in new.rungs],
            "eased": None,
        }
    if old.rungs == new.rungs and old.baseline == new.baseline and old.start == new.start:
        return None
    verdicts = [_eased(a, b) for a, b in zip(old.rungs, new.rungs, strict=False)]
    if len(new.rungs) < len(old.rungs):
        verdicts.append(True)  # a rung dropped asks for less
    elif len(new.rungs) > len(old.rungs):
        verdicts.append(False)
    known = {v for v in verdicts if v is not None}
    eased = None if len(known) != 1 else known.pop()
    return {
        "change": "changed",
        "old": [_rung_json(metric, r) for r in old.rungs],
        "new": [_rung_json(metric, r) for r in new.rungs],
        "eased": eased,
    }


def _pair_targets(
    a: GoalDef | None, b: GoalDef | None
) -> list[tuple[str, TargetDef | None, TargetDef | None]]:
    """Targets of two versions of a goal, matched by metric and order of appearance."""

    def keyed(goal: GoalDef | None) -> dict[tuple[str, int], TargetDef]:
        found: dict[tuple[str, int], TargetDef] = {}
        for target in goal.targets if goal else ():
            count = sum(1 for k in found if k[0] == target.metric)
            found[(target.metric, count)] = target
        return found

    old, new = keyed(a), keyed(b)
    return [(key[0], old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new])]


def _renames(old: dict[str, Any], new: dict[str, Any], same: Any) -> dict[str, str]:
    """old id -> new id for items that disappeared and reappeared under another id."""
    gone = [k for k in old if k not in new]
    came = [k for k in new if k not in old]
    result: dict[str, str] = {}
    for key in gone:
        for candidate in came:
            if candidate not in result.values() and same(old[key], new[candidate]):
                result[key] = candidate
                break
    return result


def _same_goal(a: GoalDef, b: GoalDef) -> bool:
    return a.title == b.title or [t.rungs for t in a.targets] == [t.rungs for t in b.targets]


# --- the diff ----------------------------------------------------------------------------------


def _status_map(evaluation: Evaluation) -> dict[str, GoalStatus]:
    return {g.goal.id: g for g in evaluation.goals}


def diff(
    a: Ledger, b: Ledger, ea: Evaluation, eb: Evaluation, include_all: bool = False
) -> dict[str, Any]:
    """Everything that differs between two ledgers judged at the same date, as plain data."""
    goals_a = {g.id: g for g in a.goals}
    goals_b = {g.id: g for g in b.goals}
    renamed = _renames(goals_a, goals_b, _same_goal)
    metric_renames = _renames(a.metrics, b.metrics, lambda x, y: x.name == y.name)
    result: dict[str, Any] = {
        "goals": {
            "added": [
                {"id": g, "title": goals_b[g].title}
                for g in goals_b
                if g not in goals_a and g not in renamed.values()
            ],
            "removed": [
                {"id": g, "title": goals_a[g].title}
                for g in goals_a
                if g not in goals_b and g not in renamed
            ],
            "renamed": [{"from": old, "to": new} for old, new in renamed.items()],
        },
        "metrics": {
            "added": sorted(
                m for m in b.metrics if m not in a.metrics and m not in metric_renames.values()
            ),
            "removed": sorted(
                m for m in a.metrics if m not in b.metrics and m not in metric_renames
            ),
            "renamed": [{"from": old, "to": new} for old, new in metric_renames.items()],
        },
        "targets": [],
        "observations": [],
        "statuses": [],
    }
    status_a, status_b = _status_map(ea), _status_map(eb)
    pairs = [(g, g) for g in goals_a if g in goals_b] + list(renamed.items())
    for old_id, new_id in pairs:
        ga, gb = goals_a[old_id], goals_b[new_id]
        for metric_id, ta, tb in _pair_targets(ga, gb):
            metric = b.metrics.get(metric_id) or a.metrics[metric_id]
            change = compare_targets(metric, ta, tb)
            if change:
                result["targets"].append({"goal": new_id, "metric": metric_id, **change})
        sa, sb = status_a.get(old_id), status_b.get(new_id)
        if sa and sb and (include_all or sa.status != sb.status):
            result["statuses"].append(
                {"goal": new_id, "target": None, "old": sa.status, "new": sb.status}
            )
        if sa and sb:
            old_targets = {(t.metric.id, i): t for i, t in enumerate(sa.targets)}
            for index, tb_status in enumerate(sb.targets):
                ta_status = old_targets.get((tb_status.metric.id, index))
                if ta_status and (include_all or ta_status.status != tb_status.status):
                    result["statuses"].append(
                        {
                            "goal": new_id,
                            "target": tb_status.metric.id,
                            "old": ta_status.status,
                            "new": tb_status.status,
                        }
                    )
    for metric_id in sorted(set(a.metrics) | set(b.metrics)):
        metric = b.metrics.get(metric_id) or a.metrics[metric_id]
        if metric.formula is not None:
            continue  # derived values follow their inputs
        rows_a = _rows(a, metric_id)
        rows_b = _rows(b, metric_id)
        added = [r for r in rows_b if r not in rows_a]
        removed = [r for r in rows_a if r not in rows_b]
        current_a = _current(a, metric_id, ea.as_of)
        current_b = _current(b, metric_id, eb.as_of)
        if added or removed or include_all:
            result["observations"].append(
                {
                    "metric": metric_id,
                    "added": [_row_json(metric, r) for r in added],
                    "removed": [_row_json(metric, r) for r in removed],
                    "current": {
                        "old": _value_json(metric, current_a),
                        "new": _value_json(metric, current_b),
                    },
                }
            )
    structural = any(result["goals"].values()) or any(result["metrics"].values())
    result["changed"] = bool(
        structural
        or result["targets"]
        or any(o["added"] or o["removed"] for o in result["observations"])
        or any(s["old"] != s["new"] for s in result["statuses"])
    )
    return result


def _rows(ledger: Ledger, metric_id: str) -> list[tuple[dt.date, float, str]]:
    one = ledger.series.get(metric_id)
    if one is None:
        return []
    return list(zip(one.dates, one.values, one.notes, strict=True))


def _current(ledger: Ledger, metric_id: str, as_of: dt.date) -> float | None:
    one = ledger.series.get(metric_id)
    if one is None:
        return None
    count = one.count_until(as_of)
    return one.values[count - 1] if count else None


def _value_json(metric: MetricDef, value: float | None) -> Any:
    if value is None:
        return None
    if metric.is_stage:
        return metric.stage_name(value)
    return int(value) if value == int(value) else value


def _row_json(metric: MetricDef, row: tuple[dt.date, float, str]) -> dict[str, Any]:
    return {
        "date": row[0].isoformat(),
        "value": _value_json(metric, row[1]),
        "note": row[2] or None,
    }


# --- a metric's history and target history -------------------------------------------------------


@dataclass(frozen=True)
class TargetChange:
    commit: CommitInfo
    goal: str
    metric: str
    change: dict[str, Any]


def target_history(
    root: Path, metric: str | None = None, goal: str | None = None
) -> list[TargetChange]:
    """Every commit that changed a target (of this metric, or of this goal under any of the ids
    it has had), oldest first."""
    repo, prefix = open_history(root)
    per_commit: list[tuple[list[TargetChange], dict[str, str]]] = []
    for info, parents in goal_file_commits(repo, prefix):
        after = _definitions_of(snapshot(repo, repo.commit(info.sha), prefix).files)
        before_files = snapshot(repo, repo.commit(parents[0]), prefix).files if parents else {}
        before = _definitions_of(before_files)
        goals_before = {g.id: g for g in before.goals}
        goals_after = {g.id: g for g in after.goals}
        renamed = _renames(goals_before, goals_after, _same_goal)
        back = {new: old for old, new in renamed.items()}
        found: list[TargetChange] = []
        for goal_id in dict.fromkeys([*goals_before, *goals_after]):
            if goal_id in renamed:
                continue  # compared under its new id
            old_goal = goals_before.get(back.get(goal_id, goal_id))
            new_goal = goals_after.get(goal_id)
            for metric_id, old, new in _pair_targets(old_goal, new_goal):
                if metric is not None and metric_id != metric:
                    continue
                definition = after.metrics.get(metric_id) or before.metrics.get(metric_id)
                if definition is not None and (change := compare_targets(definition, old, new)):
                    found.append(TargetChange(info, goal_id, metric_id, change))
        per_commit.append((found, renamed))
    if goal is None:
        return [change for found, _ in per_commit for change in found]
    # follow the goal back through its renames: newest commit first
    names = {goal}
    kept: list[TargetChange] = []
    for found, renamed in reversed(per_commit):
        kept[:0] = [change for change in found if change.goal in names]
        names |= {old for old, new in renamed.items() if new in names}
    return kept


def metric_history(
    root: Path, ledger: Ledger, metric_id: str, since: dt.date | None
) -> dict[str, Any]:
    """Each observation of a metric with its change and who recorded it; its target history."""
    from .vcs import appended_by, blame

    metric = ledger.metrics[metric_id]
    one = ledger.series.get(metric_id)
    blamed: dict[int, Any] = {}
    reason = None
    targets: list[TargetChange] = []
    try:
        repo, prefix = open_history(root)
        if metric.formula is None:
            journal = root / "goals" / "log.csv"
            current = journal.read_bytes() if journal.exists() else b""
            found = appended_by(repo, prefix + "goals/log.csv", current)
            blamed = found if found is not None else blame(repo, prefix + "goals/log.csv")
        targets = target_history(root, metric=metric_id)
    except GitError as exc:
        reason = str(exc)
    observations = []
    previous: float | None = None
    rows = zip(one.dates, one.values, one.notes, one.lines, strict=True) if one else iter(())
    for day, value, note, line in rows:
        change: float | None = None
        if previous is not None and not metric.is_stage:
            change = value - previous
        previous = value
        if since is not None and day < since:
            continue
        who = blamed.get(line)
        entry: dict[str, Any] = {
            "date": day.isoformat(),
            "value": _value_json(metric, value),
            "change": None if change is None else _value_json(metric, round(change, 6)),
            "note": note or None,
            "line": line or None,
            "committed": None,
            "commit": None,
            "author": None,
            "recorded_at": None,
        }
        if metric.formula is None and reason is None:
            commit = who.commit if who is not None else None
            entry["committed"] = commit is not None
            if commit is not None:
                entry["commit"] = commit.sha
                entry["author"] = commit.author
                entry["recorded_at"] = commit.date.isoformat()
        observations.append(entry)
    return {
        "metric": metric_id,
        "name": metric.name,
        "unit": metric.unit,
        "derived": metric.formula is not None,
        "observations": observations,
        "targets": [
            {
                "commit": c.commit.sha,
                "author": c.commit.author,
                "date": c.commit.date.isoformat(),
                "message": c.commit.message,
                "goal": c.goal,
                **c.change,
            }
            for c in targets
        ],
        "git": reason is None,
        "reason": reason,
    }


def format_value(metric: MetricDef, value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return value_text(metric, float(value))
