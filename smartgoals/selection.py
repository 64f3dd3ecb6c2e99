"""Choosing goals: --goal, --area and --owner, for every command that shows goals."""

from __future__ import annotations

from collections.abc import Sequence

from .engine import Evaluation
from .errors import InvalidInputError
from .suggest import suggest


def select(
    evaluation: Evaluation,
    goals: Sequence[str] = (),
    area: str | None = None,
    owner: str | None = None,
) -> Evaluation:
    """The evaluation restricted to the chosen goals; an unknown goal id is an error.

    Areas and owners match without regard to case; every filter given must match.
    """
    known = [g.goal.id for g in evaluation.goals]
    wanted = set(goals)
    unknown = sorted(wanted - set(known))
    if unknown:
        raise InvalidInputError(f"unknown goal {unknown[0]!r}{suggest(unknown[0], known)}")
    area_key = area.casefold() if area is not None else None
    owner_key = owner.casefold() if owner is not None else None
    return evaluation.only(
        tuple(
            g
            for g in evaluation.goals
            if (not wanted or g.goal.id in wanted)
            and (area_key is None or g.goal.area.casefold() == area_key)
            and (owner_key is None or (g.goal.owner or "").casefold() == owner_key)
        )
    )
