"""The examples in the public docstrings run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "orgraph",
    "orgraph.graph.names",
    "orgraph.graph.build",
    "orgraph.loaders.dataset",
    "orgraph.queries.find",
    "orgraph.queries.succession",
    "orgraph.queries.snapshot",
    "orgraph.queries.convert",
    "orgraph.server",
    "orgraph.server.app",
    "orgraph.frames",
    "orgraph.queries.rdf",
    "orgraph.queries.tasks_xlsx",
    "orgraph.viz.geo_layout",
    "orgraph.graph.i18n",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name.startswith("orgraph.server"):
        pytest.importorskip("fastapi")
    mod = importlib.import_module(name)
    res = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert res.failed == 0 and res.attempted > 0
