"""The examples in the docstrings run: every module of the package, found by walking it (not
from a hand-kept list), so a new module's examples run too. ``scripts/`` and ``benchmarks/``
are not part of the package and are not walked."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import orgraph
import pytest

MODULES = [
    "orgraph",
    *sorted(m.name for m in pkgutil.walk_packages(orgraph.__path__, "orgraph.", onerror=lambda n: None)),
]

OPTIONAL = {"fastapi", "uvicorn", "starlette", "pyvis", "jinja2", "pandas", "neo4j", "openpyxl"}


def test_the_walk_finds_the_package_and_nothing_outside_it():
    assert {"orgraph.queries.tasks", "orgraph.cli", "orgraph.server.app", "orgraph.frames"} <= set(MODULES)
    assert not [m for m in MODULES if m.split(".")[1:2] in (["scripts"], ["benchmarks"], ["tests"])]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] in OPTIONAL:
            pytest.skip(f"needs {e.name}")
        raise
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0


def test_the_public_modules_have_examples():
    """The modules that used to be listed by hand still carry examples (and the tasks queries,
    whose examples never ran from that list)."""
    for name in ("orgraph", "orgraph.queries.find", "orgraph.queries.succession", "orgraph.queries.tasks"):
        assert doctest.DocTestFinder().find(importlib.import_module(name)), name
