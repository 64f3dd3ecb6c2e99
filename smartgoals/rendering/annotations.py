"""Problems as GitHub Actions workflow commands (`::error file=...,line=...,col=...::message`),
so that `check --format github` annotates the files of a pull request.

Escaping follows GitHub's runner (actions/toolkit, command.ts): in the message `%`, CR and LF
become `%25`, `%0D`, `%0A`; in a property `:` and `,` become `%3A` and `%2C` too.
"""

from __future__ import annotations

from pathlib import Path

from smartgoals.errors import Problem


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    kind: str, problem: Problem, prefix: str = "", title: str = "smartgoals check"
) -> str:
    """One problem as `::error ...::` (or `::warning ...::`); paths are made relative to the
    repository's root with `prefix`, as GitHub resolves them."""
    properties = [f"file={escape_property(prefix + problem.path)}"] if problem.path else []
    if problem.line:
        properties.append(f"line={problem.line}")
        if problem.column:
            properties.append(f"col={problem.column}")
    properties.append(f"title={escape_property(title)}")
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    return f"::{kind} {','.join(properties)}::{escape_data(message)}"


def repository_prefix(root: Path) -> str:
    """The ledger root's path inside its git work tree (`""` at the top, `ledger/` below it),
    found by looking for `.git` upwards; `""` outside git."""
    root = root.resolve()
    for parent in (root, *root.parents):
        if (parent / ".git").exists():
            relative = root.relative_to(parent).as_posix()
            return "" if relative == "." else relative + "/"
    return ""
