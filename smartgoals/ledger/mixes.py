"""Mixes (`mix:` on a target): the parts of one whole, with their planned shares.

A mix is resolved here into a TargetDef whose `metric` is the mix's own id, whose `mix` holds
its parts (part, metric id, planned share in %) and whose one rung is `<= tolerance`, in
percentage points; the engine (engine/mix.py) judges it. The journal check of logged shares
that do not add up to 100% on one day is here too (mix_sum_problems).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from smartgoals.errors import Problem
from smartgoals.ledger.model import MetricDef, Rung, Series, TargetDef, Where
from smartgoals.periods import OPEN
from smartgoals.quantity import parse_quantity, unit_kind
from smartgoals.suggest import suggest

if TYPE_CHECKING:
    import datetime as dt

    from smartgoals.ledger.gaps import Gaps
    from smartgoals.ledger.goalfile import Goal, Target
    from smartgoals.ledger.yamlfile import Path_, YamlDocument

POINTS = "pp"  # the unit of a mix's deviation: percentage points
DEFAULT_TOLERANCE = 5.0  # points, when a mix gives no tolerance:
WHOLE = 100.0
SUM_SLACK = 0.01  # planned shares must add up to 100% within this many points
ROUNDING = 0.5  # logged shares of one day must add up to 100% within this many points
# keys that make no sense on a mix: a mix is judged by its parts' shares, not by a rung
_NOT_ON_A_MIX = ("metric", "target", "steps", "baseline", "every", "window", "grace")


def parse_points(raw: object, what: str = "tolerance") -> float:
    """`5pp`, `5 pp`, `5%` or `5` -> 5.0 percentage points."""
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and text.lower().endswith("pp"):
        text = text[:-2].strip()
    quantity = parse_quantity(text)
    if quantity.kind not in (None, "percent"):
        raise ValueError(f"{what} {raw!r} is not in percentage points (write e.g. 5pp)")
    return quantity.value


def plain_target_problem(target: Target, loc: Path_, doc: YamlDocument) -> bool:
    """A target that is not a mix: it needs metric:, and takes none of a mix's keys. Whether
    it had a problem (reported in doc)."""
    if target.metric is None:
        doc.problems.append(doc.problem(loc, "give metric: (or mix: with parts:, a mix)"))
        return True
    if mix_only := [k for k in ("parts", "tolerance", "name") if getattr(target, k) is not None]:
        key = mix_only[0]
        doc.problems.append(doc.problem((*loc, key), f"{key}: belongs to a mix (mix: ID)"))
        return True
    return False


def resolve_mix(
    target: Target,
    loc: Path_,
    goal: Goal,
    metrics: dict[str, MetricDef],
    doc: YamlDocument,
    gaps: Gaps | None = None,
) -> TargetDef | None:
    """A `mix:` target -> its TargetDef; its problems (at their key) reported in doc."""
    assert target.mix is not None
    ok = True
    for key in _NOT_ON_A_MIX:
        if getattr(target, key) not in (None, False):
            message = f"{key}: does not apply to a mix (its parts carry the metrics and shares)"
            doc.problems.append(doc.problem((*loc, key), message))
            ok = False
    if target.hold or target.pace != "linear" or target.breaches_in_a_row is not None:
        message = "a mix is judged by its parts' shares: hold:, pace: and breaches do not apply"
        doc.problems.append(doc.problem(loc, message))
        ok = False
    if target.mix in metrics:
        message = f"mix id {target.mix!r} is a metric's id: give the mix an id of its own"
        doc.problems.append(doc.problem((*loc, "mix"), message))
        ok = False
    parts = _parts(target, loc, metrics, doc, gaps)
    tolerance = _tolerance(target, loc, doc)
    if parts is None or tolerance is None or not ok:
        return None
    written_due = target.due or goal.due
    due = None if isinstance(written_due, str) else written_due
    start = target.start or goal.start
    if start and due and due.last < start.first:
        doc.problems.append(doc.problem((*loc, "due"), f"due is before the start ({start})"))
        return None
    rung = Rung("<=", tolerance, None, due.last if due else None, due.text if due else None)
    if written_due == OPEN:  # shown as its start and a plus, as targets.open_text does
        rung = rung._replace(due_text=f"{start}+" if start else OPEN, open_ended=True)
    line, column = doc.locate(loc)
    return TargetDef(
        metric=target.mix,
        rungs=(rung,),
        start=start.first if start else None,
        note=target.note,
        where=Where(doc.path, line, column),
        pace="none",
        weight=target.weight,
        reason=target.reason,
        stretch=target.stretch,
        mix=parts,
        name=target.name,
    )


def _parts(
    target: Target,
    loc: Path_,
    metrics: dict[str, MetricDef],
    doc: YamlDocument,
    gaps: Gaps | None,
) -> tuple[tuple[str, str, float], ...] | None:
    """The parts, each (part, metric, planned share); None after reporting a problem."""
    written = target.parts or {}
    if len(written) < 2:
        doc.problems.append(doc.problem((*loc, "parts"), "a mix needs parts: two or more"))
        return None
    found: list[tuple[str, str, float]] = []
    kinds: dict[str, str] = {}
    ok = True
    for part, spec in written.items():
        at = (*loc, "parts", part)
        metric = metrics.get(spec.metric)
        if metric is None:
            message = f"unknown metric {spec.metric!r}{suggest(spec.metric, metrics)}"
            problem: Problem | None = doc.problem((*at, "metric"), message)
            if gaps is not None and problem is not None:
                problem = gaps.unknown("metric", spec.metric, problem)
            if problem is not None:
                doc.problems.append(problem)
            ok = False
            continue
        if metric.is_stage:
            doc.problems.append(doc.problem((*at, "metric"), "a stage metric has no share"))
            ok = False
            continue
        kinds[part] = "share" if unit_kind(metric.unit) == "percent" else metric.unit
        try:
            share = parse_points(spec.share, "share")
        except ValueError as exc:
            doc.problems.append(doc.problem((*at, "share"), str(exc)))
            ok = False
            continue
        if not 0.0 <= share <= WHOLE:
            doc.problems.append(doc.problem((*at, "share"), f"share {spec.share!r} is not 0-100%"))
            ok = False
            continue
        found.append((part, metric.id, share))
    if len(set(kinds.values())) > 1:
        written_kinds = ", ".join(f"{part}: {kind}" for part, kind in kinds.items())
        message = (
            "the parts of a mix are all shares (unit: percent) or all amounts in one unit; "
            f"here {written_kinds}"
        )
        doc.problems.append(doc.problem((*loc, "parts"), message))
        ok = False
    if not ok:
        return None
    total = sum(share for _part, _metric, share in found)
    if abs(total - WHOLE) > SUM_SLACK:
        shares = " + ".join(f"{share:g}" for _part, _metric, share in found)
        message = f"the planned shares add up to {total:g}% ({shares}), not 100%"
        doc.problems.append(doc.problem((*loc, "parts"), message))
        return None
    return tuple(found)


def _tolerance(target: Target, loc: Path_, doc: YamlDocument) -> float | None:
    if target.tolerance is None:
        return DEFAULT_TOLERANCE
    try:
        tolerance = parse_points(target.tolerance)
    except ValueError as exc:
        doc.problems.append(doc.problem((*loc, "tolerance"), str(exc)))
        return None
    if not 0.0 < tolerance < WHOLE:
        message = f"tolerance {target.tolerance!r} must be above 0 and below 100pp"
        doc.problems.append(doc.problem((*loc, "tolerance"), message))
        return None
    return tolerance


def is_share_mix(target: TargetDef, metrics: dict[str, MetricDef]) -> bool:
    """Whether the mix's parts are shares (unit: percent) rather than amounts."""
    first = metrics.get(target.mix[0][1]) if target.mix else None
    return first is not None and unit_kind(first.unit) == "percent"


def mix_sum_problems(
    targets: list[tuple[str, TargetDef]],
    metrics: dict[str, MetricDef],
    series: dict[str, Series],
) -> list[Problem]:
    """Logged shares of one mix that do not add up to 100% (within ROUNDING) on a day when
    every part has a row: a problem at the day's last row (its journal file and line).

    targets: (goal id, target) pairs; only mixes of logged (not derived) shares are checked.
    """
    found: list[Problem] = []
    seen: set[tuple[tuple[str, str, float], ...]] = set()
    for goal_id, target in targets:
        if not target.mix or target.mix in seen or not is_share_mix(target, metrics):
            continue
        seen.add(target.mix)
        ids = [metric for _part, metric, _share in target.mix]
        if any(metrics[m].formula is not None for m in ids if m in metrics):
            continue
        days = _last_rows(ids, series)
        common = set.intersection(*(set(rows) for rows in days.values()))
        for day in sorted(common):
            total = sum(days[m][day][0] for m in ids)
            if abs(total - WHOLE) <= ROUNDING:
                continue
            path, line = max((days[m][day][1] for m in ids), key=lambda at: (at[0], at[1]))
            shares = " + ".join(f"{m} {days[m][day][0]:g}" for m in ids)
            message = (
                f"mix {target.metric} of {goal_id}: the shares logged on {day.isoformat()} add "
                f"up to {total:g}% ({shares}), not 100% (within {ROUNDING:g}pp)"
            )
            found.append(Problem(path, line, 0, message, "value"))
    return found


def _last_rows(
    ids: list[str], series: dict[str, Series]
) -> dict[str, dict[dt.date, tuple[float, tuple[str, int]]]]:
    """Per metric, per day: the day's value (its last row) and that row's (path, line)."""
    days: dict[str, dict[dt.date, tuple[float, tuple[str, int]]]] = {}
    for metric in ids:
        one = series.get(metric, Series())
        rows: dict[dt.date, tuple[float, tuple[str, int]]] = {}
        for index, day in enumerate(one.dates):
            rows[day] = (one.values[index], (one.path_of(index), one.lines[index]))
        days[metric] = rows
    return days
