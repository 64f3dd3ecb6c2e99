"""What the goal files name but could not define, so that each mistake is reported once.

A metric declared with one bad field (`direction: lower`) still has an id: a target, formula,
risk or journal row naming it is not reported again as `unknown metric`. A goal file that does
not parse at all may define any id: references that nothing else defines are not reported one
by one, but counted once per referring file, with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from smartgoals.errors import Problem


class Gaps:
    def __init__(
        self,
        metrics: Iterable[str] = (),
        goals: Iterable[str] = (),
        unreadable: Iterable[str] = (),
    ) -> None:
        self.metrics = frozenset(metrics)  # ids declared with problems of their own
        self.goals = frozenset(goals)
        self.unreadable = tuple(unreadable)  # goal files with no usable content
        self._skipped: dict[str, list[Problem]] = {}

    def __bool__(self) -> bool:
        return bool(self.metrics or self.goals or self.unreadable)

    def unknown(self, kind: str, ident: str, problem: Problem) -> Problem | None:
        """problem, if the reference of that kind ('metric' or 'goal') is unknown for sure;
        None if ident has its own problem, or if an unreadable file may define it (counted)."""
        if ident in (self.metrics if kind == "metric" else self.goals):
            return None
        if self.unreadable:
            self._skipped.setdefault(problem.path, []).append(problem)
            return None
        return problem

    def summary(self, journal: str | Iterable[str] | None = None) -> list[Problem]:
        """One problem per file whose references were counted instead of reported; journal:
        the journal's file, or its files (goals/log.csv and its shards)."""
        journals = {journal} if isinstance(journal, str) else set(journal or ())
        found = []
        files = " and ".join(self.unreadable)
        for path, skipped in sorted(self._skipped.items()):
            first = min(skipped, key=lambda p: (p.line, p.column))
            count = len(skipped)
            if path in journals:
                rows = "row" if count == 1 else "rows"
                message = (
                    f"{count} journal {rows} not checked: {files} cannot be read, and may "
                    "define their metrics"
                )
            else:
                refs = "reference" if count == 1 else "references"
                message = (
                    f"{count} {refs} to metrics or goals not checked: {files} cannot be read, "
                    "and may define them"
                )
            found.append(Problem(path, first.line, first.column, message))
        return found
