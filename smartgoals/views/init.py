"""The `init` view: what a new ledger got (files, git, the first commit) and what to do next."""

from __future__ import annotations

from pathlib import Path
from shlex import quote
from typing import NamedTuple

from smartgoals.errors import EXIT_OK
from smartgoals.rendering import Display, Form, Format
from smartgoals.write.scaffold import FIRST_COMMIT_MESSAGE, Initialized, relative_paths


class InitView(NamedTuple):
    directory: Path
    done: Initialized

    @property
    def exit_code(self) -> int:
        return EXIT_OK


def init_lines(view: InitView, display: Display) -> list[str]:
    done = view.done
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


FORMS: dict[type, dict[Format, Form]] = {InitView: {Format.PLAIN: init_lines}}
