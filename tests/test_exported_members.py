"""Each package says what is public, as httpx does (its ``test_exported_members.py``): every
public name a package's ``__init__`` holds is in its ``__all__``, and everything in ``__all__``
is there. Sub-packages and modules are reached as attributes and are not listed (``orgraph.data``
holds files, not code)."""

from __future__ import annotations
import __future__

import importlib
import types

import pytest

PACKAGES = [
    "orgraph",
    "orgraph.cli",
    "orgraph.graph",
    "orgraph.loaders",
    "orgraph.queries",
    "orgraph.server",
    "orgraph.viz",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_public_members_are_exported(name):
    if name == "orgraph.server":
        pytest.importorskip("fastapi")
    mod = importlib.import_module(name)
    public = {
        k
        for k, v in vars(mod).items()
        if not k.startswith("_") and not isinstance(v, types.ModuleType | __future__._Feature)
    }
    exported = set(mod.__all__) - {"__version__"}
    assert public == exported, f"not in __all__: {sorted(public - exported)}; not there: {sorted(exported - public)}"
    assert len(mod.__all__) == len(set(mod.__all__)), "a name is listed twice"


def test_the_version_is_exported():
    import orgraph

    assert "__version__" in orgraph.__all__ and orgraph.__version__
