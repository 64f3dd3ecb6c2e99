"""Two ledgers compared, judged at the same date: goals and metrics added, removed or renamed,
targets eased or tightened, observations added or removed, status transitions.

Pure: it compares loaded ledgers and their evaluations, and knows nothing of git or of output
formats (history.py finds the ledgers; rendering/ turns the result into JSON or text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, NamedTuple, TypeVar

from smartgoals.engine.evaluation import Evaluation, GoalStatus, Status
from smartgoals.engine.mix import mix_metric
from smartgoals.ledger.model import GoalDef, Ledger, MetricDef, Rung, TargetDef

Kind = Literal["added", "removed", "changed"]
Row = tuple[dt.date, float, str]  # date, value, note
T = TypeVar("T")


class TargetChange(NamedTuple):
    """One target that differs: its rungs before and after, and whether it asks for less."""

    goal: str
    metric: MetricDef
    change: Kind
    old: tuple[Rung, ...] | None
    new: tuple[Rung, ...] | None
    eased: bool | None  # True: asks for less; False: asks for more; None: neither or mixed
    reasons: tuple[str, ...] = ()  # `reason:` texts on the new side that are new or changed
    # a mix's parts before and after, (part, metric id, planned share in %): a re-plan of the
    # shares is a change that neither eases nor tightens (the tolerance is the rung)
    old_mix: tuple[tuple[str, str, float], ...] = ()
    new_mix: tuple[tuple[str, str, float], ...] = ()


def new_reasons(old: TargetDef | None, new: TargetDef | None) -> tuple[str, ...]:
    """The `reason:` texts of the new target (its own, then its rungs') that the old one did
    not have at the same place: a reason added or changed with the change."""
    if new is None:
        return ()
    old_own = old.reason if old else None
    old_rungs = old.rung_reasons if old else ()
    found = [new.reason] if new.reason and new.reason != old_own else []
    for index, text in enumerate(new.rung_reasons):
        if text and (index >= len(old_rungs) or old_rungs[index] != text):
            found.append(text)
    return tuple(found)


class StatusChange(NamedTuple):
    goal: str
    target: str | None  # a metric id, or None for the goal itself
    old: Status
    new: Status


class ObservationChange(NamedTuple):
    metric: MetricDef
    added: tuple[Row, ...]
    removed: tuple[Row, ...]
    current_old: float | None
    current_new: float | None


class Renamed(NamedTuple):
    old: str
    new: str


class Diff(NamedTuple):
    goals_added: tuple[GoalDef, ...]
    goals_removed: tuple[GoalDef, ...]
    goals_renamed: tuple[Renamed, ...]
    metrics_added: tuple[str, ...]
    metrics_removed: tuple[str, ...]
    metrics_renamed: tuple[Renamed, ...]
    targets: tuple[TargetChange, ...]
    observations: tuple[ObservationChange, ...]
    statuses: tuple[StatusChange, ...]

    @property
    def changed(self) -> bool:
        return bool(
            self.goals_added
            or self.goals_removed
            or self.goals_renamed
            or self.metrics_added
            or self.metrics_removed
            or self.metrics_renamed
            or self.targets
            or any(o.added or o.removed for o in self.observations)
            or any(s.old != s.new for s in self.statuses)
        )


def eased(old: Rung, new: Rung) -> bool | None:
    """True when new asks for less than old, False when more, None when neither or mixed."""
    easier = harder = False
    if old.due and new.due and old.due != new.due:
        easier |= new.due > old.due
        harder |= new.due < old.due
    elif old.due and new.due is None:
        easier = True  # a due dropped (due: open): no date to meet any more
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
    goal: str, metric: MetricDef, old: TargetDef | None, new: TargetDef | None
) -> TargetChange | None:
    """What changed in one target (None if nothing): rungs added, removed, moved or changed."""
    if old is None and new is None:
        return None
    if old is None or new is None:
        kind: Kind = "added" if old is None else "removed"
        return TargetChange(
            goal,
            metric,
            kind,
            old.rungs if old else None,
            new.rungs if new else None,
            None,
            new_reasons(old, new),
            old.mix if old else (),
            new.mix if new else (),
        )
    same_mix = old.mix == new.mix
    if same_mix and (old.rungs, old.baseline, old.start) == (new.rungs, new.baseline, new.start):
        return None
    verdicts = [eased(a, b) for a, b in zip(old.rungs, new.rungs, strict=False)]
    if len(new.rungs) < len(old.rungs):
        verdicts.append(True)  # a rung dropped asks for less
    elif len(new.rungs) > len(old.rungs):
        verdicts.append(False)
    known = {v for v in verdicts if v is not None}
    verdict = None if len(known) != 1 else known.pop()
    reasons = new_reasons(old, new)
    return TargetChange(
        goal, metric, "changed", old.rungs, new.rungs, verdict, reasons, old.mix, new.mix
    )


def pair_targets(
    a: GoalDef | None, b: GoalDef | None
) -> list[tuple[str, TargetDef | None, TargetDef | None]]:
    """Targets of two versions of a goal, matched by metric and order of appearance."""

    def keyed(goal: GoalDef | None) -> dict[tuple[str, int], TargetDef]:
        found: dict[tuple[str, int], TargetDef] = {}
        seen: dict[str, int] = {}
        for target in goal.targets if goal else ():
            count = seen.get(target.metric, 0)
            seen[target.metric] = count + 1
            found[(target.metric, count)] = target
        return found

    old, new = keyed(a), keyed(b)
    return [(key[0], old.get(key), new.get(key)) for key in dict.fromkeys([*old, *new])]


def renames(
    old: Mapping[str, T], new: Mapping[str, T], same: Callable[[T, T], bool]
) -> dict[str, str]:
    """old id -> new id for items that disappeared and reappeared under another id."""
    gone = [k for k in old if k not in new]
    came = [k for k in new if k not in old]
    result: dict[str, str] = {}
    taken: set[str] = set()
    for key in gone:
        for candidate in came:
            if candidate not in taken and same(old[key], new[candidate]):
                result[key] = candidate
                taken.add(candidate)
                break
    return result


def same_goal(a: GoalDef, b: GoalDef) -> bool:
    return a.title == b.title or [t.rungs for t in a.targets] == [t.rungs for t in b.targets]


def _rows(ledger: Ledger, metric_id: str, start: int = 0) -> list[Row]:
    one = ledger.series.get(metric_id)
    if one is None or start >= len(one.dates):  # none: its notes are not even read
        return []
    return list(zip(one.dates[start:], one.values[start:], one.notes[start:], strict=True))


_STRETCH = 1024  # rows compared at once: a journal cache page


def _stretch(one: Sequence[Any], other: Sequence[Any], start: int, stop: int) -> bool:
    """one[start:stop] == other[start:stop]; a journal cache's paged lists may know it from
    their pages' digests without reading them (ledger/pages.PagedList.same_stretch)."""
    known = getattr(one, "same_stretch", None)
    if known is not None and known(other, start, stop):
        return True
    return one[start:stop] == other[start:stop]


def common_prefix(a: Ledger, b: Ledger, metric_id: str) -> int:
    """How many rows the two series of a metric share from their start (both are in date
    order, and an append-only journal mostly grows at the end). Compared a stretch of rows at
    a time as list slices in C (a stretch is a page of the journal cache's paged series, read
    once), and within the first stretch that differs by halving: linear in the rows, where
    halving over whole prefixes copied them about twenty times."""
    one, other = a.series.get(metric_id), b.series.get(metric_id)
    if one is None or other is None:
        return 0
    if one is other:  # a baseline that is this very ledger (report outside git): all of it
        return len(one.dates)

    def same(start: int, stop: int) -> bool:
        return (
            _stretch(one.dates, other.dates, start, stop)
            and _stretch(one.values, other.values, start, stop)
            and _stretch(one.notes, other.notes, start, stop)
        )

    shared = min(len(one.dates), len(other.dates))
    at = 0
    while at < shared and same(at, min(at + _STRETCH, shared)):
        at += _STRETCH
    if at >= shared:  # the common case: one side is the other plus rows dated after it
        return shared
    low, high = at, min(at + _STRETCH, shared) - 1  # rows before low are the same on both
    while low < high:
        middle = (low + high + 1) // 2
        if same(at, middle):
            low = middle
        else:
            high = middle - 1
    return low


def _current(ledger: Ledger, metric_id: str, as_of: dt.date) -> float | None:
    one = ledger.series.get(metric_id)
    if one is None:
        return None
    count = one.count_until(as_of)
    return one.values[count - 1] if count else None


def _multiset_difference(rows: list[Row], other: list[Row]) -> tuple[Row, ...]:
    """The rows of `rows` that `other` does not have, counting repeats; linear in both."""
    from collections import Counter

    left = Counter(other)
    result = []
    for row in rows:
        if left[row] > 0:
            left[row] -= 1
        else:
            result.append(row)
    return tuple(result)


def diff(a: Ledger, b: Ledger, ea: Evaluation, eb: Evaluation, include_all: bool = False) -> Diff:
    """Everything that differs between two ledgers judged at the same date."""
    goals_a = {g.id: g for g in a.goals}
    goals_b = {g.id: g for g in b.goals}
    renamed = renames(goals_a, goals_b, same_goal)
    metric_renames = renames(a.metrics, b.metrics, lambda x, y: x.name == y.name)
    targets: list[TargetChange] = []
    statuses: list[StatusChange] = []
    status_a: dict[str, GoalStatus] = {g.goal.id: g for g in ea.goals}
    status_b: dict[str, GoalStatus] = {g.goal.id: g for g in eb.goals}
    pairs = [(g, g) for g in goals_a if g in goals_b] + list(renamed.items())
    for old_id, new_id in pairs:
        for metric_id, ta, tb in pair_targets(goals_a[old_id], goals_b[new_id]):
            metric = b.metrics.get(metric_id) or a.metrics.get(metric_id)
            if metric is None:  # a mix: its id is no metric's
                metric = mix_metric(tb or ta)  # type: ignore[arg-type]  # one of them is set
            change = compare_targets(new_id, metric, ta, tb)
            if change:
                targets.append(change)
        sa, sb = status_a.get(old_id), status_b.get(new_id)
        if sa and sb and (include_all or sa.status != sb.status):
            statuses.append(StatusChange(new_id, None, sa.status, sb.status))
        if sa and sb:
            old_targets = {(t.metric.id, i): t for i, t in enumerate(sa.targets)}
            for index, tb_status in enumerate(sb.targets):
                ta_status = old_targets.get((tb_status.metric.id, index))
                if ta_status and (include_all or ta_status.status != tb_status.status):
                    statuses.append(
                        StatusChange(
                            new_id, tb_status.metric.id, ta_status.status, tb_status.status
                        )
                    )
    observations = []
    for metric_id in sorted(set(a.metrics) | set(b.metrics)):
        metric = b.metrics.get(metric_id) or a.metrics[metric_id]
        if metric.formula is not None:
            continue  # derived values follow their inputs
        shared = common_prefix(a, b, metric_id)  # rows both have cancel out: skip them
        rows_a, rows_b = _rows(a, metric_id, shared), _rows(b, metric_id, shared)
        added = _multiset_difference(rows_b, rows_a)
        removed = _multiset_difference(rows_a, rows_b)
        if added or removed or include_all:
            observations.append(
                ObservationChange(
                    metric,
                    added,
                    removed,
                    _current(a, metric_id, ea.as_of),
                    _current(b, metric_id, eb.as_of),
                )
            )
    return Diff(
        goals_added=tuple(
            goals_b[g] for g in goals_b if g not in goals_a and g not in renamed.values()
        ),
        goals_removed=tuple(goals_a[g] for g in goals_a if g not in goals_b and g not in renamed),
        goals_renamed=tuple(Renamed(old, new) for old, new in renamed.items()),
        metrics_added=tuple(
            sorted(m for m in b.metrics if m not in a.metrics and m not in metric_renames.values())
        ),
        metrics_removed=tuple(
            sorted(m for m in a.metrics if m not in b.metrics and m not in metric_renames)
        ),
        metrics_renamed=tuple(Renamed(old, new) for old, new in metric_renames.items()),
        targets=tuple(targets),
        observations=tuple(observations),
        statuses=tuple(statuses),
    )
