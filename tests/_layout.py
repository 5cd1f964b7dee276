"""A pytest plugin (loaded by ``-p _layout`` from pyproject.toml): collect the repository root
as a plain folder, not as a Python package.

The root is the import package ``orgraph`` (``package-dir = {"orgraph" = "."}``), so it holds
an ``__init__.py``; pytest would otherwise import it under the checkout folder's name (which
fails for ``orgraph-main``, the folder GitHub's "Download ZIP" gives). The tests import the
installed ``orgraph`` instead, whatever the folder is called.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collect_directory(path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if (path / "pyproject.toml").is_file() and (path / "__init__.py").is_file():
        return pytest.Dir.from_parent(parent, path=path)
    return None
