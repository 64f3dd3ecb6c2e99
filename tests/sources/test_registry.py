"""sources.registry: one adapter module per kind that a `source:` mapping can name."""

from __future__ import annotations

from smartgoals.ledger.sourcespec import ADAPTERS
from smartgoals.sources.registry import ADAPTERS as MODULES
from smartgoals.sources.registry import runs_program


def test_every_declared_kind_has_its_module_and_no_module_is_undeclared() -> None:
    assert list(MODULES) == list(ADAPTERS)


def test_every_adapter_module_reads_and_says_whether_it_runs_a_program() -> None:
    for module in MODULES.values():
        assert callable(module.read)
        assert isinstance(module.RUNS_PROGRAM, bool)
        assert (module.__doc__ or "").strip(), module


def test_only_the_adapters_that_run_programs_need_permission() -> None:
    assert {kind for kind in MODULES if runs_program(kind)} == {"hledger", "beancount", "command"}
