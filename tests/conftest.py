from __future__ import annotations

import pytest
from orgraph import load_national


@pytest.fixture(scope="session")
def G():
    """The embedded national graph (built once per test session; never mutated)."""
    return load_national()
