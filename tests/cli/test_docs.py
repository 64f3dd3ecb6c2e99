"""The docs against the app: docs/commands.md is the app's own --help and not stale, every command
has help with an example and is documented, every relative link leads somewhere, and the README
stays short with its quick start on the first screen (after sqlite-utils' tests/test_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from smartgoals.cli import reference
from smartgoals.cli.app import app
from tests.conftest import REPO_ROOT

DOCS = REPO_ROOT / "docs"
README = REPO_ROOT / "README.md"
COMMANDS = reference.command_names()

# Commands whose --help has no example yet: listed here they xfail instead of failing, until the
# example lands in their docstring. Empty today.
NO_EXAMPLE_YET: set[str] = set()


def _pages() -> list[Path]:
    return [README, REPO_ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]


def _topic_text() -> str:
    """README.md and every docs page but the generated reference."""
    pages = [README, *(p for p in sorted(DOCS.glob("*.md")) if p.name != "commands.md")]
    return "\n".join(p.read_text(encoding="utf-8") for p in pages)


def test_commands_md_is_the_apps_own_help() -> None:
    committed = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert committed == reference.render(), (
        f"docs/commands.md is stale: regenerate it with `{reference.REGENERATE}`"
    )


def test_the_reference_lists_every_registered_command() -> None:
    # the lazy table the console script uses and Typer's full build hold the same commands;
    # the reference walks the full build, so it must name every command registered on the app
    registered = {
        info.name or (info.callback.__name__ if info.callback else "")
        for info in app.registered_commands
    }
    registered |= {info.name or "" for info in app.registered_groups}
    assert {name.split()[0] for name in COMMANDS} == registered
    assert len(COMMANDS) >= 9
    assert {"status", "log", "check"} <= set(COMMANDS)


def _with_example_marks() -> list[object]:
    return [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=False, reason=f"no example in `{name} --help` yet"),
        )
        if name in NO_EXAMPLE_YET
        else name
        for name in COMMANDS
    ]


@pytest.mark.parametrize("command", _with_example_marks())
def test_every_command_has_help_with_an_example(command: str) -> None:
    text = reference.help_text(command)
    assert "Example" in text and f"smartgoals {command}" in text.split("Example", 1)[1], (
        f"`smartgoals {command} --help` has no example"
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_reference_and_a_topic_page(command: str) -> None:
    reference_page = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert f"\n## smartgoals {command}\n" in reference_page, (
        f"docs/commands.md lacks `smartgoals {command}`: run `{reference.REGENERATE}`"
    )
    assert re.search(rf"\bsmartgoals {re.escape(command)}\b", _topic_text()), (
        f"no topic page (docs/*.md) nor README.md mentions `smartgoals {command}`"
    )


LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def _links(page: Path) -> list[str]:
    """The link targets of a Markdown page, outside fenced code blocks."""
    targets, fenced = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            targets.extend(LINK.findall(line))
    return targets


@pytest.mark.parametrize("page", _pages(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_relative_link_leads_to_a_file(page: Path) -> None:
    broken = []
    for target in _links(page):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL, or an anchor in the page itself
        path = target.split("#", 1)[0]
        if not (page.parent / path).exists():
            broken.append(target)
    assert not broken, f"{page.name}: links to missing files: {broken}"


def test_the_readme_is_short_with_the_quick_start_on_its_first_screen() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 250
    first_screen = "\n".join(lines[:24])
    assert ".venv/bin/pip install -e . && .venv/bin/smartgoals status" in first_screen
    assert ".venv/bin/pip install -e '.[test]' && .venv/bin/pytest" in first_screen


def test_the_readme_links_every_docs_page() -> None:
    linked = {Path(t.split("#", 1)[0]).name for t in _links(README) if t.startswith("docs/")}
    pages = {p.name for p in DOCS.glob("*.md")}
    assert pages <= linked, f"README.md does not link {sorted(pages - linked)}"
