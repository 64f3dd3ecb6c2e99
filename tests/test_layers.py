"""The package's layers, read from its own imports: every import goes down, and no circle.

Every `import` and `from ... import` counts, at module level and inside functions alike
(TYPE_CHECKING blocks too): a circle through a function-level import is still a circle. The
layers, top to bottom, are the list below; a module may import its own package's modules and
anything in a lower layer. The root package `smartgoals` is the library facade, on the top
floor with the command line: nothing imports it (`__version__` lives in `smartgoals.version`).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "smartgoals"

# Top to bottom. docs/design.md and CONTRIBUTING.md draw the same list.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("cli", ("smartgoals", "smartgoals.__main__", "smartgoals.console", "smartgoals.cli")),
    ("commands", ("smartgoals.commands",)),
    ("views", ("smartgoals.views",)),
    ("rendering", ("smartgoals.rendering",)),
    ("sources", ("smartgoals.sources",)),
    ("write", ("smartgoals.write",)),
    ("importing", ("smartgoals.importing",)),
    ("revisions", ("smartgoals.revisions",)),
    ("engine", ("smartgoals.engine",)),
    ("ledger", ("smartgoals.ledger",)),
    ("formula", ("smartgoals.formula",)),
    ("vcs", ("smartgoals.vcs",)),
    (
        "base",
        (
            "smartgoals.errors",
            "smartgoals.files",
            "smartgoals.ops",
            "smartgoals.periods",
            "smartgoals.lazyre",
            "smartgoals.quantity",
            "smartgoals.record",
            "smartgoals.safetext",
            "smartgoals.suggest",
            "smartgoals.version",
        ),
    ),
]

# Imports that still run the wrong way, as (importer, imported). The list only shrinks: an entry
# that no longer occurs fails the test too, so that it is taken off when its import is mended.
KNOWN: set[tuple[str, str]] = set()


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def layer_of(module: str) -> int:
    for rank, (_, prefixes) in enumerate(LAYERS):
        # the root package is only itself; every other entry names a module or a package
        if any(module == p or (p != "smartgoals" and module.startswith(p + ".")) for p in prefixes):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def imports(module: str) -> set[str]:
    """The project modules `module` imports anywhere in its text."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for name in names:
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    # `from pkg import sub` names both pkg and pkg.sub: keep the most precise
    return {m for m in found if not any(o.startswith(m + ".") for o in found)}


GRAPH = {module: imports(module) for module in MODULES}


def test_every_module_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def upward() -> set[tuple[str, str]]:
    return {
        (module, target)
        for module, targets in GRAPH.items()
        for target in targets
        if layer_of(target) < layer_of(module)
    }


def test_imports_go_down_only() -> None:
    wrong = upward() - KNOWN
    assert not wrong, "imports that run up the layers:\n" + "\n".join(
        f"  {a} -> {b}" for a, b in sorted(wrong)
    )


def test_known_exceptions_still_exist() -> None:
    mended = KNOWN - upward() - sideways()
    assert not mended, "mended: take these off KNOWN:\n" + "\n".join(
        f"  {a} -> {b}" for a, b in sorted(mended)
    )


def sideways() -> set[tuple[str, str]]:
    """A command importing another command (each is one plain function over lower layers)."""
    return {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("smartgoals.commands.")
        for target in targets
        if target.startswith("smartgoals.commands.")
    }


def test_no_command_imports_another() -> None:
    wrong = sideways() - KNOWN
    assert not wrong, "commands importing commands:\n" + "\n".join(
        f"  {a} -> {b}" for a, b in sorted(wrong)
    )


def circles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle() -> None:
    # a circle closed by a known wrong-way import goes when that import does
    found = [c for c in circles() if not any(a in c and b in c for a, b in KNOWN)]
    assert not found, "import circles:\n" + "\n".join("  " + " <-> ".join(c) for c in found)


def test_the_checker_sees_an_upward_import_and_a_circle(tmp_path: Path) -> None:
    """The checks above can fail: an engine module importing rendering is upward."""
    assert layer_of("smartgoals.rendering.cells") < layer_of("smartgoals.engine.evaluation")
    GRAPH["smartgoals.engine.__probe__"] = {"smartgoals.engine.__probe2__"}
    GRAPH["smartgoals.engine.__probe2__"] = {"smartgoals.engine.__probe__"}
    try:
        assert ["smartgoals.engine.__probe2__", "smartgoals.engine.__probe__"] in circles()
    finally:
        del GRAPH["smartgoals.engine.__probe__"], GRAPH["smartgoals.engine.__probe2__"]


# Imports inside a function defer what a run may never need. They are allowed for these
# libraries (heavy at start-up, or needed by few commands), for a project module that imports
# one of them when it is imported itself, in the front end (the command line imports what the
# command that runs needs), and for a view's per-format module; every other import of the
# project sits at the top of its module. CONTRIBUTING.md ("Imports") says the same.
DEFERRED = {
    # third-party, and the optional extras
    "yaml", "pydantic", "rich", "git", "typer", "click", "markdown_it",
    "psycopg", "duckdb", "sqlalchemy", "apprise", "beancount", "beanquery",
    # standard library modules that cost start-up and serve few commands
    "sqlite3", "hashlib", "hmac", "statistics", "difflib", "subprocess", "json",
    "tempfile", "csv", "pickle", "unicodedata", "shutil", "importlib",
}  # fmt: skip
FRONT_END = ("smartgoals.cli", "smartgoals.console", "smartgoals.__main__")


def top_level_imports(module: str) -> set[str]:
    """Every module `module` imports when it is imported (outside functions and TYPE_CHECKING)."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                found.update(f"{base}.{alias.name}" for alias in node.names)
                found.add(base)
            for field in ("body", "orelse", "finalbody", "handlers"):
                visit([n for n in getattr(node, field, []) if isinstance(n, ast.stmt)])

    visit(ast.parse(path.read_text(encoding="utf-8")).body)
    return found


def defers_a_heavy_import(module: str) -> bool:
    """Whether importing `module` imports one of DEFERRED (through the project's own top-level
    imports too)."""
    seen = {module}
    todo = [module]
    while todo:
        for name in top_level_imports(todo.pop()):
            if name.split(".")[0] in DEFERRED:
                return True
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name and name not in seen:
                seen.add(name)
                todo.append(name)
    return False


def function_level_imports() -> list[tuple[str, int, str]]:
    """(module, line, imported project module) of each import inside a function that defers
    nothing heavy."""
    found = []
    for module, path in MODULES.items():
        if module == "smartgoals" or module.startswith(FRONT_END):
            continue  # the facade's lazy attributes; the front end's per-command imports
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.ImportFrom) or not (node.module or node.level):
                    continue
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                for alias in node.names:
                    name = f"{base}.{alias.name}"
                    while name and name not in MODULES:
                        name = name.rpartition(".")[0]
                    if not name.startswith("smartgoals."):
                        continue
                    # a view's form for one format is loaded when that format is asked for
                    views = module.startswith("smartgoals.views.")
                    if not (views and name.startswith("smartgoals.views.")) and not (
                        defers_a_heavy_import(name)
                    ):
                        found.append((module, node.lineno, name))
    return sorted(set(found))


def test_imports_inside_functions_only_defer_something_heavy() -> None:
    found = function_level_imports()
    assert not found, "move to the top of the module:\n" + "\n".join(
        f"  {module}:{line} imports {name}" for module, line, name in found
    )
