"""views/: each view module declares its forms in FORMS, and rendering.render finds them there."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
from types import ModuleType

import pytest

import smartgoals.views
from smartgoals.rendering import Display, Format, forms_of, render
from smartgoals.views.schema import SchemaView

MODULES = [
    importlib.import_module(f"{smartgoals.views.__name__}.{info.name}")
    for info in pkgutil.iter_modules(smartgoals.views.__path__)
]


def views_of(module: ModuleType) -> list[type]:
    """The view records a module defines: its NamedTuples with an exit code."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and value.__module__ == module.__name__
        and issubclass(value, tuple)
        and hasattr(value, "exit_code")
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_view_declares_its_forms_in_its_own_module(module: ModuleType) -> None:
    forms = getattr(module, "FORMS", {})
    for view in views_of(module):
        assert view in forms, f"{view.__name__} has no entry in {module.__name__}.FORMS"
    for view, by_format in forms.items():
        assert view.__module__ == module.__name__  # render looks it up there
        for fmt, form in by_format.items():
            assert isinstance(fmt, Format)
            assert callable(form) and form.__module__ == module.__name__


def test_render_picks_the_form_and_a_terminal_falls_back_to_plain() -> None:
    view = SchemaView(False, ("schemas/goals.schema.json",))
    assert render(view, Format.PLAIN) == ["wrote schemas/goals.schema.json"]
    assert render(view, Format.RICH, Display(color=True)) == render(view, Format.PLAIN)
    with pytest.raises(ValueError, match="no json output for SchemaView"):
        render(view, Format.JSON)
    assert list(forms_of(SchemaView)) == [Format.PLAIN]


def test_importing_every_view_loads_no_rich() -> None:
    """Rich is imported inside the Rich forms only: plain output never loads it."""
    names = ", ".join(module.__name__ for module in MODULES)
    script = f"import sys\nimport {names}\nprint('rich' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False", done.stderr
