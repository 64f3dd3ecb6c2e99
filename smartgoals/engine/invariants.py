"""What no judgement may say: the invariants of issue 27, as a pure check over an evaluation."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from smartgoals.engine.judgement import (
    ACHIEVED,
    NO_DATA,
    ON_TRACK,
    PENDING,
    REACHED,
    Evaluation,
    TargetStatus,
)

PACED = frozenset({"on_track", "at_risk", "off_track"})


def _eta_not_past(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    found = t.forecast
    if found is None or found.eta is None or t.status in REACHED or found.verdict == "reached":
        return
    if found.eta < evaluation.as_of:
        yield f"ETA {found.eta.isoformat()} before the as-of date, target not reached"


def _on_track_inside_band(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    share = t.variance_share
    if t.status == ON_TRACK and share is not None and share < 0 and t.beyond_band:
        yield f"on_track with a variance of {share:.0%} of the distance, beyond the band"


def _achieved_meets(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    if t.status != ACHIEVED:
        return
    if t.rung.hold:
        if t.breaches:
            yield "achieved with breaches"
        return
    if t.periods is not None:
        decided = [p for p in t.periods if p.finished or p.status == ACHIEVED]
        if decided and decided[-1].value is not None and not t.rung.met_by(decided[-1].value):
            yield f"achieved, but period {decided[-1].label} does not meet the target"
        return
    value = t.value_at_basis
    if value is None or not t.rung.met_by(value):
        yield f"achieved with a judged value {value} that does not meet the target"


def _rungs_wait_for_their_window(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    steps = t.steps or ()
    for i in range(1, len(steps)):
        previous_due = steps[i - 1].rung.due
        opened = previous_due is not None and evaluation.as_of > previous_due
        if not opened and steps[i].status != PENDING:
            yield f"rung {i + 1} judged {steps[i].status} before its window opens"


def _rate_has_no_progress(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    # a mix has no pace either, but its progress is its score (engine/mix.py)
    rate = t.target.pace == "none" and not t.target.mix
    if rate and t.progress is not None and t.progress != 1.0:
        yield f"a rate (pace: none) with progress {t.progress:.0%}"


def _score_clamped(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    if t.score is not None and not 0.0 <= t.score <= 1.0:
        yield f"score {t.score} outside 0..1"


def _one_basis(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    """A paced verdict of a dated target is at its one basis date: the latest observation for a
    level, the as-of date for events and stages."""
    if t.status not in PACED or t.periods is not None or t.rung.hold or t.basis_date is None:
        return
    events = t.metric.is_stage or t.metric.aggregate == "sum"
    wanted = evaluation.as_of if events else t.current_date
    if t.basis_date != wanted:
        yield f"judged at {t.basis_date.isoformat()}, its basis date is {wanted}"


def _quota_never_no_data(t: TargetStatus, evaluation: Evaluation) -> Iterator[str]:
    if t.status == NO_DATA and any(p.finished for p in t.periods or ()):
        yield "a quota with finished periods reads no_data"


TARGET_INVARIANTS: tuple[Callable[[TargetStatus, Evaluation], Iterator[str]], ...] = (
    _eta_not_past,
    _on_track_inside_band,
    _achieved_meets,
    _rungs_wait_for_their_window,
    _rate_has_no_progress,
    _score_clamped,
    _one_basis,
    _quota_never_no_data,
)


def check_invariants(evaluation: Evaluation) -> list[str]:
    """Every impossible row in the evaluation, as `goal / metric: what is wrong`; [] when none."""
    found: list[str] = []
    for goal in evaluation.goals:
        for t in goal.targets:
            for check in TARGET_INVARIANTS:
                found.extend(f"{goal.goal.id} / {t.metric.id}: {w}" for w in check(t, evaluation))
        observed = any(t.current is not None for t in goal.targets)
        if goal.status == NO_DATA and observed:
            found.append(f"{goal.goal.id}: no_data while a target has an observation")
    return found
