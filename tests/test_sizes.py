"""Rooms a person can hold in their head: no module over 600 lines, no function over 80 lines
unless the comment line right above it (or above its decorators) says why it is long."""

from __future__ import annotations

import ast

from tests.conftest import REPO_ROOT

MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
PACKAGE = REPO_ROOT / "smartgoals"


def test_no_module_over_600_lines() -> None:
    long = {
        str(path.relative_to(REPO_ROOT)): count
        for path in sorted(PACKAGE.rglob("*.py"))
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def long_functions(source: str) -> list[tuple[str, int]]:
    """(name, lines) of each function over the limit without a comment saying why."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        above = lines[first - 2].strip() if first >= 2 else ""
        if length > MAX_FUNCTION_LINES and not above.startswith("#"):
            found.append((node.name, length))
    return found


def test_no_function_over_80_lines_without_a_reason() -> None:
    long = {
        f"{path.relative_to(REPO_ROOT)}:{name}": length
        for path in sorted(PACKAGE.rglob("*.py"))
        for name, length in long_functions(path.read_text(encoding="utf-8"))
    }
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines with no reason above: {long}"


def test_the_check_sees_a_long_function_and_its_reason() -> None:
    body = "".join(f"    x = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert long_functions(f"def f():\n{body}") == [("f", MAX_FUNCTION_LINES + 1)]
    assert long_functions(f"# one loop on purpose: the hot path\ndef f():\n{body}") == []
    assert long_functions("def g():\n    return 1\n") == []
